// Issue-level behaviour of the reorder decision on the in-memory ports: reorders sized by what waits,
// follow-ups while one is in flight, a wake at the end of the pause, buy per order, the cap, the
// balance check and failover to the next supplier.
import { SupplierError } from '#core/errors';
import type { SkuConfig } from '#core/model';
import { maybeReorder, pollReorder, wakeReorder } from '#core/reorder';
import type { SupplierFulfilment, SupplierOrderRequest } from '#core/ports/supplier';
import { harness, T0, type Harness } from '#test/fakes/harness';
import { ScriptedSupplier } from '#test/fakes/recorders';

const SKU = 'CARD-50';
const iso = (offsetSeconds: number) => new Date(Date.parse(T0) + offsetSeconds * 1000).toISOString();
let serial = 0;
const fresh = (request: SupplierOrderRequest): SupplierFulfilment => ({
  status: 'COMPLETED',
  codes: Array.from({ length: request.quantity }, () => ({ code: `C-${++serial}` })),
  supplierOrderIds: [`S-${request.reference}`],
});
const pending = async (): Promise<SupplierFulfilment> => ({ status: 'PENDING', codes: [], supplierOrderIds: [] });

type Setup = Harness & { primary: ScriptedSupplier; backup: ScriptedSupplier };

function setup(config: Partial<SkuConfig> = {}): Setup {
  const h = harness();
  const primary = new ScriptedSupplier(async (r) => fresh(r), 'reloadly');
  const backup = new ScriptedSupplier(async (r) => fresh(r), 'ezpin');
  h.suppliers.set('reloadly', primary);
  h.suppliers.set('ezpin', backup);
  h.catalog.configs.set(SKU, {
    sku: SKU,
    threshold: 5,
    reorderQuantity: 20,
    supplier: 'reloadly',
    supplierProductId: 'RL-77',
    unitPrice: 1,
    alternates: [{ supplier: 'ezpin', productId: '4411', unitPrice: 1.1 }],
    ...config,
  });
  return { ...h, primary, backup };
}

async function waiting(h: Harness, count: number, from = 0): Promise<void> {
  for (let n = from + 1; n <= from + count; n++) {
    await h.backorders.backorder({ storeId: 'S1', orderId: `O-${n}`, unitId: 'L1#1', lineId: 'L1', sku: SKU, receivedAt: iso(n / 1000), productName: 'Card' });
  }
}

/** 40 codes in stock, and `afterCount(look)` run after each count of the backlog (backorders arriving meanwhile). */
async function stockedWithArrivals(h: Harness, afterCount: (look: number) => Promise<void>): Promise<() => void> {
  await h.stock.addCodes(SKU, Array.from({ length: 40 }, (_, n) => ({ code: `IN-${n}` })));
  const count = h.backorders.countBackorders.bind(h.backorders);
  let looks = 0;
  h.backorders.countBackorders = async (sku, atMost) => {
    const seen = await count(sku, atMost);
    await afterCount(++looks);
    return seen;
  };
  return () => {
    h.backorders.countBackorders = count;
  };
}

describe('reorders sized by demand', () => {
  it('the first reorder covers everyone waiting plus the threshold, not just the batch size', async () => {
    const h = setup();
    await waiting(h, 28);
    expect(await maybeReorder(h.deps, SKU, { thorough: true })).toBe('COMPLETED');
    expect(h.primary.requests.map((r) => r.quantity)).toEqual([33]);
  });

  it('backorders that arrive while a reorder is with the supplier get a follow-up at once, in another lane', async () => {
    const h = setup();
    h.primary.answer = pending;
    await waiting(h, 12);
    expect(await maybeReorder(h.deps, SKU, { thorough: true, placeVia: 'queue' })).toBe('PLACED');
    await waiting(h, 16, 12);
    expect(await maybeReorder(h.deps, SKU, { thorough: true, placeVia: 'queue' })).toBe('PLACED');
    const lanes = h.reorders.activeOf(SKU);
    expect(lanes.map((a) => [a.lane, a.quantity, a.state])).toEqual([
      [0, 20, 'PLACING'],
      // 28 waiting and the threshold of 5, 20 on order: the follow-up tops up exactly the 13 missing.
      [1, 13, 'PLACING'],
    ]);
    // Handed to the poll function at once: the stream never waits on the supplier.
    expect(h.polls.scheduled.map((p) => [p.message.reorderId, p.delaySeconds])).toEqual(lanes.map((a) => [a.reorderId, 0]));
    expect(h.primary.requests).toEqual([]);
    // Nothing more waits: a third look starts nothing.
    expect(await maybeReorder(h.deps, SKU, { thorough: true, placeVia: 'queue' })).toBe('IN_FLIGHT');
  });

  it('two decisions that saw the same demand start one follow-up between them', async () => {
    const h = setup();
    h.primary.answer = pending;
    await waiting(h, 12);
    await maybeReorder(h.deps, SKU, { thorough: true, placeVia: 'queue' });
    await waiting(h, 16, 12);
    const decisions = await Promise.all([1, 2, 3].map(() => maybeReorder(h.deps, SKU, { thorough: true, placeVia: 'queue' })));
    expect(decisions.filter((d) => d === 'PLACED')).toHaveLength(1);
    expect(h.reorders.activeOf(SKU).reduce((sum, a) => sum + a.quantity, 0)).toBe(33);
  });

  it('backorders arriving between the counts raise the count again: plenty of stock never buys a sliver', async () => {
    const h = setup();
    await waiting(h, 9);
    // Three more are backordered right after the first look at the backlog (a burst under load did this):
    // a count bounded by 5 + 9 found 14, and 12 + 5 − 14 bought 3 while 40 codes sat in stock.
    let looks = 0;
    await stockedWithArrivals(h, async (look) => {
      looks = look;
      if (look === 1) await waiting(h, 3, 9);
    });
    expect(await maybeReorder(h.deps, SKU, { thorough: true })).toBe('ABOVE_THRESHOLD');
    expect(h.primary.requests).toEqual([]);
    expect(looks).toBe(3);
  });

  it('a backlog that keeps growing past every recount is left to the next decision, never bought on a capped count', async () => {
    const h = setup();
    await waiting(h, 4);
    let next = 4;
    const stopArrivals = await stockedWithArrivals(h, async () => {
      await waiting(h, 4, next);
      next += 4;
    });
    expect(await maybeReorder(h.deps, SKU, { thorough: true })).toBe('ABOVE_THRESHOLD');
    expect(h.primary.requests).toEqual([]);
    // Once the stock no longer covers what waits, the count is exact and the need is bought.
    stopArrivals();
    await waiting(h, 40, next);
    expect(await maybeReorder(h.deps, SKU, { thorough: true })).toBe('COMPLETED');
    // 60 waiting and the threshold of 5, 40 in stock (no filler in this test).
    expect(h.primary.requests.map((r) => r.quantity)).toEqual([60 + 5 - 40]);
  });

  it('a need of many batches is bought as reorders side by side, one lane left for the next follow-up', async () => {
    const h = setup();
    h.primary.answer = pending;
    h.primary.balanceAnswer = async () => ({ amount: 10_000, currency: 'USD' });
    await waiting(h, 200);
    expect(await maybeReorder(h.deps, SKU, { thorough: true })).toBe('PLACED');
    expect(h.reorders.activeOf(SKU).map((a) => [a.lane, a.quantity])).toEqual([
      [0, 41],
      [1, 41],
      [2, 41],
      [3, 41],
      [4, 41],
    ]);
    // All handed to the poll function, to run in parallel, even from an inline decision.
    expect(h.polls.scheduled.map((p) => p.delaySeconds)).toEqual([0, 0, 0, 0, 0]);
    await waiting(h, 10, 200);
    expect(await maybeReorder(h.deps, SKU, { thorough: true, placeVia: 'queue' })).toBe('PLACED');
    // 210 waiting and the threshold of 5, 205 on order: the 10 missing, not a batch of 20.
    expect(h.reorders.activeOf(SKU).map((a) => [a.lane, a.quantity]).at(-1)).toEqual([5, 10]);
  });

  it('a SKU that keeps no stock buys exactly what waits, every wave', async () => {
    const h = setup({ threshold: 0 });
    expect(await maybeReorder(h.deps, SKU, { thorough: true })).toBe('ABOVE_THRESHOLD');
    await waiting(h, 3);
    expect(await maybeReorder(h.deps, SKU, { thorough: true })).toBe('COMPLETED');
    expect(h.primary.requests.map((r) => r.quantity)).toEqual([3]);
  });

  it('never more on order than the SKU budget: the cap is alerted, the rest is bought as reorders land', async () => {
    const h = setup({ maxReorderQuantity: 50 });
    h.primary.answer = pending;
    h.primary.balanceAnswer = async () => ({ amount: 1000, currency: 'USD' });
    await waiting(h, 80);
    expect(await maybeReorder(h.deps, SKU, { thorough: true, placeVia: 'queue' })).toBe('PLACED');
    expect(h.reorders.activeOf(SKU).map((a) => a.quantity)).toEqual([25, 25]);
    expect(h.alerts.published).toEqual([expect.objectContaining({ type: 'REORDER_CAPPED', sku: SKU, details: { wanted: 60, ordered: 50, cap: 50 } })]);
    // The backlog is counted only as far as the cap can matter: 55 of the 80, plus the threshold.
    expect(h.alerts.published[0].message).toContain('needs at least 60 code(s) but at most 50 may be on order at once; 50 ordered now');
    expect(await maybeReorder(h.deps, SKU, { thorough: true, placeVia: 'queue' })).toBe('IN_FLIGHT');
  });

  it('the pause after a reorder ends with a scheduled decision, once, which buys what still waits', async () => {
    const h = setup();
    h.primary.answer = async (r) => ({ ...fresh(r), codes: fresh(r).codes.slice(0, 10) }); // delivered short
    await waiting(h, 10);
    expect(await maybeReorder(h.deps, SKU, { thorough: true })).toBe('COMPLETED');
    const wakes = () => h.polls.scheduled.filter((p) => p.message.wake);
    expect(wakes()).toEqual([{ message: { sku: SKU, wake: true }, delaySeconds: 2 }]);
    // More sales in the pause: BLOCKED, and no second wake for the same pause.
    await waiting(h, 5, 10);
    expect(await maybeReorder(h.deps, SKU, { thorough: true })).toBe('BLOCKED');
    expect(wakes()).toHaveLength(1);
    h.clock.advanceSeconds(2);
    h.primary.answer = async (r) => fresh(r);
    expect(await wakeReorder(h.deps, SKU)).toBe('COMPLETED');
    // 15 waiting, 10 in stock (the filler has not run in this test): 15 + 5 − 10 is 10, but the first
    // reorder fell short, so the follow-up is a batch, not a sliver the supplier may never deliver.
    expect(h.primary.requests.map((r) => r.quantity)).toEqual([20, 20]);
  });

  it('customers waiting in the pause get at once what the codes that just landed cannot cover; the wake tops up the rest', async () => {
    const h = setup();
    await waiting(h, 10);
    expect(await maybeReorder(h.deps, SKU, { thorough: true })).toBe('COMPLETED');
    // 20 bought, none handed out yet (no filler here), 30 more waiting: 40 in all, in the pause.
    await waiting(h, 30, 10);
    expect(await maybeReorder(h.deps, SKU, { thorough: true })).toBe('COMPLETED');
    // The 20 just received count as on their way even though the count shows them: 40 + 5 − 20 − 20.
    expect(h.primary.requests.map((r) => r.quantity)).toEqual([20, 5]);
    // Nobody new waits: nothing more in the pause; the wake at its end buys the 20 the first look held back.
    expect(await maybeReorder(h.deps, SKU, { thorough: true })).toBe('BLOCKED');
    h.clock.advanceSeconds(2);
    expect(await wakeReorder(h.deps, SKU)).toBe('COMPLETED');
    expect(h.primary.requests.map((r) => r.quantity)).toEqual([20, 5, 20]);
  });

  it('a wake that comes before the pause ends schedules itself again', async () => {
    const h = setup();
    expect(await maybeReorder(h.deps, SKU, { thorough: true })).toBe('COMPLETED');
    h.clock.advanceSeconds(1);
    expect(await wakeReorder(h.deps, SKU)).toBe('BLOCKED');
    expect(h.polls.scheduled.filter((p) => p.message.wake).map((p) => p.delaySeconds)).toEqual([2, 1]);
  });

  it('the fixed setting keeps the old rule: the batch size, one reorder at a time, no wake', async () => {
    const h = setup();
    h.deps.settings.reorderSizing = 'fixed';
    await waiting(h, 28);
    expect(await maybeReorder(h.deps, SKU, { thorough: true, placeVia: 'queue' })).toBe('COMPLETED');
    expect(h.primary.requests.map((r) => r.quantity)).toEqual([20]);
    expect(await maybeReorder(h.deps, SKU, { thorough: true })).toBe('BLOCKED');
    expect(h.polls.scheduled).toEqual([]);
  });
});

describe('failover between suppliers', () => {
  it('a fatal error moves the reorder to the next supplier under a new reference; the alert names both', async () => {
    const h = setup();
    h.primary.answer = async () => {
      throw new SupplierError('balance too low', 'INSUFFICIENT_BALANCE', false, 400);
    };
    await waiting(h, 3);
    expect(await maybeReorder(h.deps, SKU, { thorough: true })).toBe('FAILED');
    const [failed] = h.primary.requests;
    const [replacement] = h.backup.requests;
    expect(replacement).toMatchObject({ productId: '4411', unitPrice: 1.1, quantity: 20 });
    expect(replacement.reference).not.toBe(failed.reference);
    expect(h.reorders.records.get(replacement.reference)).toMatchObject({ supplier: 'ezpin', failoverFrom: failed.reference, finished: 'COMPLETED' });
    expect(h.alerts.published).toEqual([
      expect.objectContaining({ type: 'SUPPLIER_FAILOVER', sku: SKU, details: { reorderId: failed.reference, supplier: 'reloadly', failoverTo: 'ezpin', pausedUntil: iso(900) } }),
    ]);
    expect(h.alerts.published[0].message).toMatch(/from reloadly failed: INSUFFICIENT_BALANCE.*reorders go to ezpin/);
    // Paused for the backoff: later reorders go to ezpin, then back to the first choice.
    h.clock.advanceSeconds(3);
    await waiting(h, 30, 3);
    await maybeReorder(h.deps, SKU, { thorough: true });
    expect(h.backup.requests).toHaveLength(2);
    h.clock.advanceSeconds(900);
    h.primary.answer = async (r) => fresh(r);
    await waiting(h, 30, 33);
    await maybeReorder(h.deps, SKU, { thorough: true });
    expect(h.primary.requests).toHaveLength(2);
  });

  it('the watchdog giving up moves the SKU to the next supplier; late cards of the first are still collected', async () => {
    const h = setup();
    h.primary.answer = pending;
    await waiting(h, 3);
    expect(await maybeReorder(h.deps, SKU, { thorough: true })).toBe('PENDING');
    const { reorderId } = h.reorders.activeOf(SKU)[0];
    h.clock.advanceSeconds(3601);
    const poll = h.polls.scheduled.at(-1)!.message;
    expect(await pollReorder(h.deps, SKU, reorderId, poll.pollId)).toBe('STUCK');
    expect(h.reorders.supplierPausedUntil(SKU, 'reloadly')).toBe(iso(3601 + 900));
    expect(h.alerts.published.map((a) => a.type)).toEqual(['SUPPLIER_STUCK']);
    expect(h.alerts.published[0].message).toContain('Reorders go to ezpin');
    // The customers waiting do not wait for the short pause: the follow-up buys from ezpin at once,
    // and the wake at the pause's end finds nothing left to buy.
    expect(h.backup.requests).toHaveLength(1);
    h.clock.advanceSeconds(2);
    expect(await wakeReorder(h.deps, SKU)).toBe('ABOVE_THRESHOLD');
    expect(h.backup.requests).toHaveLength(1);
    // reloadly delivers after all: stored by the late check, never bought again.
    h.primary.answer = async (r) => ({ status: 'COMPLETED', codes: [{ code: 'LATE-1' }], supplierOrderIds: [r.reference] });
    const late = h.polls.scheduled.find((p) => p.message.lateCheck)!.message;
    expect(await pollReorder(h.deps, SKU, reorderId, late.pollId, true)).toBe('LATE_CHECK_DONE');
    expect(h.world.codes.get('LATE-1')).toMatchObject({ sku: SKU, status: 'AVAILABLE' });
    expect(h.primary.requests).toHaveLength(1);
  });
});

describe('the balance before buying', () => {
  it('a balance that cannot pay for the reorder sends it to the next supplier and is alerted once', async () => {
    const h = setup();
    h.primary.balanceAnswer = async () => ({ amount: 10, currency: 'USD' });
    await waiting(h, 3);
    expect(await maybeReorder(h.deps, SKU, { thorough: true })).toBe('COMPLETED');
    expect(h.primary.requests).toEqual([]);
    expect(h.backup.requests).toHaveLength(1);
    h.clock.advanceSeconds(3);
    await waiting(h, 30, 3);
    await maybeReorder(h.deps, SKU, { thorough: true });
    expect(h.alerts.published.filter((a) => a.type === 'LOW_BALANCE')).toEqual([
      expect.objectContaining({ sku: SKU, details: { supplier: 'reloadly', balance: 10, currency: 'USD' } }),
    ]);
    expect(h.alerts.published[0].message).toContain('cannot pay for 20 × CARD-50 (20.00 USD): nothing was bought from it');
  });

  it('a balance that pays for this reorder but few more buys, and warns before anything fails', async () => {
    const h = setup({ alternates: undefined });
    h.primary.balanceAnswer = async () => ({ amount: 50, currency: 'USD' });
    expect(await maybeReorder(h.deps, SKU)).toBe('COMPLETED');
    expect(h.primary.requests).toHaveLength(1);
    expect(h.alerts.published.map((a) => a.type)).toEqual(['LOW_BALANCE']);
    expect(h.alerts.published[0].message).toContain('pays for fewer than 3 more reorders of 20 × CARD-50');
  });

  it('no balance at any supplier: nothing is bought (BLOCKED), the merchant is told', async () => {
    const h = setup();
    h.primary.balanceAnswer = async () => ({ amount: 0, currency: 'USD' });
    h.backup.balanceAnswer = async () => ({ amount: 0, currency: 'USD' });
    expect(await maybeReorder(h.deps, SKU)).toBe('BLOCKED');
    expect(h.alerts.published.map((a) => [a.type, a.details?.supplier])).toEqual([
      ['LOW_BALANCE', 'reloadly'],
      ['LOW_BALANCE', 'ezpin'],
    ]);
  });

  it('an unreadable balance does not stop buying', async () => {
    const h = setup();
    h.primary.balanceAnswer = async () => {
      throw new Error('timeout');
    };
    expect(await maybeReorder(h.deps, SKU)).toBe('COMPLETED');
    expect(h.primary.requests).toHaveLength(1);
  });
});
