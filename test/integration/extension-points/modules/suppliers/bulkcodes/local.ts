// Local hooks of BulkCodes (never bundled): its fake API and the products it sells to the demo SKUs.
import type { SupplierLocal } from '#adapters/suppliers/supplier-module';
import { startFakeBulkCodes } from './fake-bulkcodes';

const API_KEY = 'local-bulkcodes-key';

export const startFake: SupplierLocal['startFake'] = async (options) => {
  const fake = await startFakeBulkCodes(API_KEY, options);
  return Object.assign(fake, { env: { BULKCODES_BASE_URL: fake.url }, credentials: { apiKey: API_KEY } });
};

export const demoProducts: SupplierLocal['demoProducts'] = [{ productId: 'BC-STEAM-10', unitPrice: 10 }];
