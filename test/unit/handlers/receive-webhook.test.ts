// receiveWebhook: every way a request can end, mapped to the status each platform expects.
import { StoreLookupThrottledError, InvalidPayloadError, QueueUnavailableError } from '#core/errors';
import type { WebhookIntent } from '#core/model';
import type { PlatformAdapter, StoreWebhookSecret, WebhookRequest } from '#core/ports/platform';
import { deliveryIdOf, receiveWebhook, type WebhookDeps, type WebhookResponse } from '#functions/webhook/receive-webhook';
import { PLATFORMS } from '#adapters/platforms/registry';
import { FakeCatalog } from '#test/fakes/catalog';
import { T0 } from '#test/fakes/harness';
import { FakeDedupe, RecordingOrderQueue } from '#test/fakes/recorders';
import { DEFAULT_ORDER_LIMITS } from '#core/limits';

/** Planted in every body: it must never come back in a response or its reason. */
const MARKER = 'BODY-MARKER-7f3a';
const MAX = 1024;

/** A platform whose "signature" is the `x-sig` header equal to the store secret. */
function fakeAdapter(platform: string, interpret: (body: any) => WebhookIntent = (b) => b.intent): PlatformAdapter {
  return {
    platform,
    storeIdOf: (body: any) => (typeof body?.store === 'string' ? body.store : undefined),
    verify: (request: WebhookRequest, secret: StoreWebhookSecret) => request.headers['x-sig'] === secret.secret,
    interpret,
  };
}

/** Each registered platform with a fake adapter, keeping the module's own retry status. */
const fakePlatforms = (adapter: (platform: string) => PlatformAdapter = (p) => fakeAdapter(p)) =>
  Object.fromEntries(PLATFORMS.map((p) => [p.name, { adapter: adapter(p.name), retryLaterStatus: p.retryLaterStatus }]));

function setup(overrides: Partial<WebhookDeps> = {}) {
  const catalog = new FakeCatalog();
  const orderQueue = new RecordingOrderQueue();
  const secrets = new Map<string, StoreWebhookSecret>([['salla/S1', { secret: 'good' }], ['zid/S1', { secret: 'good' }]]);
  const deps: WebhookDeps = {
    platforms: fakePlatforms(),
    secrets: { get: async (platform, storeId) => secrets.get(`${platform}/${storeId}`) },
    catalog,
    orderQueue,
    dedupe: new FakeDedupe(),
    limits: DEFAULT_ORDER_LIMITS,
    maxMessageBytes: 250_000,
    maxBodyBytes: MAX,
    now: () => new Date(T0),
    ...overrides,
  };
  return { deps, catalog, orderQueue };
}

const request = (body: unknown, sig = 'good'): WebhookRequest => ({
  headers: { 'x-sig': sig, 'content-type': 'application/json' },
  rawBody: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
});
const paidBody = { store: 'S1', note: MARKER, intent: { type: 'PAID_ORDER', order: { platform: 'salla', storeId: 'S1', orderId: 'O1', locale: 'en', customer: {}, lines: [{ lineId: 'L1', productId: 'P1', quantity: 1 }] } } };

function expectNoBody(response: WebhookResponse) {
  expect(JSON.stringify(response)).not.toContain(MARKER);
}

describe('receiveWebhook', () => {
  it('404 for a platform that is not registered, before reading anything', async () => {
    const { deps, orderQueue } = setup();
    await expect(receiveWebhook(deps, 'shopify', request(paidBody))).resolves.toMatchObject({ statusCode: 404 });
    await expect(receiveWebhook(deps, '__proto__', request(paidBody))).resolves.toMatchObject({ statusCode: 404 });
    expect(orderQueue.sent).toEqual([]);
  });

  it('413 before parsing a body over the limit', async () => {
    const { deps, orderQueue } = setup();
    const storeIdOf = jest.spyOn(deps.platforms.salla.adapter, 'storeIdOf');
    const oversized = request(`{"note":"${MARKER}${'x'.repeat(MAX)}"}`);
    const response = await receiveWebhook(deps, 'salla', oversized);
    const reason = `body of ${oversized.rawBody.length} bytes exceeds ${MAX}`;
    expect(response).toEqual({ statusCode: 413, reason, body: { ok: false, error: reason } });
    expect(storeIdOf).not.toHaveBeenCalled();
    expect(orderQueue.sent).toEqual([]);
  });

  it('accepts a body of exactly the limit', async () => {
    const { deps } = setup();
    const body = JSON.stringify({ store: 'S1', intent: { type: 'IGNORE', reason: 'x' }, pad: '' });
    const padded = body.replace('"pad":""', `"pad":"${'p'.repeat(MAX - body.length)}"`);
    expect(Buffer.byteLength(padded)).toBe(MAX);
    expect((await receiveWebhook(deps, 'salla', request(padded))).statusCode).toBe(200);
  });

  it('400 on a body that is not JSON, without echoing it', async () => {
    const { deps } = setup();
    const response = await receiveWebhook(deps, 'salla', request(`{"store":"S1", ${MARKER}`));
    expect(response).toMatchObject({ statusCode: 400, reason: 'body is not valid JSON', body: { ok: false, error: 'body is not valid JSON' } });
    expectNoBody(response);
  });

  it('400 when the body names no store', async () => {
    const { deps } = setup();
    const response = await receiveWebhook(deps, 'zid', request({ note: MARKER }));
    expect(response).toMatchObject({ statusCode: 400, reason: 'body names no store' });
    expectNoBody(response);
  });

  it('401 for a store with no configured secret, before interpreting', async () => {
    const { deps, orderQueue } = setup();
    const verify = jest.spyOn(deps.platforms.salla.adapter, 'verify');
    const response = await receiveWebhook(deps, 'salla', request({ ...paidBody, store: 'S-UNKNOWN' }));
    expect(response).toMatchObject({ statusCode: 401, reason: 'store is not configured', storeId: 'S-UNKNOWN' });
    // Checked against a random secret, for the timing only: it cannot pass.
    expect(verify).toHaveBeenCalledTimes(1);
    expect(verify.mock.results[0].value).toBe(false);
    expect(orderQueue.sent).toEqual([]);
    expectNoBody(response);
  });

  it('401 when the signature does not verify, before interpreting', async () => {
    const { deps, orderQueue } = setup();
    const interpret = jest.spyOn(deps.platforms.salla.adapter, 'interpret');
    const response = await receiveWebhook(deps, 'salla', request(paidBody, 'forged'));
    expect(response).toMatchObject({ statusCode: 401, reason: "signature or credentials do not match (or not by the store's strategy)", body: { ok: false, error: 'unauthorized' } });
    expect(response.failed).toBeUndefined();
    expect(interpret).not.toHaveBeenCalled();
    expect(orderQueue.sent).toEqual([]);
  });

  it('answers every authentication failure with the same 401 body; only the log reason differs', async () => {
    const { deps } = setup();
    const answers = await Promise.all([
      receiveWebhook(deps, 'salla', request({ ...paidBody, store: 'S-UNKNOWN' })),
      receiveWebhook(deps, 'salla', request(paidBody, 'forged')),
    ]);
    expect(new Set(answers.map((a) => `${a.statusCode} ${JSON.stringify(a.body)}`))).toEqual(new Set(['401 {"ok":false,"error":"unauthorized"}']));
    expect(new Set(answers.map((a) => a.reason)).size).toBe(2);
  });

  it('a store lookup over the budget for unknown stores is "try again later", and reads and enqueues nothing', async () => {
    const { deps, orderQueue } = setup();
    jest.spyOn(deps.secrets, 'get').mockRejectedValue(new StoreLookupThrottledError('too many unknown stores looked up: try again later'));
    const response = await receiveWebhook(deps, 'salla', request(paidBody));
    expect(response).toMatchObject({ statusCode: 503, reason: 'too many unknown stores looked up: try again later', body: { ok: false, error: 'try again later' } });
    expect(response.failed).toBeUndefined();
    expect(orderQueue.sent).toEqual([]);
  });

  it('400 with the issue paths on a payload of the wrong shape', async () => {
    const { deps, orderQueue } = setup({
      platforms: fakePlatforms((p) =>
        fakeAdapter(p, () => {
          throw new InvalidPayloadError('Salla order payload is invalid', ['data.items.0.quantity: expected number', 'data.id: required']);
        }),
      ),
    });
    const response = await receiveWebhook(deps, 'salla', request(paidBody));
    expect(response).toEqual({
      statusCode: 400,
      reason: 'Salla order payload is invalid: data.items.0.quantity: expected number; data.id: required',
      body: { ok: false, error: 'Salla order payload is invalid', detail: ['data.items.0.quantity: expected number', 'data.id: required'] },
      storeId: 'S1',
    });
    expect(orderQueue.sent).toEqual([]);
  });

  it('200 with the reason when the event is ignored; nothing enqueued', async () => {
    const { deps, orderQueue } = setup();
    const response = await receiveWebhook(deps, 'salla', request({ store: 'S1', note: MARKER, intent: { type: 'IGNORE', reason: 'order is not paid' } }));
    expect(response).toEqual({
      statusCode: 200,
      reason: 'ignored: order is not paid',
      body: { ok: true, result: { outcome: 'IGNORED', reason: 'order is not paid' } },
      storeId: 'S1',
    });
    expect(orderQueue.sent).toEqual([]);
  });

  it('200 and one message for a paid order of a mapped product', async () => {
    const { deps, catalog, orderQueue } = setup();
    await catalog.putProductMapping({ storeId: 'S1', productId: 'P1', sku: 'CARD-50', multiplier: 1 });
    const response = await receiveWebhook(deps, 'salla', request(paidBody));
    expect(response).toMatchObject({ statusCode: 200, reason: 'enqueued ORDER', body: { ok: true, result: { outcome: 'ENQUEUED', units: 1 } } });
    expect(orderQueue.sent).toHaveLength(1);
    expectNoBody(response);
  });

  it('200 and nothing enqueued for the same delivery again (same bytes, same store); another body is another delivery', async () => {
    const { deps, catalog, orderQueue } = setup();
    await catalog.putProductMapping({ storeId: 'S1', productId: 'P1', sku: 'CARD-50', multiplier: 1 });
    await receiveWebhook(deps, 'salla', request(paidBody));
    const again = await receiveWebhook(deps, 'salla', request(paidBody));
    expect(again).toMatchObject({ statusCode: 200, reason: 'duplicate delivery (already taken)', body: { ok: true, result: { outcome: 'DUPLICATE', state: 'DONE' } } });
    expect(orderQueue.sent).toHaveLength(1);
    await receiveWebhook(deps, 'salla', request({ ...paidBody, note: 'a retry with another timestamp' }));
    expect(orderQueue.sent).toHaveLength(2);
    expect(deliveryIdOf('salla', 'S1', Buffer.from('x'))).not.toBe(deliveryIdOf('zid', 'S1', Buffer.from('x')));
  });

  it('200 and HELD for a paid order over a limit: one HOLD message, never the order as it is', async () => {
    const { deps, catalog, orderQueue } = setup();
    await catalog.putProductMapping({ storeId: 'S1', productId: 'P1', sku: 'CARD-50', multiplier: 1 });
    const huge = { ...paidBody, intent: { ...paidBody.intent, order: { ...paidBody.intent.order, lines: [{ lineId: 'L1', productId: 'P1', quantity: 1001 }] } } };
    const response = await receiveWebhook(deps, 'salla', request(huge));
    expect(response).toMatchObject({ statusCode: 200, reason: 'held: OVER_LIMIT', body: { ok: true, result: { outcome: 'HELD', reason: 'OVER_LIMIT', units: 1001 } } });
    expect(orderQueue.sent.map((m) => m.kind)).toEqual(['HOLD']);
  });

  it.each([
    ['salla', 503],
    ['zid', 429],
  ] as const)('%s: %i when the orders queue is unavailable (a retry, not a failure)', async (platform, status) => {
    const { deps, catalog } = setup({ orderQueue: { send: async () => Promise.reject(new QueueUnavailableError('Orders queue rejected the message: ThrottlingException')), sendMany: async () => undefined } });
    await catalog.putProductMapping({ storeId: 'S1', productId: 'P1', sku: 'CARD-50', multiplier: 1 });
    const response = await receiveWebhook(deps, platform, request(paidBody));
    expect(response).toMatchObject({ statusCode: status, reason: 'Orders queue rejected the message: ThrottlingException', storeId: 'S1' });
    expect(response.failed).toBeUndefined();
  });

  it.each([
    ['salla', 503],
    ['zid', 429],
  ] as const)('%s: %i and failed on any other error, naming only its class', async (platform, status) => {
    const leaky = Object.assign(new Error(`could not read ${MARKER}`), { name: 'ResourceNotFoundException' });
    const { deps } = setup({ secrets: { get: async () => Promise.reject(leaky) } });
    const response = await receiveWebhook(deps, platform, request(paidBody));
    expect(response).toEqual({
      statusCode: status,
      reason: 'temporarily unavailable: ResourceNotFoundException',
      body: { ok: false, error: 'temporarily unavailable: ResourceNotFoundException' },
      storeId: 'S1',
      failed: true,
    });
    expectNoBody(response);
  });

  it('a catalog that cannot be read is also "try again later", never a silent drop', async () => {
    const catalog = new FakeCatalog();
    jest.spyOn(catalog, 'getLineMappings').mockRejectedValue(new TypeError(`bad ${MARKER}`));
    const { deps, orderQueue } = setup({ catalog });
    const response = await receiveWebhook(deps, 'salla', request(paidBody));
    expect(response).toMatchObject({ statusCode: 503, failed: true, reason: 'temporarily unavailable: TypeError' });
    expect(orderQueue.sent).toEqual([]);
    expectNoBody(response);
  });
});
