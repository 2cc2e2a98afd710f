// Local hooks of Zid (never bundled): the demo store, a sample order, Basic Auth delivery headers, the API fake.
import { sampleFixture } from '#local/sample-order';
import { SIMULATOR_USER_AGENT } from '#local/webhook-signing';
import type { StoreWebhookSecret } from '#core/ports/platform';
import type { PlatformLocal } from '../platform-module';
import type { RunningFake } from '#adapters/module-kit';
import { startFakeZid, type FakeZid, type FakeZidOptions } from './fake/fake-zid';
import { issuedTokensOf } from '../shared/fake/token-registry';

export const DEMO_ZID_STORE = '80123';
export const DEMO_ZID_CREDENTIALS = { username: 'streamsync-demo', password: 'demo-zid-webhook-password' };

/** Headers of a Zid delivery: HTTP Basic Auth with the credentials given when the webhook was created. */
export function zidBasicAuthHeaders(username: string, password: string): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    'User-Agent': `Zid (${SIMULATOR_USER_AGENT})`,
    Authorization: `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`,
  };
}

/** A paid Zid order.create with a fresh order id. */
export function sampleZidOrder(orderId: string, overrides: { quantity?: number } = {}) {
  const body = sampleFixture('zid/order-create-paid.json');
  body.id = Number(orderId);
  if (overrides.quantity) body.products[0].quantity = overrides.quantity;
  const raw = JSON.stringify(body);
  return { raw, units: Number(body.products[0].quantity), headers: zidBasicAuthHeaders(DEMO_ZID_CREDENTIALS.username, DEMO_ZID_CREDENTIALS.password) };
}

export const demo: PlatformLocal['demo'] = {
  storeId: DEMO_ZID_STORE,
  secret: DEMO_ZID_CREDENTIALS,
  productId: '23edd6a6-3533-495d-8ffc-7f9e7c8c1f6a',
  describe: 'Basic Auth',
};

export const sampleOrder: PlatformLocal['sampleOrder'] = (orderId, overrides) => sampleZidOrder(orderId, overrides);

export const signedHeaders: PlatformLocal['signedHeaders'] = (_raw: string, secret: StoreWebhookSecret) => zidBasicAuthHeaders(secret.username ?? '', secret.password ?? '');

/** The app credentials the local Zid fake's token endpoint accepts. */
export const LOCAL_ZID_CLIENT = { clientId: 'local-zid-client', clientSecret: 'local-zid-secret' };

/** The fake manager API and OAuth server; `env` holds ZID_API_BASE_URL and ZID_OAUTH_URL. */
export async function startFake(options: FakeZidOptions = {}): Promise<RunningFake & { fake: FakeZid; client: typeof LOCAL_ZID_CLIENT }> {
  const fake = await startFakeZid({ ...LOCAL_ZID_CLIENT, ...options });
  return { env: { ZID_API_BASE_URL: fake.url, ZID_OAUTH_URL: fake.oauthUrl }, stop: fake.stop, fake, client: LOCAL_ZID_CLIENT };
}

/** The fake behind the local pipeline's contract: the demo installs, the webhooks' orders, their statuses. */
export const startStoreFake: NonNullable<PlatformLocal['startStoreFake']> = async (options = {}) => {
  const running = await startFake(options as FakeZidOptions);
  const { fake } = running;
  return {
    env: running.env,
    stop: running.stop,
    client: running.client,
    install: (storeId) => issuedTokensOf(fake.install(storeId)),
    placeOrder: (storeId, order) => {
      if (fake.order(storeId, order.orderId)) return;
      fake.createOrder(storeId, { id: order.orderId, paymentStatus: 'paid', lines: order.lines.map((l) => ({ lineId: l.lineId, productId: l.productId, quantity: l.quantity, price: l.unitPrice })) });
    },
    statusOf: (storeId, orderId) => fake.order(storeId, orderId)?.status,
    statusChanges: () => fake.statusChanges().map((c) => ({ at: Date.parse(c.at), storeId: c.storeId, orderId: c.orderId, status: String(c.body.order_status ?? '') })),
    stats: () => fake.stats(),
    setOptions: (partial) => fake.setOptions(partial),
  };
};
