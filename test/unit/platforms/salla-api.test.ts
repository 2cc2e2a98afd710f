// SallaStoreApi through real HTTP against the local Salla fake: order snapshots, the status
// write-back request, rate limits, the 401 retry, and errors that never carry a token.
import { moduleConfig } from '#adapters/module-kit';
import { salla } from '#adapters/platforms/salla/index';
import { SallaStoreApi, type SallaStoreApiOptions } from '#adapters/platforms/salla/api/salla-api';
import { refreshSallaTokens } from '#adapters/platforms/salla/api/oauth';
import { startFakeSalla, type FakeSalla, type FakeSallaOptions } from '#adapters/platforms/salla/fake/fake-salla';
import { errorLog, jsonResponse, memoryTokens, recordingFetch, storeErrorFrom, testClock } from './store-api-helpers';

const STORE = '1305146709';
const OTHER_STORE = '1305146710'; // a second merchant: its own bucket, its own orders
const PAID_RULE = { paidStatuses: ['completed', 'in_progress', 'delivering', 'delivered', 'shipped'], unpaidPaymentMethods: ['bank', 'cod'] };

let fake: FakeSalla;
let running: FakeSalla | undefined;
const clock = testClock();
const secrets: string[] = [];
const log = errorLog();

async function start(options: FakeSallaOptions = {}) {
  running = fake = await startFakeSalla({ now: clock.now, ...options });
  return fake;
}

function tokenOf(storeId = STORE): string {
  const { accessToken, refreshToken } = fake.install(storeId).tokens;
  secrets.push(accessToken, refreshToken);
  return accessToken;
}

function client(extra: Partial<SallaStoreApiOptions> = {}, tokens = memoryTokens({ [STORE]: tokenOf() })) {
  return { api: new SallaStoreApi({ tokens, paidRule: PAID_RULE, baseUrl: fake.url, timeoutMs: 2_000, now: clock.now, ...extra }), tokens };
}

const failureOf = async (promise: Promise<unknown>) => log.keep(await storeErrorFrom(promise));
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

afterAll(() => {
  expect(log.count()).toBeGreaterThan(5);
  expect(log.leaks(secrets)).toEqual([]);
});

describe('getOrder', () => {
  it('maps a paid card order: status, method, lines with variants, total', async () => {
    await start();
    const order = fake.createOrder(STORE, {
      status: 'in_progress',
      paymentMethod: 'credit_card',
      lines: [
        { productId: '720881993', quantity: 2, lineId: '70815337', unitPrice: 50 },
        { productId: '720881994', quantity: 1, lineId: '70815338', variantId: '1433577451', unitPrice: 100 },
      ],
    });
    const { api } = client();

    await expect(api.getOrder(STORE, order.id)).resolves.toEqual({
      orderId: order.id,
      paid: true,
      paymentMethod: 'credit_card',
      status: 'in_progress',
      lines: [
        { lineId: '70815337', productId: '720881993', quantity: 2 },
        { lineId: '70815338', productId: '720881994', variantId: '1433577451', quantity: 1 },
      ],
      total: { amount: 200, currency: 'SAR' },
    });
  });

  it.each([
    ['a bank transfer under review', { status: 'under_review', paymentMethod: 'bank' }, false],
    ['a card payment still pending', { status: 'payment_pending', paymentMethod: 'credit_card' }, false],
    ['a cancelled card order', { status: 'canceled', paymentMethod: 'mada' }, false],
    ['an approved bank transfer', { status: 'completed', paymentMethod: 'bank' }, true],
    ['a COD order not yet delivered', { status: 'in_progress', paymentMethod: 'cod', isPendingPayment: true }, false],
  ])('decides paid with the webhook rule: %s', async (_name, seed, paid) => {
    await start();
    const order = fake.createOrder(STORE, { ...seed, lines: [{ productId: '1', quantity: 1 }] });
    const snapshot = await client().api.getOrder(STORE, order.id);
    expect(snapshot.paid).toBe(paid);
    expect(snapshot.status).toBe(seed.status);
  });

  it('sends GET /admin/v2/orders/{id} with the bearer token', async () => {
    await start();
    const order = fake.createOrder(STORE, { lines: [{ productId: '1', quantity: 1 }] });
    const { fetch, sent } = recordingFetch();
    const token = tokenOf();
    await client({ fetch }, memoryTokens({ [STORE]: token })).api.getOrder(STORE, order.id);

    expect(sent).toHaveLength(1);
    expect(sent[0].method).toBe('GET');
    expect(sent[0].url.pathname).toBe(`/admin/v2/orders/${order.id}`);
    expect(sent[0].headers).toEqual({ authorization: `Bearer ${token}`, accept: 'application/json' });
  });

  it('another store’s order, or none, is NOT_FOUND', async () => {
    await start();
    const theirs = fake.createOrder(OTHER_STORE, { lines: [{ productId: '1', quantity: 1 }] });
    const { api } = client();
    for (const id of [theirs.id, '999']) {
      const error = await failureOf(api.getOrder(STORE, id));
      expect(error).toMatchObject({ kind: 'NOT_FOUND', retryable: false });
      expect(error.message).toBe(`salla: get order ${id} of store ${STORE}: HTTP 404 error`);
    }
  });

  it('a 2xx in an unknown shape is UNAVAILABLE, not retried, naming paths only', async () => {
    await start();
    const { fetch } = recordingFetch(() => jsonResponse(200, { status: 200, success: true, data: { id: null, items: 'x' } }));
    const error = await failureOf(client({ fetch }).api.getOrder(STORE, '1'));
    expect(error).toMatchObject({ kind: 'UNAVAILABLE', retryable: false });
    expect(error.message).toContain('data.id: expected');
  });
});

describe('markDelivered', () => {
  it('POSTs {slug: completed, note} as JSON, answers 201, and the fake records it', async () => {
    await start();
    const order = fake.createOrder(STORE, { lines: [{ productId: '1', quantity: 1 }] });
    const { fetch, sent } = recordingFetch();
    const token = tokenOf();

    await expect(client({ fetch }, memoryTokens({ [STORE]: token })).api.markDelivered(STORE, order.id, { note: 'Codes sent by StreamSync' })).resolves.toEqual({ status: 201 });

    expect(sent.map((s) => [s.method, s.url.pathname, s.headers, s.body])).toEqual([
      [
        'POST',
        `/admin/v2/orders/${order.id}/status`,
        { authorization: `Bearer ${token}`, accept: 'application/json', 'content-type': 'application/json' },
        JSON.stringify({ slug: 'completed', note: 'Codes sent by StreamSync' }),
      ],
    ]);
    const [change] = fake.statusChanges();
    expect(change).toMatchObject({ storeId: STORE, orderId: order.id, method: 'POST', body: { slug: 'completed', note: 'Codes sent by StreamSync' } });
    expect(change.headers.authorization).toBe(`Bearer ${token}`);
    expect(change.at).toBe(new Date(clock.now()).toISOString());
    expect(fake.order(STORE, order.id)?.status.slug).toBe('completed');
    expect(fake.stats().statusChanges).toBe(1);
  });

  it('a numeric override is a custom sub-status {status_id}, a word is a slug', async () => {
    await start({ customStatuses: [{ id: 986688842, name: 'Codes delivered', parentSlug: 'completed' }] });
    const order = fake.createOrder(STORE, { lines: [{ productId: '1', quantity: 1 }] });
    const { api } = client();

    await api.markDelivered(STORE, order.id, { statusOverride: '986688842' });
    expect(fake.order(STORE, order.id)?.status).toMatchObject({ slug: 'completed', customized: { id: 986688842, name: 'Codes delivered' } });
    await api.markDelivered(STORE, order.id, { statusOverride: 'delivered' });
    expect(fake.statusChanges().map((c) => c.body)).toEqual([{ status_id: 986688842 }, { slug: 'delivered' }]);
  });

  it('a status Salla does not know is INVALID_REQUEST (422)', async () => {
    await start();
    const order = fake.createOrder(STORE, { lines: [{ productId: '1', quantity: 1 }] });
    const error = await failureOf(client().api.markDelivered(STORE, order.id, { statusOverride: 'teleported' }));
    expect(error).toMatchObject({ kind: 'INVALID_REQUEST', retryable: false });
    expect(fake.statusChanges()).toEqual([]);
  });
});

describe('rate limits', () => {
  it('a burst over the limit gets 429s from the fake with X-RateLimit-* and Retry-After', async () => {
    await start({ rateLimit: 5, leakPerSecond: 1 });
    const order = fake.createOrder(STORE, { lines: [{ productId: '1', quantity: 1 }] });
    const token = tokenOf();
    const call = () => fetch(`${fake.url}/orders/${order.id}`, { headers: { Authorization: `Bearer ${token}` } });

    const answers = [];
    for (let i = 0; i < 8; i += 1) answers.push(await call());
    const nowSeconds = clock.now() / 1000;
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    expect(answers.map((a) => a.headers.get('x-ratelimit-limit'))).toEqual(Array(8).fill('5'));
    expect(answers.map((a) => a.headers.get('x-ratelimit-remaining'))).toEqual(['4', '3', '2', '1', '0', '0', '0', '0']);
    expect(answers.map((a) => Number(a.headers.get('x-ratelimit-reset')))).toEqual([1, 2, 3, 4, 5, 5, 5, 5].map((s) => nowSeconds + s));
    expect(answers.map((a) => a.headers.get('retry-after'))).toEqual([null, null, null, null, null, '1', '1', '1']);
    expect(await answers[5].json()).toEqual({ status: 429, success: false, error: { code: 'too_many_requests', message: 'Too Many Requests' } });

    // One request a second leaks through; another store has its own bucket.
    clock.advance(1_000);
    expect((await call()).status).toBe(200);
    expect((await call()).status).toBe(429);
    const other = fake.createOrder(OTHER_STORE, { lines: [{ productId: '1', quantity: 1 }] });
    const theirs = await fetch(`${fake.url}/orders/${other.id}`, { headers: { Authorization: `Bearer ${tokenOf(OTHER_STORE)}` } });
    expect([theirs.status, theirs.headers.get('x-ratelimit-remaining')]).toEqual([200, '4']);
    expect(fake.stats()).toMatchObject({ rateLimited: 4, rateLimitedByStore: { [STORE]: 4 }, requestsByStore: { [STORE]: 10, [OTHER_STORE]: 1 } });
  });

  it('429 becomes RATE_LIMITED with retryAfterSeconds from Retry-After; the client remembers the headers', async () => {
    await start({ rateLimit: 2, leakPerSecond: 0.5 });
    const order = fake.createOrder(STORE, { lines: [{ productId: '1', quantity: 1 }] });
    const { api } = client();
    await api.getOrder(STORE, order.id);
    expect(api.rateLimit(STORE)).toEqual({ limit: 2, remaining: 1, resetAtMs: clock.now() + 2_000, seenAtMs: clock.now() });
    await api.markDelivered(STORE, order.id);

    const error = await failureOf(api.getOrder(STORE, order.id));
    expect(error).toMatchObject({ kind: 'RATE_LIMITED', retryable: true, retryAfterSeconds: 2 });
    expect(error.message).toBe(`salla: get order ${order.id} of store ${STORE}: HTTP 429 too_many_requests (retry after 2 s)`);
    expect(api.rateLimit(STORE)?.remaining).toBe(0);
  });

  it('without Retry-After the wait comes from X-RateLimit-Reset (epoch seconds or a delta) or an HTTP date', async () => {
    await start();
    const nowSeconds = Math.floor(clock.now() / 1000);
    const answers: Array<Record<string, string>> = [
      { 'X-RateLimit-Reset': String(nowSeconds + 7) },
      { 'X-RateLimit-Reset': '12' },
      { 'Retry-After': new Date(clock.now() + 30_000).toUTCString() },
      {},
    ];
    const { fetch } = recordingFetch((_sent, i) => jsonResponse(429, { status: 429, success: false }, answers[i]));
    const { api } = client({ fetch });
    const waits = [];
    for (let i = 0; i < answers.length; i += 1) waits.push((await failureOf(api.getOrder(STORE, '1'))).retryAfterSeconds);
    expect(waits).toEqual([7, 12, 30, undefined]);
  });
});

describe('401: one fresh token, one retry', () => {
  it('invalidates the refused token, takes a new one and repeats the call once', async () => {
    await start();
    const order = fake.createOrder(STORE, { lines: [{ productId: '1', quantity: 1 }] });
    const tokens = memoryTokens({ [STORE]: tokenOf() }, (storeId) => tokenOf(storeId));
    const { api } = client({}, tokens);
    fake.expireAccessTokens(STORE);

    await expect(api.markDelivered(STORE, order.id)).resolves.toEqual({ status: 201 });
    expect(tokens.calls).toEqual({ accessToken: 2, invalidate: 1 });
    expect(fake.stats()).toMatchObject({ unauthorized: 1, statusChanges: 1, requests: { 'POST /admin/v2/orders/:id/status': 2 } });
  });

  it('a second 401 is AUTH after exactly one retry; without invalidate there is no retry', async () => {
    await start();
    const order = fake.createOrder(STORE, { lines: [{ productId: '1', quantity: 1 }] });
    const stale = tokenOf();
    fake.revokeTokens(STORE);
    const tokens = memoryTokens({ [STORE]: stale }, () => stale);
    const error = await failureOf(client({}, tokens).api.getOrder(STORE, order.id));
    expect(error).toMatchObject({ kind: 'AUTH', retryable: false });
    expect(error.message).toBe(`salla: get order ${order.id} of store ${STORE}: HTTP 401 Unauthorized`);
    expect(tokens.calls).toEqual({ accessToken: 2, invalidate: 1 });

    const noInvalidate = { accessToken: async () => stale };
    await failureOf(client({}, noInvalidate as never).api.getOrder(STORE, order.id));
    expect(fake.stats().requests['GET /admin/v2/orders/:id']).toBe(3);
  });
});

describe('unavailable', () => {
  it('5xx is UNAVAILABLE and retryable', async () => {
    await start({ failureRate: 1, failureStatuses: [503] });
    const error = await failureOf(client().api.getOrder(STORE, '1'));
    expect(error).toMatchObject({ kind: 'UNAVAILABLE', retryable: true });
    expect(fake.stats().injectedFailures).toBe(1);
  });

  it('a timeout and a refused connection are UNAVAILABLE and retryable', async () => {
    await start({ latencyMs: 300 });
    const timeout = await failureOf(client({ timeoutMs: 50 }).api.getOrder(STORE, '1'));
    expect(timeout).toMatchObject({ kind: 'UNAVAILABLE', retryable: true, message: `salla: get order 1 of store ${STORE}: timeout` });
    const network = await failureOf(client({ baseUrl: 'http://127.0.0.1:1/admin/v2' }).api.getOrder(STORE, '1'));
    expect(network).toMatchObject({ kind: 'UNAVAILABLE', retryable: true, message: `salla: get order 1 of store ${STORE}: network` });
  });

  it('a failing token provider is UNAVAILABLE without repeating its message', async () => {
    await start();
    const leaky = 'sk-provider-secret-123456';
    secrets.push(leaky);
    const tokens = { accessToken: async () => Promise.reject(new Error(`secret store said ${leaky}`)) };
    const error = await failureOf(client({}, tokens as never).api.getOrder(STORE, '1'));
    expect(error).toMatchObject({ kind: 'UNAVAILABLE', retryable: true, message: `salla: get order 1 of store ${STORE}: token provider failed (Error)` });
  });
});

describe('local hooks', () => {
  it('startFake gives the env that module config turns into a client and an OAuth endpoint of the fake', async () => {
    const hook = await (await salla.local!()).startFake!();
    try {
      const config = moduleConfig(salla, hook.env);
      expect(hook.env).toEqual({ SALLA_API_BASE_URL: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/admin\/v2$/), SALLA_ACCOUNTS_URL: expect.any(String) });
      const { fake: local, client: app } = hook as unknown as { fake: FakeSalla; client: { clientId: string; clientSecret: string } };
      const { tokens } = local.install(STORE);
      const fresh = await refreshSallaTokens({ ...app, accountsUrl: config.SALLA_ACCOUNTS_URL }, { refreshToken: tokens.refreshToken });
      secrets.push(tokens.accessToken, tokens.refreshToken, app.clientSecret, fresh.accessToken, fresh.refreshToken);
      const order = local.createOrder(STORE, { lines: [{ productId: '1', quantity: 1 }] });
      const api = new SallaStoreApi({
        tokens: { accessToken: async () => fresh.accessToken },
        paidRule: { paidStatuses: config.SALLA_PAID_STATUSES, unpaidPaymentMethods: config.SALLA_UNPAID_PAYMENT_METHODS },
        baseUrl: config.SALLA_API_BASE_URL,
      });
      await expect(api.markDelivered(STORE, order.id)).resolves.toEqual({ status: 201 });
    } finally {
      await hook.stop();
    }
  });
});
