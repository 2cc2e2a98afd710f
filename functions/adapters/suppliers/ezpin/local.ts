// Local hooks of EZ PIN (never bundled): the fake API and the products it sells to the demo SKUs.
import type { SupplierLocal } from '../supplier-module';
import { FAKE_PRODUCTS, startFakeEzpin, type FakeEzpinOptions } from './fake/fake-ezpin';

/** As they go into the secret: the fake checks all four, so a terminal that is not sent fails locally too. */
const CREDENTIALS = { clientId: 'local-client', secretKey: 'local-secret', terminalId: '7', terminalPin: '1234', environment: 'sandbox' };

export const startFake: SupplierLocal<FakeEzpinOptions>['startFake'] = async (options = {}) => {
  const fake = await startFakeEzpin({
    clientId: CREDENTIALS.clientId,
    secretKey: CREDENTIALS.secretKey,
    terminalId: Number(CREDENTIALS.terminalId),
    terminalPin: CREDENTIALS.terminalPin,
    ...options,
  });
  return Object.assign(fake, { env: { EZPIN_BASE_URL: fake.url }, credentials: CREDENTIALS });
};

export const demoProducts: SupplierLocal['demoProducts'] = ['1001', '1002'].map((productId) => ({ productId, unitPrice: FAKE_PRODUCTS[productId].price }));
