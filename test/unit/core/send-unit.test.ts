// Exactly one message per delivered unit, and no code stranded: the send lease among duplicates, and
// every way a channel can fail ending in DELIVERED, HELD (with an alert) or a recorded retry.
import { cancelOrder } from '#core/cancel-order';
import { deliverOrder, resumeOrder } from '#core/deliver-order';
import { ChannelError, CodeIntegrityError } from '#core/errors';
import { releaseOrder } from '#core/hold-order';
import type { SendContext } from '#core/send-unit';
import { harness, orderMessage, T0 } from '#test/fakes/harness';

const SKU = 'CARD-50';
const ctx = (owner = 'worker-1', finalAttempt = false): SendContext => ({ owner, finalAttempt, counters: { takeovers: 0, channelFailures: 0 } });
const codeMessages = (h: ReturnType<typeof harness>) => h.channel.sent.filter((m) => m.kind === 'CODE');
const fail = (h: ReturnType<typeof harness>, times: number, failure: 'PERMANENT' | 'TRANSIENT' | 'UNKNOWN_OUTCOME', reason = 'x') => {
  h.channel.failures = times;
  h.channel.failWith = () => new ChannelError(`channel ${failure.toLowerCase()}`, failure, reason);
};

describe('one message per delivered unit', () => {
  it('25 concurrent copies of one order: each unit is sent once, the others leave it to its sender', async () => {
    const h = harness();
    h.stock.seedCodes(SKU, 'A', 'B', 'C', 'D');
    const reports = await Promise.all(Array.from({ length: 25 }, (_, i) => deliverOrder(h.deps, orderMessage('O1', SKU, 3), ctx(`copy-${i}`))));
    expect(codeMessages(h).map((m) => m.ref).sort()).toEqual(['store-1/O1/L1#1', 'store-1/O1/L1#2', 'store-1/O1/L1#3']);
    expect(reports.every((r) => r.retryLater === 0)).toBe(true);
    expect(await h.stock.audit(SKU)).toEqual({ AVAILABLE: 1, RESERVED: 0, DELIVERED: 3, REVOKED: 0 });
  });

  it('a duplicate that finds a live lease does not send: IN_PROGRESS, left to the holder', async () => {
    const h = harness();
    h.stock.seedCodes(SKU, 'A');
    await h.orders.ensureOrder(orderMessage('O1', SKU, 1));
    await h.claims.claim({ storeId: 'store-1', orderId: 'O1', unitId: 'L1#1', lineId: 'L1', sku: SKU, receivedAt: T0 }, 'NEW', { owner: 'holder', until: '2025-03-01T10:01:00.000Z' });
    expect(await deliverOrder(h.deps, orderMessage('O1', SKU, 1), ctx('duplicate'))).toMatchObject({ inProgress: 1, delivered: 0 });
    expect(codeMessages(h)).toEqual([]);
  });

  it('a crashed holder\'s lease runs out: the next copy takes over and sends, counted as a possible repeat', async () => {
    const h = harness();
    h.stock.seedCodes(SKU, 'A');
    await h.orders.ensureOrder(orderMessage('O1', SKU, 1));
    await h.claims.claim({ storeId: 'store-1', orderId: 'O1', unitId: 'L1#1', lineId: 'L1', sku: SKU, receivedAt: T0 }, 'NEW', { owner: 'crashed', until: '2025-03-01T10:01:00.000Z' });
    h.clock.advanceSeconds(61);
    const retry = ctx('retry');
    expect(await deliverOrder(h.deps, orderMessage('O1', SKU, 1), retry)).toMatchObject({ delivered: 1 });
    expect(retry.counters).toEqual({ takeovers: 1, channelFailures: 0 });
    expect(codeMessages(h)).toHaveLength(1);
    expect(h.log.lines).toContainEqual(expect.objectContaining({ level: 'warn', message: expect.stringContaining('taken over') }));
  });
});

describe('a stored code that does not open at its own item', () => {
  it('is never sent nor retried: the unit is HELD as CODE_UNREADABLE and the merchant told', async () => {
    const h = harness();
    h.stock.seedCodes(SKU, 'A');
    h.stock.readCode = async ({ sku, codeId }) => {
      throw new CodeIntegrityError(`Code ${codeId} of SKU ${sku} does not open at its own address (moved from another item or tampered)`);
    };
    expect(await deliverOrder(h.deps, orderMessage('O1', SKU, 1), ctx())).toMatchObject({ delivered: 0, retryLater: 0 });
    expect(h.channel.sent).toEqual([]);
    expect(h.world.unit('store-1', 'O1', 'L1#1')).toMatchObject({ state: 'HELD', heldReason: 'CODE_UNREADABLE', codeId: 'A' });
    expect(h.alerts.published).toEqual([expect.objectContaining({ type: 'UNIT_HELD', details: expect.objectContaining({ reason: 'CODE_UNREADABLE' }), message: expect.stringContaining('CloudTrail') })]);
  });
});

describe('channel failures end in a named state', () => {
  it('a transient failure is tried again in the same invocation', async () => {
    const h = harness();
    h.stock.seedCodes(SKU, 'A');
    fail(h, 2, 'TRANSIENT', 'HTTP_503');
    expect(await deliverOrder(h.deps, orderMessage('O1', SKU, 1), ctx())).toMatchObject({ delivered: 1 });
    expect(codeMessages(h)).toHaveLength(1);
  });

  it('a lasting transient failure is recorded and the lease freed: the message is retried later', async () => {
    const h = harness();
    h.stock.seedCodes(SKU, 'A');
    fail(h, 3, 'TRANSIENT', 'HTTP_503');
    expect(await deliverOrder(h.deps, orderMessage('O1', SKU, 1), ctx())).toMatchObject({ retryLater: 1, delivered: 0 });
    expect(h.world.unit('store-1', 'O1', 'L1#1')).toMatchObject({ state: 'RESERVED', lastSendFailure: { failure: 'TRANSIENT', reason: 'recording HTTP_503', at: T0 } });
    expect(h.world.unit('store-1', 'O1', 'L1#1')?.maybeSent).toBeUndefined();
    // The retry takes the freed lease at once (no takeover: nothing can have been sent).
    const retry = ctx('retry');
    expect(await deliverOrder(h.deps, orderMessage('O1', SKU, 1), retry)).toMatchObject({ delivered: 1 });
    expect(retry.counters?.takeovers).toBe(0);
  });

  it('an unknown outcome is never hot-retried, and marks the unit as maybe sent', async () => {
    const h = harness();
    h.stock.seedCodes(SKU, 'A');
    fail(h, 1, 'UNKNOWN_OUTCOME', 'timeout');
    expect(await deliverOrder(h.deps, orderMessage('O1', SKU, 1), ctx())).toMatchObject({ retryLater: 1 });
    expect(h.world.unit('store-1', 'O1', 'L1#1')).toMatchObject({ state: 'RESERVED', maybeSent: true });
  });

  it('a permanent rejection holds the unit with its code, alerts once, and a refund then returns the code to stock', async () => {
    const h = harness();
    h.stock.seedCodes(SKU, 'A');
    fail(h, 1, 'PERMANENT', 'INVALID_NUMBER');
    expect(await deliverOrder(h.deps, orderMessage('O1', SKU, 1), ctx())).toMatchObject({ held: 1 });
    const unit = h.world.unit('store-1', 'O1', 'L1#1')!;
    expect(unit).toMatchObject({ state: 'HELD', heldReason: 'CHANNEL_REJECTED', heldDetail: 'recording: permanent INVALID_NUMBER', codeId: 'A' });
    expect(unit.sendStartedAt).toBeUndefined();
    expect(h.alerts.published).toEqual([expect.objectContaining({ type: 'UNIT_HELD', storeId: 'store-1', orderId: 'O1', details: expect.objectContaining({ reason: 'CHANNEL_REJECTED', maybeSent: false }) })]);
    expect(JSON.stringify(h.alerts.published)).not.toContain('"A"');
    // A duplicate changes nothing.
    expect(await deliverOrder(h.deps, orderMessage('O1', SKU, 1), ctx('dup'))).toMatchObject({ held: 1 });
    expect(h.alerts.published).toHaveLength(1);

    const report = await cancelOrder(h.deps, { kind: 'CANCEL', platform: 'salla', storeId: 'store-1', orderId: 'O1', reason: 'refunded', receivedAt: T0 });
    expect(report).toEqual({ cancelledUnits: 1, deliveredBeforeCancel: [] });
    expect(await h.stock.audit(SKU)).toEqual({ AVAILABLE: 1, RESERVED: 0, DELIVERED: 0, REVOKED: 0 });
    expect(h.alerts.published.map((a) => a.type)).toEqual(['UNIT_HELD']);
  });

  it('a unit that may have been sent keeps its commit when held: a refund flags it, the code never goes back', async () => {
    const h = harness();
    h.stock.seedCodes(SKU, 'A');
    fail(h, 1, 'UNKNOWN_OUTCOME', 'timeout');
    await deliverOrder(h.deps, orderMessage('O1', SKU, 1), ctx());
    fail(h, 1, 'PERMANENT', 'INVALID_NUMBER');
    expect(await deliverOrder(h.deps, orderMessage('O1', SKU, 1), ctx('retry'))).toMatchObject({ held: 1 });
    expect(h.world.unit('store-1', 'O1', 'L1#1')).toMatchObject({ state: 'HELD', sendStartedAt: T0 });
    const report = await cancelOrder(h.deps, { kind: 'CANCEL', platform: 'salla', storeId: 'store-1', orderId: 'O1', reason: 'refunded', receivedAt: T0 });
    expect(report.deliveredBeforeCancel).toEqual(['L1#1']);
    expect(await h.stock.audit(SKU)).toMatchObject({ AVAILABLE: 0, RESERVED: 1 });
  });

  it('on the message\'s last receive a still-failing channel holds the unit instead of failing to the DLQ', async () => {
    const h = harness();
    h.stock.seedCodes(SKU, 'A');
    fail(h, 5, 'TRANSIENT', 'HTTP_503');
    expect(await deliverOrder(h.deps, orderMessage('O1', SKU, 1), ctx('last', true))).toMatchObject({ held: 1, retryLater: 0 });
    expect(h.world.unit('store-1', 'O1', 'L1#1')).toMatchObject({ state: 'HELD', heldReason: 'CHANNEL_UNAVAILABLE' });
    expect(h.alerts.published.map((a) => a.type)).toEqual(['UNIT_HELD']);
  });

  it('the merchant releases held units: they are sent again, once', async () => {
    const h = harness();
    h.stock.seedCodes(SKU, 'A', 'B');
    fail(h, 2, 'PERMANENT', 'INVALID_NUMBER');
    await deliverOrder(h.deps, orderMessage('O1', SKU, 2), ctx());
    expect(await releaseOrder(h.deps, 'store-1', 'O1', { phone: '+966500000009' })).toEqual({ contactCorrected: true, orderReleased: false, unitsReleased: 2 });
    expect(await releaseOrder(h.deps, 'store-1', 'O1')).toEqual({ contactCorrected: false, orderReleased: false, unitsReleased: 0 });
    expect(h.queue.sent).toEqual([{ kind: 'RESUME', storeId: 'store-1', orderId: 'O1' }]);
    expect(await resumeOrder(h.deps, 'store-1', 'O1', ctx())).toMatchObject({ delivered: 2 });
    // The two refused attempts, then the two sends to the corrected number.
    expect(codeMessages(h).slice(-2).map((m) => m.to.phone)).toEqual(['+966500000009', '+966500000009']);
  });

  it('a cancelled or unknown order is not released', async () => {
    const h = harness();
    h.stock.seedCodes(SKU, 'A');
    fail(h, 1, 'PERMANENT', 'INVALID_NUMBER');
    await deliverOrder(h.deps, orderMessage('O1', SKU, 1), ctx());
    await cancelOrder(h.deps, { kind: 'CANCEL', platform: 'salla', storeId: 'store-1', orderId: 'O1', reason: 'cancelled', receivedAt: '2025-03-01T12:00:00.000Z' });
    expect(await releaseOrder(h.deps, 'store-1', 'O1', { phone: '+966500000009' })).toMatchObject({ notReleasable: 'CANCELLED', unitsReleased: 0 });
    expect(await releaseOrder(h.deps, 'store-1', 'nope')).toMatchObject({ notReleasable: 'NOT_FOUND' });
    expect(h.queue.sent).toEqual([]);
    expect(await h.stock.audit(SKU)).toMatchObject({ AVAILABLE: 1, RESERVED: 0 });
  });
});

describe('recording a send the channel accepted', () => {
  it('is retried in the invocation when the table fails: delivered, one message', async () => {
    const h = harness();
    h.stock.seedCodes(SKU, 'A');
    const markDelivered = jest.spyOn(h.sends, 'markDelivered');
    const throttled = Object.assign(new Error('Rate of requests exceeds the allowed throughput'), { name: 'ProvisionedThroughputExceededException' });
    markDelivered.mockRejectedValueOnce(throttled).mockRejectedValueOnce(throttled);
    expect(await deliverOrder(h.deps, orderMessage('O1', SKU, 1), ctx())).toMatchObject({ delivered: 1 });
    expect(markDelivered).toHaveBeenCalledTimes(3);
    expect(codeMessages(h)).toHaveLength(1);
    expect(h.world.unit('store-1', 'O1', 'L1#1')).toMatchObject({ state: 'DELIVERED' });
  });

  it('fails the invocation after its attempts, leaving the lease to expire (the one counted repeat)', async () => {
    const h = harness();
    h.stock.seedCodes(SKU, 'A');
    jest.spyOn(h.sends, 'markDelivered').mockRejectedValue(Object.assign(new Error('down'), { name: 'InternalServerError' }));
    await expect(deliverOrder(h.deps, orderMessage('O1', SKU, 1), ctx())).rejects.toThrow('down');
    expect(h.world.unit('store-1', 'O1', 'L1#1')).toMatchObject({ state: 'RESERVED', sendAttempts: 1 });
    expect(codeMessages(h)).toHaveLength(1);
  });
});

describe('no claim for an unreachable customer', () => {
  const noContact = { customer: { name: 'Sara', invalidPhone: true } };

  it('holds the whole order NO_CONTACT without taking a code, alerts once, and ignores duplicates', async () => {
    const h = harness();
    h.stock.seedCodes(SKU, 'A');
    const claim = jest.spyOn(h.claims, 'claim');
    expect(await deliverOrder(h.deps, orderMessage('O1', SKU, 2, noContact), ctx())).toMatchObject({ held: 2, delivered: 0 });
    expect(await deliverOrder(h.deps, orderMessage('O1', SKU, 2, noContact), ctx('dup'))).toMatchObject({ held: 2 });
    expect(claim).not.toHaveBeenCalled();
    expect(h.world.orders.get('store-1/O1')?.hold).toMatchObject({ reason: 'NO_CONTACT', detail: expect.stringContaining('not a valid mobile number') });
    expect(h.alerts.published).toEqual([expect.objectContaining({ type: 'ORDER_HELD', orderId: 'O1', details: { reason: 'NO_CONTACT', units: 2 } })]);
    expect(await h.stock.audit(SKU)).toMatchObject({ AVAILABLE: 1, RESERVED: 0 });
  });

  it('released with the contact fixed, it is delivered from its stored lines', async () => {
    const h = harness();
    h.stock.seedCodes(SKU, 'A', 'B');
    await deliverOrder(h.deps, orderMessage('O1', SKU, 2, noContact), ctx());
    expect(await releaseOrder(h.deps, 'store-1', 'O1', { phone: '+966500000009' })).toEqual({ contactCorrected: true, orderReleased: true, unitsReleased: 0 });
    const [message] = h.queue.sent;
    expect(message).toMatchObject({ kind: 'ORDER', orderId: 'O1', customer: { name: 'Sara', phone: '+966500000009' }, lines: [{ lineId: 'L1', sku: SKU, quantity: 2 }] });
    expect(message).not.toHaveProperty('customer.invalidPhone');
    expect(await deliverOrder(h.deps, message as never, ctx())).toMatchObject({ delivered: 2 });
    expect(codeMessages(h).map((m) => m.to.phone)).toEqual(['+966500000009', '+966500000009']);
  });
});

describe('a large order is delivered a chunk per invocation', () => {
  it('250 units in chunks of 100: each invocation sends its chunk and enqueues the rest', async () => {
    const h = harness();
    h.deps.delivery.unitsPerInvocation = 100;
    h.stock.seedCodes(SKU, ...Array.from({ length: 250 }, (_, i) => `C${i}`));
    const message = orderMessage('O1', SKU, 250);
    const first = await deliverOrder(h.deps, message, ctx());
    expect(first).toMatchObject({ delivered: 100, continuedFrom: 100 });
    expect(h.queue.sent).toEqual([{ ...message, skipUnits: 100 }]);
    const second = await deliverOrder(h.deps, h.queue.sent[0] as never, ctx());
    expect(second).toMatchObject({ delivered: 100, continuedFrom: 200 });
    const third = await deliverOrder(h.deps, h.queue.sent[1] as never, ctx());
    expect(third).toMatchObject({ delivered: 50 });
    expect(third.continuedFrom).toBeUndefined();
    expect(new Set(codeMessages(h).map((m) => m.ref)).size).toBe(250);
    expect(await h.stock.audit(SKU)).toMatchObject({ DELIVERED: 250 });
  });
});
