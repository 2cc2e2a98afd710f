// ReloadlySupplier against the local fake (a real HTTP server on a free port).
import { SupplierError } from '#core/errors';
import type { SupplierOrderRequest } from '#core/ports/supplier';
import { startFakeReloadly, type FakeReloadly, type FakeReloadlyOptions } from '#adapters/suppliers/reloadly/fake/fake-reloadly';
import { posts, recordingFetch, supplierFor } from './helpers';

const PRODUCT = '1234';
const order = (reference: string, quantity: number, extra: Partial<SupplierOrderRequest> = {}): SupplierOrderRequest => ({
  reference,
  productId: PRODUCT,
  quantity,
  unitPrice: 25,
  ...extra,
});

let fake: FakeReloadly;
const start = async (options: FakeReloadlyOptions = {}) => {
  fake = await startFakeReloadly({ clientId: 'test-client', clientSecret: 'test-secret', seed: 7, ...options });
  return fake;
};

afterEach(async () => {
  await fake?.stop();
});

describe('placeOrResume', () => {
  it('buys the cards and maps them to code material', async () => {
    await start();
    const result = await supplierFor(fake).placeOrResume(order('reorder-1', 3));

    expect(result.status).toBe('COMPLETED');
    expect(result.codes).toHaveLength(3);
    for (const code of result.codes) {
      expect(code).toEqual({ code: expect.stringMatching(/^\d{16}$/), pin: expect.stringMatching(/^\d{4}$/), format: 'text' });
    }
    expect(new Set(result.codes.map((c) => c.code)).size).toBe(3);
    expect(result.supplierOrderIds).toHaveLength(1);
    expect(fake.stats()).toMatchObject({ ordersPlaced: 1, ordersByCustomIdentifier: { 'reorder-1:1': 1 }, cardsIssued: 3, balance: 1_000_000 - 75 });
  });

  it('sends the documented order body and headers', async () => {
    await start();
    const { fetch, sent } = recordingFetch();
    await supplierFor(fake, { fetch, senderName: 'Shop' }).placeOrResume(order('reorder-body', 2));

    expect(posts(sent)[0].body).toEqual({
      productId: 1234,
      quantity: 2,
      unitPrice: 25,
      customIdentifier: 'reorder-body:1',
      senderName: 'Shop',
      preOrder: false,
    });
    const lookup = sent.find((s) => s.path === '/reports/transactions');
    expect(lookup?.query.get('customIdentifier')).toBe('reorder-body:1');
    expect(sent.find((s) => s.path === '/oauth/token')?.body).toMatchObject({
      grant_type: 'client_credentials',
      audience: 'https://giftcards-sandbox.reloadly.com',
    });
  });

  it('splits 25 into sub-orders of 10, 10 and 5 with sub-references', async () => {
    await start();
    const { fetch, sent } = recordingFetch();
    const result = await supplierFor(fake, { fetch }).placeOrResume(order('big', 25));

    expect(posts(sent).map((p) => [p.body?.customIdentifier, p.body?.quantity])).toEqual([
      ['big:1', 10],
      ['big:2', 10],
      ['big:3', 5],
    ]);
    expect(result.status).toBe('COMPLETED');
    expect(result.codes).toHaveLength(25);
    expect(result.supplierOrderIds).toHaveLength(3);
    expect(fake.stats().ordersByCustomIdentifier).toEqual({ 'big:1': 1, 'big:2': 1, 'big:3': 1 });
  });

  it('honours maxPerOrder', async () => {
    await start();
    const { fetch, sent } = recordingFetch();
    await supplierFor(fake, { fetch, maxPerOrder: 4 }).placeOrResume(order('small', 9));
    expect(posts(sent).map((p) => p.body?.quantity)).toEqual([4, 4, 1]);
  });

  it('is idempotent: a second call buys nothing and returns the same codes', async () => {
    await start();
    const { fetch, sent } = recordingFetch();
    const supplier = supplierFor(fake, { fetch });
    const first = await supplier.placeOrResume(order('again', 12));
    const second = await supplier.placeOrResume(order('again', 12));

    expect(posts(sent)).toHaveLength(2); // the two sub-orders of the first call, nothing after
    expect(second.codes).toEqual(first.codes);
    expect(second.supplierOrderIds).toEqual(first.supplierOrderIds);
    expect(fake.stats()).toMatchObject({ ordersPlaced: 2, ordersByCustomIdentifier: { 'again:1': 1, 'again:2': 1 } });
  });

  it('resumes a reorder whose first sub-order was bought by an earlier, interrupted attempt', async () => {
    await start();
    await supplierFor(fake).placeOrResume(order('resume', 10)); // "resume:1" exists at Reloadly
    const { fetch, sent } = recordingFetch();
    const result = await supplierFor(fake, { fetch }).placeOrResume(order('resume', 15));

    expect(posts(sent).map((p) => p.body?.customIdentifier)).toEqual(['resume:2']);
    expect(result).toMatchObject({ status: 'COMPLETED' });
    expect(result.codes).toHaveLength(15);
  });

  it.each(['hang', 'http500', 'reset'] as const)(
    'looks a sub-order up after a committed POST whose answer was lost (%s) and does not buy twice',
    async (mode) => {
      await start({ failNextPostAfterCommit: mode });
      const { fetch, sent } = recordingFetch();
      const result = await supplierFor(fake, { fetch, timeoutMs: 300 }).placeOrResume(order(`lost-${mode}`, 2));

      expect(result.status).toBe('COMPLETED');
      expect(result.codes).toHaveLength(2);
      expect(posts(sent)).toHaveLength(1);
      expect(sent.filter((s) => s.path === '/reports/transactions')).toHaveLength(2); // before and after the POST
      expect(fake.stats()).toMatchObject({ ordersPlaced: 1, ordersByCustomIdentifier: { [`lost-${mode}:1`]: 1 } });
    },
  );

  it('treats "identifier already used" as proof the order exists and reads it back', async () => {
    await start();
    await supplierFor(fake).placeOrResume(order('lagging', 1));
    // The report has not caught up yet: the first lookup sees nothing.
    let lookups = 0;
    const { fetch, sent } = recordingFetch((s) => {
      if (s.path !== '/reports/transactions' || (lookups += 1) > 1) return undefined;
      return new Response(JSON.stringify({ content: [], totalElements: 0 }), { status: 200 });
    });
    const result = await supplierFor(fake, { fetch }).placeOrResume(order('lagging', 1));

    expect(posts(sent)).toHaveLength(1);
    expect(fake.stats()).toMatchObject({ ordersPlaced: 1, rejectedDuplicates: 1 });
    expect(result).toMatchObject({ status: 'COMPLETED' });
    expect(result.codes).toHaveLength(1);
  });

  it('does not re-POST when the lookup after a lost answer still finds nothing: retryable, and the next call finds it', async () => {
    await start();
    // The POST fails before reaching Reloadly (500 from a proxy): nothing was bought.
    const { fetch, sent } = recordingFetch((s) =>
      s.path === '/orders' ? new Response('<html>bad gateway</html>', { status: 502 }) : undefined,
    );
    const attempt = supplierFor(fake, { fetch }).placeOrResume(order('proxy', 1));
    await expect(attempt).rejects.toMatchObject({ kind: 'UNAVAILABLE', retryable: true, httpStatus: 502 });
    expect(posts(sent)).toHaveLength(1);
    expect(fake.stats().ordersPlaced).toBe(0);

    const retry = await supplierFor(fake).placeOrResume(order('proxy', 1));
    expect(retry.status).toBe('COMPLETED');
    expect(fake.stats().ordersPlaced).toBe(1);
  });

  it('reports FAILED with the reason when Reloadly refunds a sub-order, and stops buying the rest', async () => {
    await start({ failProducts: { [PRODUCT]: 'REFUNDED' } });
    const { fetch, sent } = recordingFetch();
    const result = await supplierFor(fake, { fetch }).placeOrResume(order('refunded', 25));

    expect(result.status).toBe('FAILED');
    expect(result.failureReason).toMatch(/refunded:1.*REFUNDED/);
    expect(result.codes).toEqual([]);
    expect(posts(sent)).toHaveLength(1);
    expect(fake.stats().balance).toBe(1_000_000);
  });
});

describe('sub-orders side by side', () => {
  it('a first attempt places without looking up, several at once; a later attempt finds them all and buys nothing', async () => {
    await start({ latencyMs: 30 });
    const { fetch: recording, sent } = recordingFetch();
    let inFlight = 0;
    let most = 0;
    const counting: typeof fetch = async (input, init) => {
      most = Math.max(most, ++inFlight);
      try {
        return await recording(input, init);
      } finally {
        inFlight--;
      }
    };
    const supplier = supplierFor(fake, { fetch: counting });

    const first = await supplier.placeOrResume(order('wide', 45, { firstAttempt: true }));
    expect(first).toMatchObject({ status: 'COMPLETED' });
    expect(first.codes).toHaveLength(45);
    expect(sent.filter((s) => s.path === '/reports/transactions')).toEqual([]);
    expect(posts(sent).map((p) => p.body?.customIdentifier)).toEqual(['wide:1', 'wide:2', 'wide:3', 'wide:4', 'wide:5']);
    // wide:1 alone, then wide:2..5 together; then the five card reads together.
    expect(most).toBe(5);

    sent.length = 0;
    const again = await supplier.placeOrResume(order('wide', 45));
    expect(posts(sent)).toEqual([]);
    expect(sent.filter((s) => s.path === '/reports/transactions')).toHaveLength(5);
    expect(again.codes).toEqual(first.codes);
    expect(fake.stats()).toMatchObject({ ordersPlaced: 5, cardsIssued: 45 });
  });
});

describe('a failed sub-order', () => {
  const lookups = (sent: ReturnType<typeof recordingFetch>['sent']) =>
    sent.filter((s) => s.path === '/reports/transactions').map((s) => s.query.get('customIdentifier'));

  it('places nothing after it, but still looks up every other sub-order', async () => {
    await start({ failProducts: { [PRODUCT]: 'FAILED' } });
    const { fetch, sent } = recordingFetch();
    const result = await supplierFor(fake, { fetch }).placeOrResume(order('halt', 30));

    expect(posts(sent).map((p) => p.body?.customIdentifier)).toEqual(['halt:1']);
    expect(lookups(sent)).toEqual(['halt:1', 'halt:2', 'halt:3']);
    expect(result).toMatchObject({ status: 'FAILED', codes: [] });
    expect(result.failureReason).toContain('halt:1');
  });

  it('is PENDING while a placed sub-order is still pending, then FAILED with the codes of the others', async () => {
    const slow = { initialStatus: 'PROCESSING', afterReads: 1 } as const;
    await start({ partialFulfilment: slow });
    // mix:1 is issued slowly and succeeds; mix:2 fails at once; mix:3 must then never be bought.
    // One sub-order at a time: side by side, mix:3 would be in flight with mix:2 (and bought).
    const { fetch, sent } = recordingFetch((s) => {
      const failing = s.method === 'POST' && s.body?.customIdentifier === 'mix:2';
      fake.setOptions(failing ? { partialFulfilment: false, failProducts: { [PRODUCT]: 'FAILED' } } : { partialFulfilment: slow, failProducts: {} });
      return undefined;
    });
    const supplier = supplierFor(fake, { fetch, subOrdersAtOnce: 1 });

    const first = await supplier.placeOrResume(order('mix', 30));
    expect(first).toMatchObject({ status: 'PENDING', codes: [] });
    expect(first.supplierOrderIds).toHaveLength(2);
    expect(posts(sent).map((p) => p.body?.customIdentifier)).toEqual(['mix:1', 'mix:2']);

    const second = await supplier.placeOrResume(order('mix', 30)); // mix:1 read once more, still PROCESSING
    expect(second).toMatchObject({ status: 'PENDING', codes: [] });

    const third = await supplier.placeOrResume(order('mix', 30)); // mix:1 settles
    expect(third.status).toBe('FAILED');
    expect(third.codes).toHaveLength(10);
    expect(third.supplierOrderIds).toEqual(first.supplierOrderIds);
    expect(third.failureReason).toMatch(/mix:2.*FAILED/);
    expect(third.failureReason).not.toContain('mix:1');

    expect(posts(sent).map((p) => p.body?.customIdentifier)).toEqual(['mix:1', 'mix:2']);
    expect(lookups(sent).filter((id) => id === 'mix:3')).toHaveLength(3);
    expect(fake.stats().ordersByCustomIdentifier).toEqual({ 'mix:1': 1, 'mix:2': 1 });
  });

  it('check reports the same: FAILED with the codes that were paid for, and places nothing', async () => {
    await start();
    await supplierFor(fake).placeOrResume(order('paid', 10)); // paid:1 succeeds
    fake.setOptions({ failProducts: { [PRODUCT]: 'REFUNDED' } });
    const placed = await supplierFor(fake, { subOrdersAtOnce: 1 }).placeOrResume(order('paid', 25)); // paid:2 refunded, paid:3 never placed
    expect(placed).toMatchObject({ status: 'FAILED' });
    expect(placed.codes).toHaveLength(10);

    const { fetch, sent } = recordingFetch();
    const checked = await supplierFor(fake, { fetch }).check(order('paid', 25));
    expect(checked).toMatchObject({ status: 'FAILED', supplierOrderIds: placed.supplierOrderIds });
    expect(checked.codes).toEqual(placed.codes);
    expect(posts(sent)).toEqual([]);
    expect(fake.stats().ordersByCustomIdentifier).toEqual({ 'paid:1': 1, 'paid:2': 1 });
  });
});

describe('check and partial fulfilment', () => {
  it('goes PENDING → COMPLETED across check calls and never places anything', async () => {
    await start({ partialFulfilment: { initialStatus: 'PROCESSING', afterReads: 1 } });
    const { fetch, sent } = recordingFetch();
    const supplier = supplierFor(fake, { fetch });

    const placed = await supplier.placeOrResume(order('slow', 3));
    expect(placed).toMatchObject({ status: 'PENDING', codes: [] });
    expect(placed.supplierOrderIds).toHaveLength(1);

    const stillPending = await supplier.check(order('slow', 3));
    expect(stillPending).toMatchObject({ status: 'PENDING', codes: [] });

    const done = await supplier.check(order('slow', 3));
    expect(done.status).toBe('COMPLETED');
    expect(done.codes).toHaveLength(3);
    expect(posts(sent)).toHaveLength(1);
    expect(fake.stats()).toMatchObject({ ordersPlaced: 1, cardsIssued: 3 });
  });

  it('settles by time as well', async () => {
    await start({ partialFulfilment: { initialStatus: 'PENDING', afterMs: 100 } });
    const supplier = supplierFor(fake);
    expect((await supplier.placeOrResume(order('timed', 2))).status).toBe('PENDING');
    await new Promise((resolve) => setTimeout(resolve, 150));
    const done = await supplier.check(order('timed', 2));
    expect(done.status).toBe('COMPLETED');
    expect(done.codes).toHaveLength(2);
  });

  it('returns the codes that have arrived while other sub-orders are still pending', async () => {
    await start();
    await supplierFor(fake).placeOrResume(order('mixed', 10)); // mixed:1 settles at once
    fake.setOptions({ partialFulfilment: { afterLookups: 5 } }); // the alias of afterReads
    const result = await supplierFor(fake).placeOrResume(order('mixed', 15)); // mixed:2 stays PROCESSING

    expect(result.status).toBe('PENDING');
    expect(result.codes).toHaveLength(10);
    expect(result.supplierOrderIds).toHaveLength(2);
  });

  it('check on a reorder Reloadly has never seen is PENDING and places nothing', async () => {
    await start();
    const { fetch, sent } = recordingFetch();
    const result = await supplierFor(fake, { fetch }).check(order('never', 5));
    expect(result).toEqual({ status: 'PENDING', codes: [], supplierOrderIds: [] });
    expect(posts(sent)).toHaveLength(0);
  });
});

describe('errors', () => {
  const expectFatal = async (attempt: Promise<unknown>, kind: string) => {
    await expect(attempt).rejects.toBeInstanceOf(SupplierError);
    await expect(attempt).rejects.toMatchObject({ kind, retryable: false });
  };

  it('out of stock is a fatal PRODUCT_UNAVAILABLE and buys nothing', async () => {
    await start({ stock: { [PRODUCT]: 2 } });
    await expectFatal(supplierFor(fake).placeOrResume(order('oos', 5)), 'PRODUCT_UNAVAILABLE');
    expect(fake.stats()).toMatchObject({ ordersPlaced: 0, stock: { [PRODUCT]: 2 } });
  });

  it('insufficient balance is a fatal INSUFFICIENT_BALANCE', async () => {
    await start({ balance: 10 });
    await expectFatal(supplierFor(fake).placeOrResume(order('poor', 1)), 'INSUFFICIENT_BALANCE');
    expect(fake.stats()).toMatchObject({ ordersPlaced: 0, balance: 10 });
  });

  it('"Invalid price" is a fatal PRICE_CHANGED', async () => {
    await start({ denominations: { [PRODUCT]: [10, 50] } });
    await expectFatal(supplierFor(fake).placeOrResume(order('price', 1)), 'PRICE_CHANGED');
  });

  it('a missing unit price is a fatal INVALID_REQUEST raised before any purchase', async () => {
    await start();
    await expectFatal(supplierFor(fake).placeOrResume(order('noprice', 1, { unitPrice: undefined })), 'INVALID_REQUEST');
    expect(fake.stats().ordersPlaced).toBe(0);
  });

  it('503 is a retryable UNAVAILABLE', async () => {
    await start({ failureRate: 1, failureStatuses: [503] });
    const attempt = supplierFor(fake).placeOrResume(order('down', 1));
    await expect(attempt).rejects.toMatchObject({ kind: 'UNAVAILABLE', retryable: true, httpStatus: 503 });
    expect(fake.stats().ordersPlaced).toBe(0);
  });

  it('429 is a retryable RATE_LIMITED', async () => {
    await start({ failureRate: 1, failureStatuses: [429] });
    await expect(supplierFor(fake).balance()).rejects.toMatchObject({ kind: 'RATE_LIMITED', retryable: true, httpStatus: 429 });
  });

  it('a timeout is a retryable UNAVAILABLE', async () => {
    await start({ latencyMs: 500 });
    await expect(supplierFor(fake, { timeoutMs: 100 }).balance()).rejects.toMatchObject({ kind: 'UNAVAILABLE', retryable: true });
  });

  it('an unreachable host is a retryable UNAVAILABLE', async () => {
    await start();
    const url = fake.url;
    await fake.stop();
    const supplier = supplierFor({ ...fake, url, authUrl: `${url}/oauth/token` });
    await expect(supplier.balance()).rejects.toMatchObject({ kind: 'UNAVAILABLE', retryable: true });
    fake = await startFakeReloadly(); // afterEach stops this one
  });

  it('with random failures, retrying with the same reference ends with exactly one purchase per sub-order', async () => {
    await start({ failureRate: 0.4, seed: 42 });
    const supplier = supplierFor(fake);
    let result;
    for (let attempt = 0; attempt < 50 && !result; attempt += 1) {
      result = await supplier.placeOrResume(order('flaky', 25)).catch((err: SupplierError) => {
        expect(err.retryable).toBe(true);
        return undefined;
      });
    }
    expect(result?.status).toBe('COMPLETED');
    expect(result?.codes).toHaveLength(25);
    expect(fake.stats().injectedFailures).toBeGreaterThan(0);
    expect(fake.stats().ordersByCustomIdentifier).toEqual({ 'flaky:1': 1, 'flaky:2': 1, 'flaky:3': 1 });
  });

  it('never puts a card number or PIN in an error message', async () => {
    await start();
    const bought = await supplierFor(fake).placeOrResume(order('secret', 2));
    const secrets = bought.codes.flatMap((c) => [c.code, c.pin ?? '']).filter(Boolean);
    expect(secrets).toHaveLength(4);

    // The cards answer arrives cut off: the adapter must fail without echoing what it read.
    const leaky = `[{"cardNumber":"${secrets[0]}","pinCode":"${secrets[1]}"`;
    const { fetch } = recordingFetch((s) => (s.path.endsWith('/cards') ? new Response(leaky, { status: 200 }) : undefined));
    const failures: unknown[] = [];
    await supplierFor(fake, { fetch }).check(order('secret', 2)).catch((err: unknown) => failures.push(err));
    fake.setOptions({ balance: 0 });
    await supplierFor(fake).placeOrResume(order('secret-2', 1)).catch((err: unknown) => failures.push(err));
    fake.setOptions({ failureRate: 1 });
    await supplierFor(fake).check(order('secret', 2)).catch((err: unknown) => failures.push(err));

    expect(failures).toHaveLength(3);
    for (const failure of failures) {
      expect(failure).toBeInstanceOf(SupplierError);
      const text = `${(failure as Error).message} ${(failure as Error).stack ?? ''}`;
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
  });
});

describe('token', () => {
  it('requests one token for many calls', async () => {
    await start();
    const supplier = supplierFor(fake);
    await supplier.placeOrResume(order('t', 12));
    await supplier.check(order('t', 12));
    await supplier.balance();
    await Promise.all([supplier.balance(), supplier.balance(), supplier.check(order('t', 12))]);
    expect(fake.stats().tokensIssued).toBe(1);
    expect(fake.stats().requests['POST /oauth/token']).toBe(1);
  });

  it('shares one token request between concurrent first calls', async () => {
    await start({ latencyMs: 50 });
    const supplier = supplierFor(fake);
    await Promise.all([supplier.balance(), supplier.balance(), supplier.balance()]);
    expect(fake.stats().tokensIssued).toBe(1);
  });

  it('refreshes the token once on 401 and carries on', async () => {
    await start();
    const supplier = supplierFor(fake);
    await supplier.balance();
    fake.revokeTokens();
    await expect(supplier.balance()).resolves.toEqual({ amount: 1_000_000, currency: 'USD' });
    expect(fake.stats().tokensIssued).toBe(2);
  });

  it('a token refused again after the refresh is a fatal AUTH error', async () => {
    await start({ tokenTtlSeconds: 0 });
    // A token that is already stale: every call fetches a new one, the API answers 401 TOKEN_EXPIRED,
    // the adapter refreshes once, then gives up with a fatal AUTH error.
    await expect(supplierFor(fake).balance()).rejects.toMatchObject({ kind: 'AUTH', retryable: false, httpStatus: 401 });
    expect(fake.stats().tokensIssued).toBe(2);
  });

  it('wrong credentials are a fatal AUTH error that never names the secret', async () => {
    await start();
    const attempt = supplierFor(fake, { clientSecret: 'wrong-secret-value' }).placeOrResume(order('auth', 1));
    await expect(attempt).rejects.toMatchObject({ kind: 'AUTH', retryable: false });
    const message = await attempt.then(
      () => 'resolved',
      (err: Error) => err.message,
    );
    expect(message).toMatch(/^reloadly: get access token/);
    expect(message).not.toContain('wrong-secret-value');
    expect(fake.stats()).toMatchObject({ tokensIssued: 0, ordersPlaced: 0 });
  });
});

describe('balance', () => {
  it('reads GET /accounts/balance', async () => {
    await start({ balance: 321.5, currencyCode: 'USD' });
    await expect(supplierFor(fake).balance()).resolves.toEqual({ amount: 321.5, currency: 'USD' });
  });
});
