// ZidStoreApi through real HTTP against the local Zid fake: order snapshots, the change-order-status
// form, both tokens on every call, 60 requests a minute per store, the 401 retry, no token in errors.
import { moduleConfig } from '#adapters/module-kit';
import { zid } from '#adapters/platforms/zid/index';
import { exchangeZidCode } from '#adapters/platforms/zid/api/oauth';
import { ZidStoreApi, type ZidStoreApiOptions, type ZidStoreTokens } from '#adapters/platforms/zid/api/zid-api';
import { startFakeZid, type FakeZid, type FakeZidOptions } from '#adapters/platforms/zid/fake/fake-zid';
import { errorLog, jsonResponse, memoryTokens, recordingFetch, storeErrorFrom, testClock } from './store-api-helpers';

const STORE = '80123';
const OTHER_STORE = '80124';
const PRODUCT = '23edd6a6-3533-495d-8ffc-7f9e7c8c1f6a';

let fake: FakeZid;
let running: FakeZid | undefined;
const clock = testClock();
const secrets: string[] = [];
const log = errorLog();

async function start(options: FakeZidOptions = {}) {
  running = fake = await startFakeZid({ now: clock.now, ...options });
  return fake;
}

function tokensOf(storeId = STORE): ZidStoreTokens {
  const issued = fake.install(storeId);
  secrets.push(issued.accessToken, issued.refreshToken, issued.authorization as string);
  return { managerToken: issued.accessToken, authorization: issued.authorization as string };
}

function client(extra: Partial<ZidStoreApiOptions> = {}, tokens = memoryTokens({ [STORE]: tokensOf() })) {
  return { api: new ZidStoreApi({ tokens, baseUrl: fake.url, timeoutMs: 2_000, now: clock.now, ...extra }), tokens };
}

const failureOf = async (promise: Promise<unknown>) => log.keep(await storeErrorFrom(promise));

afterEach(async () => {
  await running?.stop();
  running = undefined;
});

afterAll(() => {
  expect(log.count()).toBeGreaterThan(3);
  expect(log.leaks(secrets)).toEqual([]);
});

describe('getOrder', () => {
  it('maps a paid order: payment_status, order_status code, lines by order_product_id, decimal total', async () => {
    await start();
    const order = fake.createOrder(STORE, {
      paymentStatus: 'paid',
      status: 'new',
      lines: [
        { productId: PRODUCT, quantity: 2, lineId: '62262', price: 100 },
        { productId: '0b3f0d1e-0000-4000-8000-000000000002', quantity: 1, lineId: '62263', price: 50.5 },
      ],
    });

    await expect(client().api.getOrder(STORE, order.id)).resolves.toEqual({
      orderId: order.id,
      paid: true,
      paymentStatus: 'paid',
      status: 'new',
      lines: [
        { lineId: '62262', productId: PRODUCT, quantity: 2 },
        { lineId: '62263', productId: '0b3f0d1e-0000-4000-8000-000000000002', quantity: 1 },
      ],
      total: { amount: 250.5, currency: 'SAR' },
    });
  });

  it.each(['pending', 'unpaid', 'refunded', 'voided'])('payment_status %s is not paid', async (paymentStatus) => {
    await start();
    const order = fake.createOrder(STORE, { paymentStatus, lines: [{ productId: PRODUCT, quantity: 1 }] });
    await expect(client().api.getOrder(STORE, order.id)).resolves.toMatchObject({ paid: false, paymentStatus });
  });

  it('sends GET /v1/managers/store/orders/{id}/view with Authorization, X-Manager-Token and Accept-Language', async () => {
    await start();
    const order = fake.createOrder(STORE, { lines: [{ productId: PRODUCT, quantity: 1 }] });
    const tokens = tokensOf();
    const { fetch, sent } = recordingFetch();
    await client({ fetch, language: 'ar' }, memoryTokens({ [STORE]: tokens })).api.getOrder(STORE, order.id);

    expect(sent.map((s) => [s.method, s.url.pathname, s.headers])).toEqual([
      [
        'GET',
        `/v1/managers/store/orders/${order.id}/view`,
        { authorization: `Bearer ${tokens.authorization}`, 'x-manager-token': tokens.managerToken, 'accept-language': 'ar', accept: 'application/json' },
      ],
    ]);
  });

  it('the manager token of one store with the authorization of another is refused (401 → AUTH)', async () => {
    await start();
    const mine = tokensOf();
    const theirs = tokensOf(OTHER_STORE);
    const mixed = { ...mine, authorization: theirs.authorization };
    const error = await failureOf(client({}, memoryTokens({ [STORE]: mixed }, () => mixed)).api.getOrder(STORE, '1'));
    expect(error).toMatchObject({ kind: 'AUTH', retryable: false, message: `zid: get order 1 of store ${STORE}: HTTP 401 ERROR_SESSION_INVALID` });
  });

  it('an unknown order is NOT_FOUND; a 2xx without an order is UNAVAILABLE, not retried', async () => {
    await start();
    await expect(failureOf(client().api.getOrder(STORE, '404404'))).resolves.toMatchObject({ kind: 'NOT_FOUND', retryable: false });
    const { fetch } = recordingFetch(() => jsonResponse(200, { status: 'object', message: {} }));
    const error = await failureOf(client({ fetch }).api.getOrder(STORE, '1'));
    expect(error).toMatchObject({ kind: 'UNAVAILABLE', retryable: false });
    expect(error.message).toContain('order: expected object');
  });
});

describe('markDelivered', () => {
  it('POSTs the form order_status=delivered (+ tracking), answers 200, and the fake records it', async () => {
    await start();
    const order = fake.createOrder(STORE, { lines: [{ productId: PRODUCT, quantity: 1 }] });
    const tokens = tokensOf();
    const { fetch, sent } = recordingFetch();
    const { api } = client({ fetch }, memoryTokens({ [STORE]: tokens }));

    await expect(api.markDelivered(STORE, order.id, { note: 'not sent: Zid has no note', trackingNumber: 'SS-1', trackingUrl: 'https://t.example/SS-1' })).resolves.toEqual({ status: 200 });

    expect(sent.map((s) => [s.method, s.url.pathname, s.headers, s.body])).toEqual([
      [
        'POST',
        `/v1/managers/store/orders/${order.id}/change-order-status`,
        {
          authorization: `Bearer ${tokens.authorization}`,
          'x-manager-token': tokens.managerToken,
          'accept-language': 'en',
          accept: 'application/json',
          'content-type': 'application/x-www-form-urlencoded',
        },
        'order_status=delivered&tracking_number=SS-1&tracking_url=https%3A%2F%2Ft.example%2FSS-1',
      ],
    ]);
    const [change] = fake.statusChanges();
    expect(change).toMatchObject({ storeId: STORE, orderId: order.id, body: { order_status: 'delivered', tracking_number: 'SS-1', tracking_url: 'https://t.example/SS-1' } });
    expect(change.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(fake.order(STORE, order.id)).toMatchObject({ status: 'delivered', tracking: { number: 'SS-1', url: 'https://t.example/SS-1' } });
    await expect(api.getOrder(STORE, order.id)).resolves.toMatchObject({ status: 'delivered' });
  });

  it('statusOverride sends a custom status code instead', async () => {
    await start();
    const order = fake.createOrder(STORE, { lines: [{ productId: PRODUCT, quantity: 1 }] });
    await client().api.markDelivered(STORE, order.id, { statusOverride: 'codes_sent' });
    expect(fake.statusChanges().map((c) => c.rawBody)).toEqual(['order_status=codes_sent']);
  });
});

describe('rate limits: 60 a minute per store', () => {
  it('the 61st request of a burst is a 429 with Retry-After; other stores are not affected; the leak lets one through', async () => {
    await start();
    const order = fake.createOrder(STORE, { lines: [{ productId: PRODUCT, quantity: 1 }] });
    const tokens = tokensOf();
    const headers = { Authorization: `Bearer ${tokens.authorization}`, 'X-Manager-Token': tokens.managerToken };
    const call = () => fetch(`${fake.url}/managers/store/orders/${order.id}/view`, { headers });

    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 61; i += 1) {
      last = await call();
      statuses.push(last.status);
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(60);
    expect(last?.status).toBe(429);
    expect([last?.headers.get('x-ratelimit-limit'), last?.headers.get('x-ratelimit-remaining'), last?.headers.get('retry-after')]).toEqual(['60', '0', '1']);
    expect(Number(last?.headers.get('x-ratelimit-reset'))).toBe(clock.now() / 1000 + 60);

    const { api } = client({}, memoryTokens({ [STORE]: tokens, [OTHER_STORE]: tokensOf(OTHER_STORE) }));
    const error = await failureOf(api.getOrder(STORE, order.id));
    expect(error).toMatchObject({ kind: 'RATE_LIMITED', retryable: true, retryAfterSeconds: 1 });
    await expect(api.getOrder(OTHER_STORE, '1')).rejects.toMatchObject({ kind: 'NOT_FOUND' });

    clock.advance(1_000);
    await expect(api.getOrder(STORE, order.id)).resolves.toMatchObject({ orderId: order.id });
    expect(api.rateLimit(STORE)).toMatchObject({ limit: 60, remaining: 0 });
    expect(fake.stats()).toMatchObject({ rateLimited: 2, rateLimitedByStore: { [STORE]: 2 } });
  });
});

describe('401: one fresh token, one retry', () => {
  it('invalidates the refused tokens, takes new ones and repeats the POST once', async () => {
    await start();
    const order = fake.createOrder(STORE, { lines: [{ productId: PRODUCT, quantity: 1 }] });
    const tokens = memoryTokens({ [STORE]: tokensOf() }, (storeId) => tokensOf(storeId));
    fake.expireAccessTokens(STORE);

    await expect(client({}, tokens).api.markDelivered(STORE, order.id)).resolves.toEqual({ status: 200 });
    expect(tokens.calls).toEqual({ accessToken: 2, invalidate: 1 });
    expect(fake.stats()).toMatchObject({ unauthorized: 1, statusChanges: 1 });
  });

  it('a second 401 is AUTH; 5xx and timeouts are UNAVAILABLE and retryable', async () => {
    await start({ failureRate: 1, failureStatuses: [502] });
    const stale = tokensOf();
    fake.revokeTokens(STORE);
    const tokens = memoryTokens({ [STORE]: stale }, () => stale);
    await expect(failureOf(client({}, tokens).api.getOrder(STORE, '1'))).resolves.toMatchObject({ kind: 'AUTH', retryable: false });
    expect(tokens.calls.invalidate).toBe(1);

    await expect(failureOf(client().api.getOrder(STORE, '1'))).resolves.toMatchObject({ kind: 'UNAVAILABLE', retryable: true });
    fake.setOptions({ failureRate: 0, latencyMs: 300 });
    await expect(failureOf(client({ timeoutMs: 50 }).api.getOrder(STORE, '1'))).resolves.toMatchObject({ kind: 'UNAVAILABLE', retryable: true });
  });
});

describe('local hooks', () => {
  it('startFake gives the env that module config turns into a client and an OAuth endpoint of the fake', async () => {
    const hook = await (await zid.local!()).startFake!();
    try {
      const config = moduleConfig(zid, hook.env);
      expect(hook.env).toEqual({ ZID_API_BASE_URL: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/v1$/), ZID_OAUTH_URL: expect.any(String) });
      const { fake: local, client: app } = hook as unknown as { fake: FakeZid; client: { clientId: string; clientSecret: string } };
      secrets.push(app.clientSecret);
      const tokens = await exchangeZidCode({ ...app, oauthUrl: config.ZID_OAUTH_URL }, local.authorizationCode(STORE));
      secrets.push(tokens.accessToken, tokens.authorization, tokens.refreshToken);
      const order = local.createOrder(STORE, { lines: [{ productId: PRODUCT, quantity: 1 }] });
      const api = new ZidStoreApi({ tokens: { accessToken: async () => ({ managerToken: tokens.accessToken, authorization: tokens.authorization }) }, baseUrl: config.ZID_API_BASE_URL });
      await expect(api.markDelivered(STORE, order.id)).resolves.toEqual({ status: 200 });
    } finally {
      await hook.stop();
    }
  });
});
