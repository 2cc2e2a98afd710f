// maybeReorder / pollReorder: one reorder per SKU, resumed by reference, never bought twice.
import { SupplierError } from '#core/errors';
import { maybeReorder, pollReorder } from '#core/reorder';
import type { SupplierFulfilment } from '#core/ports/supplier';
import { harness, T0, type Harness } from '#test/fakes/harness';
import { ScriptedSupplier } from '#test/fakes/recorders';

const SKU = 'CARD-50';
const iso = (offsetSeconds: number) => new Date(Date.parse(T0) + offsetSeconds * 1000).toISOString();
const completed = (codes: string[]): SupplierFulfilment => ({ status: 'COMPLETED', codes: codes.map((code) => ({ code })), supplierOrderIds: ['S-1'] });

function setup(answer: ScriptedSupplier['answer'] = async () => completed(['N1', 'N2'])): Harness & { supplier: ScriptedSupplier } {
  const h = harness();
  const supplier = new ScriptedSupplier(answer);
  h.suppliers.set('scripted', supplier);
  h.catalog.configs.set(SKU, { sku: SKU, threshold: 3, reorderQuantity: 2, supplier: 'scripted', supplierProductId: 'RL-77', unitPrice: 5 });
  return { ...h, supplier };
}

describe('maybeReorder', () => {
  it('NO_SUPPLIER for a SKU restocked by hand', async () => {
    const h = setup();
    h.catalog.configs.set(SKU, { sku: SKU, threshold: 3, reorderQuantity: 2 });
    expect(await maybeReorder(h.deps, SKU)).toBe('NO_SUPPLIER');
    expect(h.supplier.requests).toEqual([]);
  });

  it('ABOVE_THRESHOLD: no reorder while stock is at the threshold', async () => {
    const h = setup();
    h.stock.seedCodes(SKU, 'A', 'B', 'C');
    const count = jest.spyOn(h.stock, 'countAvailable');
    expect(await maybeReorder(h.deps, SKU)).toBe('ABOVE_THRESHOLD');
    expect(count).toHaveBeenCalledWith(SKU, 3);
    expect(h.reorders.records.size).toBe(0);
    expect(h.supplier.requests).toEqual([]);
  });

  it('below threshold: records PLACING under a lease, buys by our reference, stores the codes, finishes', async () => {
    const h = setup();
    h.stock.seedCodes(SKU, 'A', 'B');
    const start = jest.spyOn(h.reorders, 'startReorder');
    expect(await maybeReorder(h.deps, SKU)).toBe('COMPLETED');
    const started = start.mock.calls[0][1];
    expect(started).toMatchObject({ state: 'PLACING', quantity: 2, supplier: 'scripted', leaseUntil: iso(120), createdAt: T0 });
    expect(started.reorderId).toMatch(/^CARD-50-20250301100000000-[0-9a-f]{8}$/);
    expect(h.supplier.requests).toEqual([{ reference: started.reorderId, productId: 'RL-77', quantity: 2, unitPrice: 5, firstAttempt: true }]);
    expect(await h.stock.countAvailable(SKU, 10)).toBe(4);
    expect(h.reorders.activeOf(SKU)).toEqual([]);
    expect(h.reorders.records.get(started.reorderId)).toMatchObject({ finished: 'COMPLETED', codesReceived: 2, supplierOrderIds: ['S-1'] });
    expect(h.alerts.published).toEqual([]);
  });

  it('COMPLETED starts a cooldown: BLOCKED until it passes, even below the threshold', async () => {
    const h = setup();
    const finish = jest.spyOn(h.reorders, 'finishReorder');
    expect(await maybeReorder(h.deps, SKU)).toBe('COMPLETED');
    expect(finish).toHaveBeenCalledWith(SKU, expect.objectContaining({ lane: 0 }), expect.any(String), { state: 'COMPLETED', blockedUntil: iso(2) });
    expect(await h.stock.countAvailable(SKU, 10)).toBe(2); // still below the threshold of 3

    h.clock.advanceSeconds(1);
    expect(await maybeReorder(h.deps, SKU)).toBe('BLOCKED');
    expect(h.supplier.requests).toHaveLength(1);

    h.clock.advanceSeconds(2);
    h.supplier.answer = async () => completed(['N3', 'N4']);
    expect(await maybeReorder(h.deps, SKU)).toBe('COMPLETED');
    expect(h.supplier.requests).toHaveLength(2);
  });

  it('the cooldown follows deps.settings.reorderCooldownSeconds', async () => {
    const h = setup();
    h.deps.settings.reorderCooldownSeconds = 300;
    expect(await maybeReorder(h.deps, SKU)).toBe('COMPLETED');
    expect(h.reorders.blockedUntil(SKU)).toBe(iso(300));
    h.clock.advanceSeconds(299);
    expect(await maybeReorder(h.deps, SKU)).toBe('BLOCKED');
  });

  it('PENDING: stores the codes so far, extends the lease past the poll, schedules a poll', async () => {
    const h = setup(async () => ({ status: 'PENDING', codes: [{ code: 'N1' }], supplierOrderIds: ['S-1'] }));
    expect(await maybeReorder(h.deps, SKU)).toBe('PENDING');
    const active = h.reorders.activeOf(SKU)[0];
    expect(active).toMatchObject({ state: 'PENDING', leaseUntil: iso(60 + 120), pollId: expect.any(String) });
    expect(h.polls.scheduled).toEqual([{ message: { sku: SKU, reorderId: active.reorderId, pollId: active.pollId }, delaySeconds: 60 }]);
    expect(await h.stock.countAvailable(SKU, 10)).toBe(1);
  });

  it('hands the lease to the poll id with the progress before sending the poll message that carries it', async () => {
    const h = setup(async () => ({ status: 'PENDING', codes: [{ code: 'N1' }], supplierOrderIds: ['S-1'] }));
    const update = jest.spyOn(h.reorders, 'updateReorder');
    const schedule = jest.spyOn(h.polls, 'schedule');
    expect(await maybeReorder(h.deps, SKU)).toBe('PENDING');
    const { reorderId } = h.reorders.activeOf(SKU)[0];
    const pollId = h.polls.scheduled[0].message.pollId;
    expect(update).toHaveBeenCalledWith(SKU, expect.objectContaining({ lane: 0, reorderId }), expect.any(String), { state: 'PENDING', codesReceived: 1, supplierOrderIds: ['S-1'], leaseUntil: iso(180), nextHolder: pollId });
    expect(update.mock.invocationCallOrder[0]).toBeLessThan(schedule.mock.invocationCallOrder[0]);

    // Every poll that schedules again gets a fresh id; the id it came with is spent.
    await pollReorder(h.deps, SKU, reorderId, pollId);
    const next = h.polls.scheduled[1].message.pollId;
    expect(next).toEqual(expect.any(String));
    expect(next).not.toBe(pollId);
    expect(h.reorders.activeOf(SKU)[0]?.pollId).toBe(next);
    expect(await pollReorder(h.deps, SKU, reorderId, pollId)).toBe('STALE_POLL');
  });

  it('IN_FLIGHT while the reorder lease is live: no second purchase', async () => {
    const h = setup();
    h.reorders.seedActive(SKU, { reorderId: 'R-LIVE', state: 'PLACING', leaseUntil: iso(1), quantity: 2 });
    expect(await maybeReorder(h.deps, SKU)).toBe('IN_FLIGHT');
    expect(h.supplier.requests).toEqual([]);
  });

  it('IN_FLIGHT when another caller takes over the stale reorder first', async () => {
    const h = setup();
    h.reorders.seedActive(SKU, { reorderId: 'R-OLD', state: 'PLACING', leaseUntil: iso(-1), quantity: 2 });
    jest.spyOn(h.reorders, 'takeLease').mockResolvedValueOnce(false);
    expect(await maybeReorder(h.deps, SKU)).toBe('IN_FLIGHT');
    expect(h.supplier.requests).toEqual([]);
  });

  it('takes over a stale reorder and resumes it by its reference instead of buying again', async () => {
    const h = setup();
    h.reorders.seedActive(SKU, { reorderId: 'R-OLD', state: 'PLACING', leaseUntil: iso(-1), quantity: 2 });
    h.reorders.records.set('R-OLD', { sku: SKU, reorderId: 'R-OLD', lane: 0, state: 'PLACING', leaseUntil: iso(-1), quantity: 2, supplier: 'scripted', productId: 'P-9', createdAt: iso(-300), codesReceived: 0, supplierOrderIds: [] });
    const take = jest.spyOn(h.reorders, 'takeLease');
    const start = jest.spyOn(h.reorders, 'startReorder');
    expect(await maybeReorder(h.deps, SKU)).toBe('COMPLETED');
    expect(take).toHaveBeenCalledWith(SKU, expect.objectContaining({ lane: 0, reorderId: 'R-OLD' }), { now: T0, holder: expect.any(String), leaseUntil: iso(120) });
    expect(start).not.toHaveBeenCalled();
    expect(h.supplier.requests.map((r) => r.reference)).toEqual(['R-OLD']);
    // Its holder may have reached the supplier before it crashed: the sub-orders are looked up.
    expect(h.supplier.requests[0].firstAttempt).toBe(false);
    expect(h.reorders.records.get('R-OLD')?.finished).toBe('COMPLETED');
  });

  it('marks the reorder attempted before its first supplier call, so every later call looks up first', async () => {
    let calls = 0;
    const h = setup(async () => {
      calls++;
      if (calls === 1) throw new SupplierError('timed out', 'UNAVAILABLE', true);
      return completed(['N1', 'N2']);
    });
    const update = jest.spyOn(h.reorders, 'updateReorder');
    const call = jest.spyOn(h.supplier, 'placeOrResume');
    expect(await maybeReorder(h.deps, SKU)).toBe('RETRY_SCHEDULED');
    expect(update.mock.calls[0][3]).toEqual({ state: 'PLACING', attempted: true });
    expect(update.mock.invocationCallOrder[0]).toBeLessThan(call.mock.invocationCallOrder[0]);
    // On the lane too: a holder crashing right after the mark leaves its successor looking up.
    expect(h.reorders.activeOf(SKU)[0]).toMatchObject({ attempted: true });
    const { reorderId, pollId } = h.polls.scheduled[0].message as { reorderId: string; pollId: string };
    expect(await pollReorder(h.deps, SKU, reorderId, pollId)).toBe('COMPLETED');
    expect(h.supplier.requests.map((r) => r.firstAttempt)).toEqual([true, false]);
  });

  it('LOST_RACE when other callers started a reorder between the read and the write, three times running', async () => {
    const h = setup();
    const start = jest.spyOn(h.reorders, 'startReorder').mockResolvedValue(false);
    expect(await maybeReorder(h.deps, SKU)).toBe('LOST_RACE');
    expect(start).toHaveBeenCalledTimes(3);
    expect(h.supplier.requests).toEqual([]);
  });

  it.each([
    ['a retryable SupplierError', new SupplierError('rate limited', 'RATE_LIMITED', true, 429)],
    ['an unknown outcome (timeout)', Object.assign(new Error('socket hang up'), { name: 'TimeoutError' })],
  ])('keeps the reorder and schedules a poll after %s', async (_name, error) => {
    const h = setup(async () => {
      throw error;
    });
    expect(await maybeReorder(h.deps, SKU)).toBe('RETRY_SCHEDULED');
    const active = h.reorders.activeOf(SKU)[0];
    expect(active).toMatchObject({ state: 'PENDING', leaseUntil: iso(180), pollId: expect.any(String) });
    expect(h.polls.scheduled).toEqual([{ message: { sku: SKU, reorderId: active.reorderId, pollId: active.pollId }, delaySeconds: 60 }]);
    expect(h.reorders.records.get(active.reorderId)?.finished).toBeUndefined();
    expect(h.alerts.published).toEqual([]);
  });

  it('a retry after an unknown outcome keeps the progress already recorded', async () => {
    const h = setup(async () => ({ status: 'PENDING', codes: [{ code: 'N1' }], supplierOrderIds: ['S-1'] }));
    expect(await maybeReorder(h.deps, SKU)).toBe('PENDING');
    const { reorderId, pollId } = h.reorders.activeOf(SKU)[0];
    h.supplier.answer = async () => {
      throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
    };
    const update = jest.spyOn(h.reorders, 'updateReorder');
    expect(await pollReorder(h.deps, SKU, reorderId, pollId)).toBe('RETRY_SCHEDULED');
    expect(update.mock.calls[0][3]).not.toHaveProperty('codesReceived');
    expect(update.mock.calls[0][3]).not.toHaveProperty('supplierOrderIds');
    expect(h.reorders.records.get(reorderId)).toMatchObject({ state: 'PENDING', codesReceived: 1, supplierOrderIds: ['S-1'] });
  });

  it('gives up (STUCK), with an alert, on a reorder the supplier has kept failing (retryably) for longer than the max age', async () => {
    const h = setup(async () => {
      throw new SupplierError('rate limited', 'RATE_LIMITED', true, 429);
    });
    expect(await maybeReorder(h.deps, SKU)).toBe('RETRY_SCHEDULED');
    const { reorderId } = h.reorders.activeOf(SKU)[0];

    h.clock.advanceSeconds(3600); // exactly the max age: still retried
    expect(await pollReorder(h.deps, SKU, reorderId, h.polls.scheduled.at(-1)!.message.pollId)).toBe('RETRY_SCHEDULED');
    expect(h.alerts.published).toEqual([]);

    h.clock.advanceSeconds(60);
    const calls = h.supplier.requests.length;
    expect(await pollReorder(h.deps, SKU, reorderId, h.polls.scheduled.at(-1)!.message.pollId)).toBe('STUCK');
    expect(h.supplier.requests).toHaveLength(calls); // past its age the supplier is not asked to place again
    expect(h.reorders.records.get(reorderId)).toMatchObject({ finished: 'STUCK', failureReason: 'given up after 61 min: the supplier never finished it', lateCheckId: expect.any(String) });
    expect(h.reorders.activeOf(SKU)).toEqual([]);
    // Released: the SKU may reorder after the short cooldown, not the long failure backoff.
    expect(h.reorders.blockedUntil(SKU)).toBe(iso(3660 + 2));
    expect(h.alerts.published).toEqual([expect.objectContaining({ type: 'SUPPLIER_STUCK', sku: SKU, details: { reorderId, supplier: 'scripted', ageMinutes: 61 } })]);
    expect(h.polls.scheduled.find((p) => p.message.lateCheck)).toEqual({ message: { sku: SKU, reorderId, pollId: h.reorders.records.get(reorderId)?.lateCheckId, lateCheck: true }, delaySeconds: 900 });
  });

  it('the watchdog gives up a reorder PENDING forever too, and a late check still stores its late cards', async () => {
    const h = setup(async () => ({ status: 'PENDING', codes: [{ code: 'EARLY-1' }], supplierOrderIds: ['S-1'] }));
    expect(await maybeReorder(h.deps, SKU)).toBe('PENDING');
    const { reorderId } = h.reorders.activeOf(SKU)[0];
    let polls = 0;
    for (h.clock.advanceSeconds(60); h.reorders.activeOf(SKU).length > 0; h.clock.advanceSeconds(60)) {
      await pollReorder(h.deps, SKU, reorderId, h.polls.scheduled.at(-1)!.message.pollId);
      polls++;
    }
    expect(polls).toBe(61); // an hour of minute polls; the first poll past the max age gives up
    expect(h.reorders.records.get(reorderId)).toMatchObject({ finished: 'STUCK', failureReason: 'given up after 61 min: the supplier never finished it', codesReceived: 1 });
    expect(h.alerts.published.map((a) => a.type)).toEqual(['SUPPLIER_STUCK']);

    // The supplier finishes later: the late check looks it up (never places) and stores what arrived.
    h.supplier.answer = async () => completed(['EARLY-1', 'LATE-2']);
    const place = jest.spyOn(h.supplier, 'placeOrResume');
    const late = h.polls.scheduled.find((p) => p.message.lateCheck)!.message;
    expect(await pollReorder(h.deps, SKU, reorderId, late.pollId, true)).toBe('LATE_CHECK_DONE');
    expect(place).not.toHaveBeenCalled();
    expect(h.world.codes.get('LATE-2')).toMatchObject({ sku: SKU, status: 'AVAILABLE' });
    // A duplicate of the late-check message does nothing.
    expect(await pollReorder(h.deps, SKU, reorderId, late.pollId, true)).toBe('STALE_POLL');
  });

  it('only the lease holder calls the supplier: a duplicated and a late poll message and the sweep, one call per step', async () => {
    const h = setup(async () => ({ status: 'PENDING', codes: [], supplierOrderIds: ['S-1'] }));
    expect(await maybeReorder(h.deps, SKU)).toBe('PENDING');
    const { reorderId } = h.reorders.activeOf(SKU)[0];
    const first = h.polls.scheduled[0].message.pollId;
    h.clock.advanceSeconds(60);
    // Two pollers get the same message at once, and the sweep looks while the lease is live.
    const decisions = await Promise.all([pollReorder(h.deps, SKU, reorderId, first), pollReorder(h.deps, SKU, reorderId, first), maybeReorder(h.deps, SKU)]);
    expect(decisions.sort()).toEqual(['IN_FLIGHT', 'PENDING', 'STALE_POLL']);
    expect(h.supplier.requests).toHaveLength(2); // the start and one poll
    // The next poll message is lost; once the lease expires only one of the sweep and a late copy of the old message acts.
    h.clock.advanceSeconds(181);
    const late = await Promise.all([maybeReorder(h.deps, SKU), pollReorder(h.deps, SKU, reorderId, first)]);
    expect(late.filter((d) => d === 'PENDING')).toHaveLength(1);
    expect(h.supplier.requests).toHaveLength(3);
  });

  it('a fatal SupplierError finishes FAILED, alerts once, then BLOCKED until the backoff passes', async () => {
    const h = setup(async () => {
      throw new SupplierError('balance too low', 'INSUFFICIENT_BALANCE', false, 400);
    });
    expect(await maybeReorder(h.deps, SKU)).toBe('FAILED');
    const [record] = h.reorders.records.values();
    expect(record).toMatchObject({ finished: 'FAILED', failureReason: 'INSUFFICIENT_BALANCE: balance too low' });
    expect(h.reorders.activeOf(SKU)).toEqual([]);
    // The supplier is paused for this SKU; with no other supplier listed, so is reordering.
    expect(h.reorders.supplierPausedUntil(SKU, 'scripted')).toBe(iso(900));
    expect(h.alerts.published).toEqual([
      expect.objectContaining({ type: 'SUPPLIER_FAILED', sku: SKU, details: { reorderId: record.reorderId, supplier: 'scripted' } }),
    ]);

    h.clock.advanceSeconds(60);
    expect(await maybeReorder(h.deps, SKU)).toBe('BLOCKED');
    expect(await maybeReorder(h.deps, SKU)).toBe('BLOCKED');
    expect(h.supplier.requests).toHaveLength(1);
    expect(h.alerts.published).toHaveLength(1);

    h.clock.advanceSeconds(900);
    h.supplier.answer = async () => completed(['N1', 'N2']);
    expect(await maybeReorder(h.deps, SKU)).toBe('COMPLETED');
  });

  it('a supplier that reports the order FAILED is finished and alerted, keeping the codes it did send', async () => {
    const h = setup(async () => ({ status: 'FAILED', codes: [{ code: 'N1' }], supplierOrderIds: ['S-1'], failureReason: 'out of stock at supplier' }));
    expect(await maybeReorder(h.deps, SKU)).toBe('FAILED');
    expect(await h.stock.countAvailable(SKU, 10)).toBe(1);
    expect(h.alerts.published).toHaveLength(1);
    expect(h.alerts.published[0].message).toContain('out of stock at supplier');
  });

  it('a supplier delivering short is told to the merchant (SUPPLIER_SHORT); the next reorder tops up', async () => {
    const h = setup(async () => completed(['N1']));
    h.stock.seedCodes(SKU, 'A'); // 1 in stock, threshold 3: a reorder of 2
    expect(await maybeReorder(h.deps, SKU)).toBe('COMPLETED');
    expect(h.alerts.published).toEqual([expect.objectContaining({ type: 'SUPPLIER_SHORT', sku: SKU, details: expect.objectContaining({ ordered: 2, received: 1, alreadyInStock: 0 }) })]);
    expect(h.alerts.published[0].message).toContain('brought 1 new code(s): 1 fewer than ordered');
  });

  it('codes the supplier sends that are already in stock are not stored again, and are reported', async () => {
    const h = setup(async () => completed(['A', 'N1']));
    h.stock.seedCodes(SKU, 'A');
    expect(await maybeReorder(h.deps, SKU)).toBe('COMPLETED');
    expect(await h.stock.countAvailable(SKU, 10)).toBe(2);
    expect(h.alerts.published.map((a) => [a.type, a.details?.alreadyInStock])).toEqual([['SUPPLIER_SHORT', 1]]);
    expect(h.alerts.published[0].message).toContain('1 already in stock (not stored again, never sold twice)');
  });

  it('codes stored on an earlier poll of the same reorder are not counted as already in stock', async () => {
    let calls = 0;
    const h = setup(async () => (++calls === 1 ? { status: 'PENDING', codes: [{ code: 'N1' }], supplierOrderIds: ['S-1'] } : completed(['N1', 'N2'])));
    h.stock.seedCodes(SKU, 'A');
    expect(await maybeReorder(h.deps, SKU)).toBe('PENDING');
    const [poll] = h.polls.scheduled;
    expect(await pollReorder(h.deps, SKU, poll.message.reorderId!, poll.message.pollId)).toBe('COMPLETED');
    expect(h.alerts.published).toEqual([]);
  });

  it('an unconfigured supplier fails the reorder with an alert', async () => {
    const h = setup();
    h.suppliers.clear();
    expect(await maybeReorder(h.deps, SKU)).toBe('FAILED');
    expect(h.alerts.published[0].message).toContain('Supplier "scripted" is not configured');
  });
});

describe('pollReorder', () => {
  it('COMPLETED without calling the supplier when the reorder is no longer the active one', async () => {
    const h = setup();
    h.reorders.seedActive(SKU, { reorderId: 'R-NEW', state: 'PENDING', leaseUntil: iso(100), quantity: 2 });
    expect(await pollReorder(h.deps, SKU, 'R-OLD')).toBe('COMPLETED');
    expect(await pollReorder(h.deps, 'UNKNOWN-SKU', 'R-NEW')).toBe('COMPLETED');
    expect(h.supplier.requests).toEqual([]);
  });

  it('looks the active reorder up again by its reference', async () => {
    const h = setup(async () => ({ status: 'PENDING', codes: [], supplierOrderIds: [] }));
    expect(await maybeReorder(h.deps, SKU)).toBe('PENDING');
    const { reorderId } = h.reorders.activeOf(SKU)[0];
    h.supplier.answer = async () => completed(['N1', 'N2']);
    expect(await pollReorder(h.deps, SKU, reorderId, h.polls.scheduled[0].message.pollId)).toBe('COMPLETED');
    expect(h.supplier.requests.map((r) => r.reference)).toEqual([reorderId, reorderId]);
    expect(h.reorders.activeOf(SKU)).toEqual([]);
  });

  it('a duplicate poll message is STALE_POLL: the supplier is asked once per scheduled poll', async () => {
    const h = setup(async () => ({ status: 'PENDING', codes: [], supplierOrderIds: [] }));
    expect(await maybeReorder(h.deps, SKU)).toBe('PENDING');
    const [{ message }] = h.polls.scheduled;
    expect(await pollReorder(h.deps, message.sku, message.reorderId!, message.pollId)).toBe('PENDING');
    // SQS delivered the same message again: it must not start a second polling chain.
    expect(await pollReorder(h.deps, message.sku, message.reorderId!, message.pollId)).toBe('STALE_POLL');
    expect(h.supplier.requests).toHaveLength(2);
    expect(h.polls.scheduled).toHaveLength(2);
  });

  it('a poll superseded by a takeover is STALE_POLL', async () => {
    const h = setup(async () => ({ status: 'PENDING', codes: [], supplierOrderIds: [] }));
    expect(await maybeReorder(h.deps, SKU)).toBe('PENDING');
    const first = h.polls.scheduled[0].message;
    // The poll message is late; the lease ran out and the sweep took the reorder over, scheduling its own poll.
    h.clock.advanceSeconds(181);
    expect(await maybeReorder(h.deps, SKU)).toBe('PENDING');
    expect(h.supplier.requests).toHaveLength(2);
    expect(await pollReorder(h.deps, SKU, first.reorderId!, first.pollId)).toBe('STALE_POLL');
    expect(await pollReorder(h.deps, SKU, first.reorderId!, h.polls.scheduled[1].message.pollId)).toBe('PENDING');
    expect(h.supplier.requests).toHaveLength(3);
  });

  it('a poll message without a poll id (sent before the upgrade) acts only once the lease has expired', async () => {
    const h = setup(async () => ({ status: 'PENDING', codes: [], supplierOrderIds: [] }));
    expect(await maybeReorder(h.deps, SKU)).toBe('PENDING');
    const { reorderId } = h.reorders.activeOf(SKU)[0];
    h.supplier.answer = async () => completed(['N1', 'N2']);
    expect(await pollReorder(h.deps, SKU, reorderId)).toBe('STALE_POLL');
    h.clock.advanceSeconds(181);
    expect(await pollReorder(h.deps, SKU, reorderId)).toBe('COMPLETED');
  });
});
