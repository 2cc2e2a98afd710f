// Local hooks of Acme (never bundled): the demo store, a paid sample order, the delivery headers.
import { SIMULATOR_USER_AGENT } from '#local/webhook-signing';
import type { PlatformLocal } from '#adapters/platforms/platform-module';

export const DEMO_ACME_STORE = 'acme-demo';
const DEMO_ACME_SECRET = 'demo-acme-shared-secret';

export const demo: PlatformLocal['demo'] = {
  storeId: DEMO_ACME_STORE,
  secret: { secret: DEMO_ACME_SECRET },
  productId: 'acme-gift-50',
  describe: 'shared-secret header',
};

export const signedHeaders: PlatformLocal['signedHeaders'] = (_raw, secret) => ({
  'Content-Type': 'application/json',
  'User-Agent': `Acme (${SIMULATOR_USER_AGENT})`,
  'X-Acme-Webhook-Secret': secret.secret ?? '',
});

export const sampleOrder: PlatformLocal['sampleOrder'] = (orderId, overrides = {}) => {
  const quantity = overrides.quantity ?? 1;
  const raw = JSON.stringify({
    event: 'order.created',
    store_id: DEMO_ACME_STORE,
    order: {
      id: orderId,
      number: `A-${orderId}`,
      paid: true,
      language: 'en',
      customer: { name: 'Sara', phone: '0500000123', email: 'sara@example.com' },
      lines: [{ id: `${orderId}-1`, product_id: demo.productId, quantity, name: 'Acme gift card 50' }],
    },
  });
  return { raw, units: quantity, headers: signedHeaders(raw, demo.secret) };
};
