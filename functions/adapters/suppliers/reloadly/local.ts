// Local hooks of Reloadly (never bundled): the fake API and the products it sells to the demo SKUs.
import type { SupplierLocal } from '../supplier-module';
import { startFakeReloadly, type FakeReloadlyOptions } from './fake/fake-reloadly';

const CREDENTIALS = { clientId: 'local-client', clientSecret: 'local-secret', environment: 'sandbox' };

export const startFake: SupplierLocal<FakeReloadlyOptions>['startFake'] = async (options = {}) => {
  const fake = await startFakeReloadly({ clientId: CREDENTIALS.clientId, clientSecret: CREDENTIALS.clientSecret, ...options });
  return Object.assign(fake, { env: { RELOADLY_BASE_URL: fake.url, RELOADLY_AUTH_URL: fake.authUrl }, credentials: CREDENTIALS });
};

export const demoProducts: SupplierLocal['demoProducts'] = [
  { productId: '3001', unitPrice: 50 },
  { productId: '3002', unitPrice: 100 },
];
