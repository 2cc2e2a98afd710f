// EzpinSupplier's failures against the local fake: EZ PIN's codes, HTTP failures, the token, and
// what an error may never say.
import { SupplierError } from '#core/errors';
import type { FakeEzpin, FakeEzpinOptions } from '#adapters/suppliers/ezpin/fake/fake-ezpin';
import { startFakeEzpin } from '#adapters/suppliers/ezpin/fake/fake-ezpin';
import { recordingFetch } from './helpers';
import { answer, CLIENT, ezpinFor, lookups, order, orderPosts, PRODUCT, startEzpin } from './ezpin-helpers';

let fake: FakeEzpin;
const start = async (options: FakeEzpinOptions = {}) => (fake = await startEzpin(options));

afterEach(async () => {
  await fake?.stop();
});

const expectFatal = async (attempt: Promise<unknown>, kind: string) => {
  await expect(attempt).rejects.toBeInstanceOf(SupplierError);
  await expect(attempt).rejects.toMatchObject({ kind, retryable: false });
};

describe("EZ PIN's refusals", () => {
  it.each([
    [610, 'INSUFFICIENT_BALANCE'],
    [612, 'PRICE_CHANGED'],
    [614, 'PRODUCT_UNAVAILABLE'],
  ])('code %p is a fatal %p, decided without a second lookup', async (code, kind) => {
    await start({ errorCodes: { [PRODUCT]: code } });
    const { fetch, sent } = recordingFetch();
    const attempt = ezpinFor(fake, { fetch }).placeOrResume(order(`no-${code}`, 1));
    await expectFatal(attempt, kind);
    await expect(attempt).rejects.toMatchObject({ httpStatus: 400, message: expect.stringContaining(`code ${code}`) });
    expect(orderPosts(sent)).toHaveLength(1);
    expect(lookups(sent)).toHaveLength(1);
    expect(fake.stats().ordersPlaced).toBe(0);
  });

  it.each<[string, FakeEzpinOptions, Parameters<typeof order>, string]>([
    ['a balance too low', { balance: 10 }, ['poor', 1], 'INSUFFICIENT_BALANCE'],
    ['another price', {}, ['price', 1, { unitPrice: 30 }], 'PRICE_CHANGED'],
    ['too little stock', { stock: { [PRODUCT]: 2 } }, ['oos', 3], 'PRODUCT_UNAVAILABLE'],
    ['an unknown sku', {}, ['unknown', 1, { productId: '9999' }], 'PRODUCT_UNAVAILABLE'],
  ])('%s is fatal (%#) and charges nothing', async (_, options, request, kind) => {
    await start(options);
    await expectFatal(ezpinFor(fake).placeOrResume(order(...request)), kind);
    expect(fake.stats()).toMatchObject({ ordersPlaced: 0, balance: options.balance ?? 1_000_000 });
  });

  it('a wrong terminal PIN (406, code 617) is a fatal AUTH error', async () => {
    await start({ terminalId: 45, terminalPin: '1111' });
    const attempt = ezpinFor(fake, { terminalId: 45, terminalPin: '2222' }).placeOrResume(order('terminal', 1));
    await expectFatal(attempt, 'AUTH');
    await expect(attempt).rejects.toMatchObject({ httpStatus: 406 });
  });

  it.each([
    ['a missing unit price', order('noprice', 1, { unitPrice: undefined })],
    ['a product id that is not a sku', order('sku', 1, { productId: 'steam-50' })],
    ['no reference', order(' ', 1)],
    ['a fractional quantity', order('half', 1.5)],
  ])('%s is a fatal INVALID_REQUEST raised before any purchase', async (_, request) => {
    await start();
    await expectFatal(ezpinFor(fake).placeOrResume(request), 'INVALID_REQUEST');
    expect(fake.stats().ordersPlaced).toBe(0);
  });
});

describe('HTTP failures', () => {
  it('503 is a retryable UNAVAILABLE', async () => {
    await start({ failureRate: 1, failureStatuses: [503] });
    await expect(ezpinFor(fake).placeOrResume(order('down', 1))).rejects.toMatchObject({ kind: 'UNAVAILABLE', retryable: true, httpStatus: 503 });
    expect(fake.stats().ordersPlaced).toBe(0);
  });

  it('429 is a retryable RATE_LIMITED', async () => {
    await start({ failureRate: 1, failureStatuses: [429] });
    await expect(ezpinFor(fake).balance()).rejects.toMatchObject({ kind: 'RATE_LIMITED', retryable: true, httpStatus: 429 });
  });

  it('a timeout is a retryable UNAVAILABLE', async () => {
    await start({ latencyMs: 500 });
    await expect(ezpinFor(fake, { timeoutMs: 100 }).balance()).rejects.toMatchObject({ kind: 'UNAVAILABLE', retryable: true });
  });

  it('an unreachable host is a retryable UNAVAILABLE', async () => {
    await start();
    const url = fake.url;
    await fake.stop();
    await expect(ezpinFor({ url }).balance()).rejects.toMatchObject({ kind: 'UNAVAILABLE', retryable: true });
    fake = await startFakeEzpin(); // afterEach stops this one
  });

  it('an order answer for another reference code is unreadable, not a match', async () => {
    await start();
    const { fetch } = recordingFetch((s) =>
      s.method === 'GET' && /\/orders\/[^/]+\/$/.test(s.path) ? answer(200, { status: 1, is_completed: true, reference_code: '00000000-0000-4000-8000-000000000000' }) : undefined,
    );
    await expect(ezpinFor(fake, { fetch }).check(order('other', 1))).rejects.toMatchObject({ kind: 'UNAVAILABLE', retryable: true });
  });
});

describe('token', () => {
  it('is fetched once and reused by every call', async () => {
    await start();
    const supplier = ezpinFor(fake);
    await supplier.placeOrResume(order('t', 7));
    await supplier.check(order('t', 7));
    await supplier.balance();
    await Promise.all([supplier.balance(), supplier.availability(PRODUCT, 1, 25), supplier.check(order('t', 7))]);
    expect(fake.stats().tokensIssued).toBe(1);
    expect(fake.stats().requests['POST /auth/token/']).toBe(1);
  });

  it('is requested once by concurrent first calls', async () => {
    await start({ latencyMs: 50 });
    const supplier = ezpinFor(fake);
    await Promise.all([supplier.balance(), supplier.balance(), supplier.balance()]);
    expect(fake.stats().tokensIssued).toBe(1);
  });

  it('is refreshed once on a 401 and the call carries on', async () => {
    await start();
    const supplier = ezpinFor(fake);
    await supplier.balance();
    fake.revokeTokens();
    await expect(supplier.balance()).resolves.toEqual({ amount: 1_000_000, currency: 'USD' });
    expect(fake.stats()).toMatchObject({ tokensIssued: 2, requests: { 'GET /balance/': 3 } });
  });

  it('a POST refused with 401 is sent again after the refresh and buys once', async () => {
    await start();
    const supplier = ezpinFor(fake);
    await supplier.balance();
    let revoked = false;
    const { fetch } = recordingFetch((s) => {
      if (!revoked && s.method === 'POST' && s.path.endsWith('/orders/')) {
        revoked = true;
        fake.revokeTokens();
      }
      return undefined;
    });
    const result = await ezpinFor(fake, { fetch }).placeOrResume(order('t401', 2));
    expect(result.status).toBe('COMPLETED');
    expect(fake.stats()).toMatchObject({ ordersPlaced: 1, requests: { 'POST /orders/': 2 } });
  });

  it('is refreshed before it expires, without waiting for a 401', async () => {
    await start({ tokenTtlMs: 600_000 });
    let now = 1_000;
    const supplier = ezpinFor(fake, { now: () => now });
    await supplier.balance();
    now += 500_000; // more than a minute left: kept
    await supplier.balance();
    expect(fake.stats().tokensIssued).toBe(1);
    now += 50_000; // less than a minute left: replaced
    await supplier.balance();
    expect(fake.stats()).toMatchObject({ tokensIssued: 2, requests: { 'GET /balance/': 3 } });
  });

  it('a token refused again after the refresh is a fatal AUTH error', async () => {
    await start({ tokenTtlMs: 0 });
    await expect(ezpinFor(fake).balance()).rejects.toMatchObject({ kind: 'AUTH', retryable: false, httpStatus: 401 });
    expect(fake.stats().tokensIssued).toBe(2);
  });

  it('wrong credentials (400, code 615) are a fatal AUTH error that never names the secret', async () => {
    await start();
    const attempt = ezpinFor(fake, { secretKey: 'wrong-secret-value' }).placeOrResume(order('auth', 1));
    await expectFatal(attempt, 'AUTH');
    const message = await attempt.then(
      () => 'resolved',
      (err: Error) => err.message,
    );
    expect(message).toMatch(/^ezpin: get access token \(for look up auth:1 \([0-9a-f]{8}\)\): HTTP 400 code 615/);
    expect(message).not.toContain('wrong-secret-value');
    expect(message).not.toContain(CLIENT.secretKey);
    expect(fake.stats()).toMatchObject({ tokensIssued: 0, ordersPlaced: 0 });
  });
});

describe('errors never carry a card value', () => {
  it('whatever fails, no card number or PIN is in a message or stack', async () => {
    await start();
    const bought = await ezpinFor(fake).placeOrResume(order('secret', 2));
    const secrets = bought.codes.flatMap((c) => [c.code, c.pin ?? '']).filter(Boolean);
    expect(secrets).toHaveLength(4);

    const [card, pin] = secrets;
    const onCards = (response: () => Response) => recordingFetch((s) => (s.path.endsWith('/cards/') ? response() : undefined)).fetch;
    const attempts: Array<Promise<unknown>> = [
      // Cut off mid-answer: the adapter must fail without echoing what it read.
      ezpinFor(fake, { fetch: onCards(() => answer(200, `{"results":[{"card_number":"${card}","pin_code":"${pin}"`)) }).check(order('secret', 2)),
      // An error answer from the cards endpoint that quotes a card.
      ezpinFor(fake, { fetch: onCards(() => answer(400, { code: 699, detail: `card ${card} pin ${pin} is locked` })) }).check(order('secret', 2)),
      ezpinFor(fake, { fetch: onCards(() => answer(500, { detail: `card ${card}` })) }).check(order('secret', 2)),
      // An order answer that is not an order but carries a card.
      ezpinFor(fake, {
        fetch: recordingFetch((s) => (/\/orders\/[^/]+\/$/.test(s.path) ? answer(200, { card_number: card, pin_code: pin }) : undefined)).fetch,
      }).check(order('secret', 2)),
    ];
    fake.setOptions({ balance: 0 });
    attempts.push(ezpinFor(fake).placeOrResume(order('secret-2', 1)));
    const failures = await Promise.all(attempts.map((a) => a.then(() => undefined, (err: unknown) => err)));
    fake.setOptions({ failureRate: 1 });
    failures.push(await ezpinFor(fake).check(order('secret', 2)).then(() => undefined, (err: unknown) => err));

    expect(failures).toHaveLength(6);
    for (const failure of failures) {
      expect(failure).toBeInstanceOf(SupplierError);
      const text = `${(failure as Error).message} ${(failure as Error).stack ?? ''}`;
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
  });
});
