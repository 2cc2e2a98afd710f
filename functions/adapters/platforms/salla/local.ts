// Local hooks of Salla (never bundled): the demo store, a signed sample order, the delivery headers, the API fake.
import { sampleFixture } from '#local/sample-order';
import { SIMULATOR_USER_AGENT } from '#local/webhook-signing';
import type { StoreWebhookSecret } from '#core/ports/platform';
import type { PlatformLocal } from '../platform-module';
import type { RunningFake } from '#adapters/module-kit';
import { startFakeSalla, type FakeSalla, type FakeSallaOptions } from './fake/fake-salla';
import { issuedTokensOf } from '../shared/fake/token-registry';
import { sallaSignatureOf } from './salla-adapter';

export const DEMO_SALLA_STORE = '1305146709';
export const DEMO_SALLA_SECRET = 'demo-salla-webhook-secret';

/** Hex `X-Salla-Signature` of `rawBody` (the exact bytes that will be sent). */
export function sallaSignature(rawBody: string | Buffer, secret: string): string {
  return sallaSignatureOf(rawBody, secret).toString('hex');
}

/** Headers of a Salla delivery with the Signature strategy (the default strategy). */
export function sallaSignatureHeaders(rawBody: string | Buffer, secret: string): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    'User-Agent': `Salla (${SIMULATOR_USER_AGENT})`,
    'X-Salla-Security-Strategy': 'Signature',
    'X-Salla-Signature': sallaSignature(rawBody, secret),
  };
}

/** Headers of a Salla delivery with the Token strategy: the secret itself in `Authorization`. */
export function sallaTokenHeaders(secret: string): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    'User-Agent': `Salla (${SIMULATOR_USER_AGENT})`,
    'X-Salla-Security-Strategy': 'Token',
    Authorization: secret,
  };
}

/** A paid Salla order.created with a fresh order id, so each run is a new order. */
export function sampleSallaOrder(orderId: string, overrides: { quantity?: number; mobile?: number; email?: string } = {}) {
  const body = sampleFixture('salla/order-created-paid-credit-card.json');
  body.data.id = Number(orderId);
  body.data.reference_id = Number(orderId) % 100_000_000;
  if (overrides.quantity) body.data.items[0].quantity = overrides.quantity;
  if (overrides.mobile) body.data.customer.mobile = overrides.mobile;
  if (overrides.email) body.data.customer.email = overrides.email;
  const raw = JSON.stringify(body);
  return { raw, units: Number(body.data.items[0].quantity), headers: sallaSignatureHeaders(raw, DEMO_SALLA_SECRET) };
}

export const demo: PlatformLocal['demo'] = {
  storeId: DEMO_SALLA_STORE,
  secret: { secret: DEMO_SALLA_SECRET },
  productId: '720881993',
  describe: 'Signature strategy',
};

export const sampleOrder: PlatformLocal['sampleOrder'] = (orderId, overrides) => sampleSallaOrder(orderId, overrides);

export const signedHeaders: PlatformLocal['signedHeaders'] = (raw: string, secret: StoreWebhookSecret) => sallaSignatureHeaders(raw, secret.secret ?? '');

/** The app credentials the local Salla fake's token endpoint accepts. */
export const LOCAL_SALLA_CLIENT = { clientId: 'local-salla-client', clientSecret: 'local-salla-secret' };

/** The fake merchant API and OAuth server; `env` holds SALLA_API_BASE_URL and SALLA_ACCOUNTS_URL. */
export async function startFake(options: FakeSallaOptions = {}): Promise<RunningFake & { fake: FakeSalla; client: typeof LOCAL_SALLA_CLIENT }> {
  const fake = await startFakeSalla({ ...LOCAL_SALLA_CLIENT, ...options });
  return { env: { SALLA_API_BASE_URL: fake.url, SALLA_ACCOUNTS_URL: fake.accountsUrl }, stop: fake.stop, fake, client: LOCAL_SALLA_CLIENT };
}

/** The fake behind the local pipeline's contract: the demo installs, the webhooks' orders, their statuses. */
export const startStoreFake: NonNullable<PlatformLocal['startStoreFake']> = async (options = {}) => {
  const running = await startFake(options as FakeSallaOptions);
  const { fake } = running;
  return {
    env: running.env,
    stop: running.stop,
    client: running.client,
    install: (storeId) => issuedTokensOf(fake.install(storeId).tokens),
    placeOrder: (storeId, order) => {
      if (fake.order(storeId, order.orderId)) return;
      fake.createOrder(storeId, { id: order.orderId, status: 'in_progress', paymentMethod: 'credit_card', lines: order.lines.map((l) => ({ ...l })) });
    },
    statusOf: (storeId, orderId) => fake.order(storeId, orderId)?.status.slug,
    statusChanges: () => fake.statusChanges().map((c) => ({ at: Date.parse(c.at), storeId: c.storeId, orderId: c.orderId, status: String(c.body.slug ?? c.body.status_id ?? '') })),
    stats: () => fake.stats(),
    setOptions: (partial) => fake.setOptions(partial),
  };
};
