// EzpinSupplier against the local fake (a real HTTP server on a free port), through real HTTP requests.
import { SupplierError } from '#core/errors';
import type { FakeEzpin, FakeEzpinOptions } from '#adapters/suppliers/ezpin/fake/fake-ezpin';
import { recordingFetch } from './helpers';
import { answer, CLIENT, ezpinFor, lookups, order, orderPosts, PRODUCT, ref, startEzpin } from './ezpin-helpers';

let fake: FakeEzpin;
const start = async (options: FakeEzpinOptions = {}) => (fake = await startEzpin(options));

afterEach(async () => {
  await fake?.stop();
});

describe('placeOrResume', () => {
  it('buys the cards and maps them to code material', async () => {
    await start();
    const result = await ezpinFor(fake).placeOrResume(order('reorder-1', 3));

    expect(result.status).toBe('COMPLETED');
    expect(result.codes).toHaveLength(3);
    for (const code of result.codes) {
      expect(code).toEqual({ code: expect.stringMatching(/^\d{16}$/), pin: expect.stringMatching(/^\d{12}$/), format: 'text' });
    }
    expect(new Set(result.codes.map((c) => c.code)).size).toBe(3);
    expect(result.supplierOrderIds).toEqual(['1']);
    expect(fake.stats()).toMatchObject({ ordersByReference: { [ref('reorder-1:1')]: 1 }, cardsIssued: 3, balance: 1_000_000 - 75 });
  });

  it('sends the documented order body, with the terminal, under the base path', async () => {
    await start({ terminalId: 45, terminalPin: '0042' });
    const { fetch, sent } = recordingFetch();
    await ezpinFor(fake, { fetch, terminalId: '45', terminalPin: '0042' }).placeOrResume(order('body', 2));

    expect(orderPosts(sent).map((s) => s.body)).toEqual([
      { sku: 1001, quantity: 2, price: '25', pre_order: false, delivery_type: 0, destination: '', terminal_id: 45, terminal_pin: '0042', reference_code: ref('body:1') },
    ]);
    expect(sent[0]).toMatchObject({ method: 'POST', path: '/vendors/v2/auth/token/', body: { client_id: CLIENT.clientId, secret_key: CLIENT.secretKey } });
    expect(sent[1]).toMatchObject({ method: 'GET', path: `/vendors/v2/orders/${ref('body:1')}/` });
  });

  it('splits 12 into sub-orders of 5, 5 and 2 whose reference codes any instance derives again', async () => {
    await start();
    const { fetch, sent } = recordingFetch();
    const result = await ezpinFor(fake, { fetch }).placeOrResume(order('big', 12));

    expect(orderPosts(sent).map((p) => [p.body?.reference_code, p.body?.quantity])).toEqual([
      [ref('big:1'), 5],
      [ref('big:2'), 5],
      [ref('big:3'), 2],
    ]);
    expect(result).toMatchObject({ status: 'COMPLETED', supplierOrderIds: ['1', '2', '3'] });
    expect(new Set(result.codes.map((c) => c.code)).size).toBe(12);
    expect(fake.stats().ordersByReference).toEqual({ [ref('big:1')]: 1, [ref('big:2')]: 1, [ref('big:3')]: 1 });

    const again = await ezpinFor(fake).check(order('big', 12)); // another container, same references
    expect(again).toEqual(result);
  });

  it('honours a smaller maxPerOrder and refuses one above five', async () => {
    await start();
    const { fetch, sent } = recordingFetch();
    await ezpinFor(fake, { fetch, maxPerOrder: 2 }).placeOrResume(order('small', 5));
    expect(orderPosts(sent).map((p) => p.body?.quantity)).toEqual([2, 2, 1]);
    expect(() => ezpinFor(fake, { maxPerOrder: 6 })).toThrow('maxPerOrder must be an integer from 1 to 5');
  });

  it('is idempotent: a second call buys nothing and returns the same codes', async () => {
    await start();
    const { fetch, sent } = recordingFetch();
    const supplier = ezpinFor(fake, { fetch });
    const first = await supplier.placeOrResume(order('again', 7));
    const second = await supplier.placeOrResume(order('again', 7));

    expect(orderPosts(sent)).toHaveLength(2);
    expect(second).toEqual(first);
    expect(fake.stats()).toMatchObject({ ordersPlaced: 2, ordersByReference: { [ref('again:1')]: 1, [ref('again:2')]: 1 } });
  });

  it('resumes a reorder whose first sub-order was bought by an earlier, interrupted attempt', async () => {
    await start();
    await ezpinFor(fake).placeOrResume(order('resume', 5));
    const { fetch, sent } = recordingFetch();
    const result = await ezpinFor(fake, { fetch }).placeOrResume(order('resume', 8));

    expect(orderPosts(sent).map((p) => p.body?.reference_code)).toEqual([ref('resume:2')]);
    expect(result.status).toBe('COMPLETED');
    expect(result.codes).toHaveLength(8);
  });
});

describe('a POST whose answer is lost', () => {
  it.each(['http500', 'hang', 'reset'] as const)('%s: the same call looks the order up and buys once', async (mode) => {
    await start({ failNextPostAfterCommit: mode });
    const { fetch, sent } = recordingFetch();
    const result = await ezpinFor(fake, { fetch, timeoutMs: 300 }).placeOrResume(order(`lost-${mode}`, 2));

    const code = ref(`lost-${mode}:1`);
    expect(result.status).toBe('COMPLETED');
    expect(result.codes).toHaveLength(2);
    expect(lookups(sent)).toEqual([code, code]); // before and after the POST
    expect(fake.stats()).toMatchObject({ ordersPlaced: 1, ordersByReference: { [code]: 1 }, postsByReference: { [code]: 1 } });
  });

  it.each(['http500', 'hang', 'reset'] as const)('%s, lookup down too: retryable, and the retry reconciles without a POST', async (mode) => {
    await start({ failNextPostAfterCommit: mode });
    const code = ref(`retry-${mode}:1`);
    let posted = false;
    const { fetch, sent } = recordingFetch((s) => {
      if (s.method === 'POST' && s.path.endsWith('/orders/')) posted = true;
      else if (posted && s.path.endsWith(`/orders/${code}/`)) return answer(503, { detail: 'Service temporarily unavailable' });
      return undefined;
    });
    const attempt = ezpinFor(fake, { fetch, timeoutMs: 300 }).placeOrResume(order(`retry-${mode}`, 2));
    await expect(attempt).rejects.toMatchObject({ kind: 'UNAVAILABLE', retryable: true });

    const retry = await ezpinFor(fake).placeOrResume(order(`retry-${mode}`, 2));
    expect(retry.status).toBe('COMPLETED');
    expect(retry.codes).toHaveLength(2);
    expect(orderPosts(sent)).toHaveLength(1);
    expect(fake.stats()).toMatchObject({ ordersPlaced: 1, ordersByReference: { [code]: 1 }, postsByReference: { [code]: 1 }, cardsIssued: 2 });
  });

  it('does not re-POST when the lookup after a lost answer still finds nothing: retryable, and the next call buys', async () => {
    await start();
    // A proxy answers 502 before EZ PIN sees the POST: nothing was bought.
    const { fetch, sent } = recordingFetch((s) => (s.method === 'POST' && s.path.endsWith('/orders/') ? new Response('<html>bad gateway</html>', { status: 502 }) : undefined));
    const attempt = ezpinFor(fake, { fetch }).placeOrResume(order('proxy', 1));
    await expect(attempt).rejects.toMatchObject({ kind: 'UNAVAILABLE', retryable: true, httpStatus: 502 });
    expect(orderPosts(sent)).toHaveLength(1);
    expect(lookups(sent)).toEqual([ref('proxy:1'), ref('proxy:1')]);
    expect(fake.stats().ordersPlaced).toBe(0);

    await expect(ezpinFor(fake).placeOrResume(order('proxy', 1))).resolves.toMatchObject({ status: 'COMPLETED' });
    expect(fake.stats().ordersByReference).toEqual({ [ref('proxy:1')]: 1 });
  });

  it('treats "reference code already exists" as proof the order exists and reads it back', async () => {
    await start();
    await ezpinFor(fake).placeOrResume(order('lagging', 1));
    let first = true;
    // The first lookup misses the order (a lagging replica): the adapter POSTs, EZ PIN refuses the reference.
    const { fetch, sent } = recordingFetch((s) => {
      if (!first || !s.path.endsWith(`/orders/${ref('lagging:1')}/`)) return undefined;
      first = false;
      return answer(404, { detail: 'Not found.' });
    });
    const result = await ezpinFor(fake, { fetch }).placeOrResume(order('lagging', 1));

    expect(orderPosts(sent)).toHaveLength(1);
    expect(result).toMatchObject({ status: 'COMPLETED' });
    expect(result.codes).toHaveLength(1);
    expect(fake.stats()).toMatchObject({ ordersPlaced: 1, rejectedDuplicates: 1 });
  });

  it.each([603, 606, 609])('code %p: looks the order up again, buys nothing, throws retryable; the retry buys once', async (code) => {
    await start({ errorCodes: { [PRODUCT]: code } });
    const { fetch, sent } = recordingFetch();
    const attempt = ezpinFor(fake, { fetch }).placeOrResume(order(`busy-${code}`, 1));
    await expect(attempt).rejects.toBeInstanceOf(SupplierError);
    await expect(attempt).rejects.toMatchObject({ kind: 'UNAVAILABLE', retryable: true, httpStatus: 400, message: expect.stringContaining(`code ${code}`) });
    expect(orderPosts(sent)).toHaveLength(1);
    expect(lookups(sent)).toHaveLength(2);
    expect(fake.stats().ordersPlaced).toBe(0);

    fake.setOptions({ errorCodes: {} });
    await expect(ezpinFor(fake).placeOrResume(order(`busy-${code}`, 1))).resolves.toMatchObject({ status: 'COMPLETED' });
    expect(fake.stats().ordersByReference).toEqual({ [ref(`busy-${code}:1`)]: 1 });
  });

  it('with random failures, retrying with the same reference ends with exactly one purchase per sub-order', async () => {
    await start({ failureRate: 0.4, seed: 42 });
    const supplier = ezpinFor(fake);
    let result;
    for (let attempt = 0; attempt < 60 && !result; attempt += 1) {
      result = await supplier.placeOrResume(order('flaky', 12)).catch((err: SupplierError) => {
        expect(err.retryable).toBe(true);
        return undefined;
      });
    }
    expect(result?.status).toBe('COMPLETED');
    expect(new Set(result?.codes.map((c) => c.code)).size).toBe(12);
    expect(fake.stats().injectedFailures).toBeGreaterThan(0);
    expect(fake.stats().ordersByReference).toEqual({ [ref('flaky:1')]: 1, [ref('flaky:2')]: 1, [ref('flaky:3')]: 1 });
  });
});

describe('pending and partial fulfilment', () => {
  it('goes PENDING → COMPLETED across check calls, and check never places anything', async () => {
    await start({ partialFulfilment: { afterReads: 3 } });
    const { fetch, sent } = recordingFetch();
    const supplier = ezpinFor(fake, { fetch });

    expect(await supplier.placeOrResume(order('slow', 3))).toMatchObject({ status: 'PENDING', codes: [], supplierOrderIds: ['1'] });
    expect(await supplier.check(order('slow', 3))).toMatchObject({ status: 'PENDING', codes: [] });
    const done = await supplier.check(order('slow', 3));
    expect(done.status).toBe('COMPLETED');
    expect(done.codes).toHaveLength(3);
    expect(orderPosts(sent)).toHaveLength(1);
    expect(fake.stats()).toMatchObject({ ordersPlaced: 1, cardsIssued: 3 });
  });

  it('returns the codes so far while an accepted order is still issuing cards', async () => {
    await start({ partialFulfilment: { afterReads: 0, cardsPerRead: 2 } });
    const supplier = ezpinFor(fake);

    const first = await supplier.placeOrResume(order('drip', 5));
    expect(first.status).toBe('PENDING');
    expect(first.codes).toHaveLength(2);
    const second = await supplier.check(order('drip', 5));
    expect(second).toMatchObject({ status: 'PENDING', codes: expect.arrayContaining(first.codes) });
    expect(second.codes).toHaveLength(4);
    const done = await supplier.check(order('drip', 5));
    expect(done.status).toBe('COMPLETED');
    expect(done.codes.slice(0, 4)).toEqual(second.codes);
    expect(new Set(done.codes.map((c) => c.code)).size).toBe(5);
  });

  it('settles by time as well', async () => {
    await start({ partialFulfilment: { afterMs: 100 } });
    const supplier = ezpinFor(fake);
    expect((await supplier.placeOrResume(order('timed', 2))).status).toBe('PENDING');
    await new Promise((resolve) => setTimeout(resolve, 150));
    const done = await supplier.check(order('timed', 2));
    expect(done.status).toBe('COMPLETED');
    expect(done.codes).toHaveLength(2);
  });

  it('returns the codes that have arrived while another sub-order is still pending', async () => {
    await start();
    await ezpinFor(fake).placeOrResume(order('mixed', 5)); // mixed:1 settles at once
    fake.setOptions({ partialFulfilment: { afterReads: 10 } });
    const result = await ezpinFor(fake).placeOrResume(order('mixed', 7)); // mixed:2 stays pending

    expect(result.status).toBe('PENDING');
    expect(result.codes).toHaveLength(5);
    expect(result.supplierOrderIds).toEqual(['1', '2']);
  });

  it('check on a reorder EZ PIN has never seen is PENDING and places nothing', async () => {
    await start();
    const { fetch, sent } = recordingFetch();
    const result = await ezpinFor(fake, { fetch }).check(order('never', 6));
    expect(result).toEqual({ status: 'PENDING', codes: [], supplierOrderIds: [] });
    expect(orderPosts(sent)).toEqual([]);
    expect(lookups(sent)).toEqual([ref('never:1'), ref('never:2')]);
  });
});

describe('sub-orders side by side', () => {
  it('a first attempt places without looking up; a later attempt looks every sub-order up and buys nothing', async () => {
    await start();
    const { fetch, sent } = recordingFetch();
    const supplier = ezpinFor(fake, { fetch });

    const first = await supplier.placeOrResume(order('wide', 22, { firstAttempt: true }));
    expect(first).toMatchObject({ status: 'COMPLETED' });
    expect(first.codes).toHaveLength(22);
    expect(lookups(sent)).toEqual([]);
    expect(orderPosts(sent)).toHaveLength(5);

    sent.length = 0;
    const again = await supplier.placeOrResume(order('wide', 22));
    expect(orderPosts(sent)).toEqual([]);
    expect(lookups(sent)).toHaveLength(5);
    expect(again.codes).toEqual(first.codes);
    expect(fake.stats()).toMatchObject({ ordersPlaced: 5, cardsIssued: 22 });
  });
});

describe('a rejected sub-order', () => {
  it('makes the reorder FAILED with the reason, and nothing more is bought', async () => {
    await start({ rejectProducts: [PRODUCT] });
    const { fetch, sent } = recordingFetch();
    const result = await ezpinFor(fake, { fetch }).placeOrResume(order('rej', 12));

    expect(result).toMatchObject({ status: 'FAILED', codes: [], supplierOrderIds: ['1'] });
    expect(result.failureReason).toMatch(/^EZ PIN: sub-order rej:1 \(order 1\) was rejected \(reject\)$/);
    expect(orderPosts(sent)).toHaveLength(1);
    expect(lookups(sent)).toEqual([ref('rej:1'), ref('rej:2'), ref('rej:3')]);
    expect(fake.stats().balance).toBe(1_000_000);
  });

  it('is PENDING while another placed sub-order is pending, then FAILED with the codes of the others', async () => {
    const slow = { afterReads: 1 };
    await start({ partialFulfilment: slow });
    // mix:1 is issued slowly and succeeds; mix:2 is rejected at once; mix:3 must then never be bought.
    // One sub-order at a time: side by side, mix:3 would be in flight with mix:2 (and bought).
    const { fetch, sent } = recordingFetch((s) => {
      const rejecting = s.method === 'POST' && s.body?.reference_code === ref('mix:2');
      fake.setOptions(rejecting ? { partialFulfilment: false, rejectProducts: [PRODUCT] } : { partialFulfilment: slow, rejectProducts: [] });
      return undefined;
    });
    const supplier = ezpinFor(fake, { fetch, subOrdersAtOnce: 1 });

    const first = await supplier.placeOrResume(order('mix', 15));
    expect(first).toMatchObject({ status: 'PENDING', codes: [], supplierOrderIds: ['1', '2'] });
    const second = await supplier.placeOrResume(order('mix', 15));
    expect(second.status).toBe('FAILED');
    expect(second.codes).toHaveLength(5);
    expect(second.failureReason).toContain('mix:2');
    expect(second.failureReason).not.toContain('mix:1');
    const checked = await supplier.check(order('mix', 15));
    expect(checked).toEqual(second);

    expect(orderPosts(sent).map((p) => p.body?.reference_code)).toEqual([ref('mix:1'), ref('mix:2')]);
    expect(fake.stats().ordersByReference).toEqual({ [ref('mix:1')]: 1, [ref('mix:2')]: 1 });
  });
});

describe('cards', () => {
  it('a card that is only a claim link becomes a url code', async () => {
    await start({ urlOnlyProducts: [PRODUCT] });
    const result = await ezpinFor(fake).placeOrResume(order('links', 2));
    expect(result.status).toBe('COMPLETED');
    for (const code of result.codes) expect(code).toEqual({ code: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/claim\/[0-9a-f-]{36}$/), format: 'url' });
  });

  it('reads a bare list as well as the OpenAPI { results } page', async () => {
    await start({ cardsAsList: true });
    const result = await ezpinFor(fake).placeOrResume(order('list', 3));
    expect(result).toMatchObject({ status: 'COMPLETED' });
    expect(result.codes).toHaveLength(3);
  });

  it('keeps long numeric card numbers exact', async () => {
    await start();
    await ezpinFor(fake).placeOrResume(order('numeric', 1));
    const { fetch } = recordingFetch((s) =>
      s.path.endsWith('/cards/') ? answer(200, '{"results": [{"card_number": 6120200345149064123, "pin_code": 5821, "claim_url": null}]}') : undefined,
    );
    const result = await ezpinFor(fake, { fetch }).check(order('numeric', 1));
    expect(result.codes).toEqual([{ code: '6120200345149064123', pin: '5821', format: 'text' }]);
  });

  it('an accepted order whose cards answer 404 or is short stays PENDING', async () => {
    await start();
    await ezpinFor(fake).placeOrResume(order('short', 3));
    const { fetch } = recordingFetch((s) => (s.path.endsWith('/cards/') ? answer(404, { detail: 'Not found.' }) : undefined));
    await expect(ezpinFor(fake, { fetch }).check(order('short', 3))).resolves.toMatchObject({ status: 'PENDING', codes: [] });
    const cut = recordingFetch((s) => (s.path.endsWith('/cards/') ? answer(200, { results: [{ card_number: '1', pin_code: '2' }] }) : undefined));
    await expect(ezpinFor(fake, { fetch: cut.fetch }).check(order('short', 3))).resolves.toMatchObject({ status: 'PENDING', codes: [{ code: '1', pin: '2' }] });
  });
});

describe('balance', () => {
  it('reads the configured currency from the per-currency list, else the first row', async () => {
    await start({ balance: 321.5, otherBalances: { SAR: 1200 } });
    await expect(ezpinFor(fake).balance()).resolves.toEqual({ amount: 321.5, currency: 'USD' });
    await expect(ezpinFor(fake, { currency: 'sar' }).balance()).resolves.toEqual({ amount: 1200, currency: 'SAR' });
    await expect(ezpinFor(fake, { currency: 'EUR' }).balance()).resolves.toEqual({ amount: 321.5, currency: 'USD' });
  });

  it('drops by what was bought', async () => {
    await start({ balance: 1000 });
    await ezpinFor(fake).placeOrResume(order('spend', 7));
    await expect(ezpinFor(fake).balance()).resolves.toEqual({ amount: 1000 - 7 * 25, currency: 'USD' });
  });
});

describe('availability', () => {
  it('asks GET /catalogs/{sku}/availability/ with item_count and price', async () => {
    await start({ stock: { [PRODUCT]: 3 } });
    const { fetch, sent } = recordingFetch();
    const supplier = ezpinFor(fake, { fetch });
    await expect(supplier.availability(PRODUCT, 3, 25)).resolves.toEqual({ available: true, detail: 'This catalog is available.' });
    await expect(supplier.availability(PRODUCT, 4, 25)).resolves.toMatchObject({ available: false });
    await expect(supplier.availability(PRODUCT, 1, 30)).resolves.toMatchObject({ available: false });
    expect(sent.at(-1)).toMatchObject({ path: `/vendors/v2/catalogs/${PRODUCT}/availability/` });
    expect(Object.fromEntries(sent.at(-1)!.query)).toEqual({ item_count: '1', price: '30' });
    await expect(supplier.availability('gift-card', 1, 25)).rejects.toMatchObject({ kind: 'INVALID_REQUEST', retryable: false });
  });
});
