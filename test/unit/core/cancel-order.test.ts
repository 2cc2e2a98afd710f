// cancelOrder: backorders are cancelled, reserved codes nobody started sending go back to stock; codes
// already out (or being sent) are flagged and reported once.
import { cancelOrder } from '#core/cancel-order';
import { deliverOrder as deliver, resumeOrder as resume } from '#core/deliver-order';
import type { OrderMessage } from '#core/model';
import type { SendContext } from '#core/send-unit';
import { harness, orderMessage, T0 } from '#test/fakes/harness';

const ctx = (): SendContext => ({ owner: 'worker-1', finalAttempt: false });
const deliverOrder = (deps: Parameters<typeof deliver>[0], message: Parameters<typeof deliver>[1]) => deliver(deps, message, ctx());
const resumeOrder = async (deps: Parameters<typeof resume>[0], storeId: string, orderId: string) => (await resume(deps, storeId, orderId, ctx())).delivered;

const SKU = 'CARD-50';
const cancel = (orderId: string, reason: 'cancelled' | 'refunded' = 'refunded'): Extract<OrderMessage, { kind: 'CANCEL' }> => ({
  kind: 'CANCEL',
  platform: 'salla',
  storeId: 'store-1',
  orderId,
  reason,
  receivedAt: T0,
});

describe('cancelOrder', () => {
  it('cancels backordered units and removes them from the FIFO, without alerting', async () => {
    const h = harness();
    await deliverOrder(h.deps, orderMessage('O1', SKU, 2));
    h.alerts.published.length = 0;
    expect(await cancelOrder(h.deps, cancel('O1', 'cancelled'))).toEqual({ cancelledUnits: 2, deliveredBeforeCancel: [] });
    expect(h.world.unit('store-1', 'O1', 'L1#1')?.state).toBe('CANCELLED');
    expect(await h.backorders.hasBackorders(SKU)).toBe(false);
    expect(h.world.orders.get('store-1/O1')).toMatchObject({ cancelledAt: T0, cancelReason: 'cancelled' });
    expect(h.alerts.published).toEqual([]);
  });

  it('flags units delivered before the refund and alerts the merchant exactly once', async () => {
    const h = harness();
    h.stock.seedCodes(SKU, 'CODE-A');
    await deliverOrder(h.deps, orderMessage('O1', SKU, 2));
    h.alerts.published.length = 0;
    const report = await cancelOrder(h.deps, cancel('O1'));
    expect(report).toEqual({ cancelledUnits: 1, deliveredBeforeCancel: ['L1#1'] });
    expect(h.world.orders.get('store-1/O1')?.deliveredBeforeCancel).toEqual(['L1#1']);
    expect(h.alerts.published).toEqual([
      expect.objectContaining({ type: 'REFUND_AFTER_DELIVERY', storeId: 'store-1', orderId: 'O1', details: { units: 'L1#1', reason: 'refunded' } }),
    ]);
    expect(JSON.stringify(h.alerts.published)).not.toContain('CODE-A');
  });

  it('puts a code the filler reserved, but nobody started sending, back to stock, without an alert', async () => {
    const h = harness();
    await deliverOrder(h.deps, orderMessage('O1', SKU, 1));
    h.stock.seedCodes(SKU, 'CODE-A');
    await h.claims.claim((await h.orders.listUnits('store-1', 'O1'))[0], 'BACKORDERED');
    h.alerts.published.length = 0;

    expect(await cancelOrder(h.deps, cancel('O1'))).toEqual({ cancelledUnits: 1, deliveredBeforeCancel: [] });
    expect(h.world.unit('store-1', 'O1', 'L1#1')?.state).toBe('CANCELLED');
    expect(await h.stock.audit(SKU)).toEqual({ AVAILABLE: 1, RESERVED: 0, DELIVERED: 0, REVOKED: 0 });
    expect(h.alerts.published).toEqual([]);
    // The RESUME the filler already sent finds nothing to deliver.
    expect(await resumeOrder(h.deps, 'store-1', 'O1')).toBe(0);
    expect(h.channel.sent.filter((m) => m.kind === 'CODE')).toEqual([]);
  });

  it('a RESERVED unit already committed to sending keeps its code and is reported as delivered before the cancel', async () => {
    const h = harness();
    await deliverOrder(h.deps, orderMessage('O1', SKU, 1));
    h.stock.seedCodes(SKU, 'CODE-A');
    await h.claims.claim((await h.orders.listUnits('store-1', 'O1'))[0], 'BACKORDERED');
    await h.sends.acquireSend(h.world.unit('store-1', 'O1', 'L1#1')!, { owner: 'resume', until: '2025-03-01T10:01:00.000Z' }, T0); // a RESUME is sending it right now
    const release = jest.spyOn(h.claims, 'releaseUnsent');
    h.alerts.published.length = 0;

    expect(await cancelOrder(h.deps, cancel('O1'))).toEqual({ cancelledUnits: 0, deliveredBeforeCancel: ['L1#1'] });
    expect(release).not.toHaveBeenCalled();
    expect(h.world.codes.get('CODE-A')?.status).toBe('RESERVED');
    expect(h.alerts.published).toEqual([expect.objectContaining({ type: 'REFUND_AFTER_DELIVERY', details: { units: 'L1#1', reason: 'refunded' } })]);
  });

  it('looks again when the release loses to a sender that committed after the listing', async () => {
    const h = harness();
    await deliverOrder(h.deps, orderMessage('O1', SKU, 1));
    h.stock.seedCodes(SKU, 'CODE-A');
    await h.claims.claim((await h.orders.listUnits('store-1', 'O1'))[0], 'BACKORDERED');
    // The listing shows the unit uncommitted; the sender's commit landed just before the cancellation.
    const stale = await h.orders.listUnits('store-1', 'O1');
    await h.sends.acquireSend(h.world.unit('store-1', 'O1', 'L1#1')!, { owner: 'resume', until: '2025-03-01T10:01:00.000Z' }, T0);
    jest.spyOn(h.orders, 'listUnits').mockResolvedValueOnce(stale);
    h.alerts.published.length = 0;

    expect(await cancelOrder(h.deps, cancel('O1'))).toEqual({ cancelledUnits: 0, deliveredBeforeCancel: ['L1#1'] });
    expect(h.world.codes.get('CODE-A')?.status).toBe('RESERVED');
    expect(h.alerts.published.filter((a) => a.type === 'REFUND_AFTER_DELIVERY')).toHaveLength(1);
  });

  it('a filler that tries to reserve after the cancellation is refused, and the backorder is cancelled', async () => {
    const h = harness();
    await deliverOrder(h.deps, orderMessage('O1', SKU, 1));
    h.stock.seedCodes(SKU, 'CODE-A');
    const realList = h.orders.listUnits.bind(h.orders);
    const claims: string[] = [];
    jest.spyOn(h.orders, 'listUnits').mockImplementationOnce(async (storeId, orderId) => {
      const listed = await realList(storeId, orderId);
      claims.push((await h.claims.claim(listed[0], 'BACKORDERED')).result); // the filler races the cancel
      return listed;
    });
    expect(await cancelOrder(h.deps, cancel('O1'))).toEqual({ cancelledUnits: 1, deliveredBeforeCancel: [] });
    expect(claims).toEqual(['ORDER_CANCELLED']);
    expect(h.world.codes.get('CODE-A')?.status).toBe('AVAILABLE');
  });

  it('a duplicate cancel reports the delivered units again but alerts only once', async () => {
    const h = harness();
    h.stock.seedCodes(SKU, 'CODE-A');
    await deliverOrder(h.deps, orderMessage('O1', SKU, 1));
    expect(await cancelOrder(h.deps, cancel('O1'))).toEqual({ cancelledUnits: 0, deliveredBeforeCancel: ['L1#1'] });
    expect(await cancelOrder(h.deps, cancel('O1'))).toEqual({ cancelledUnits: 0, deliveredBeforeCancel: ['L1#1'] });
    expect(h.alerts.published.filter((a) => a.type === 'REFUND_AFTER_DELIVERY')).toHaveLength(1);
    expect(h.world.orders.get('store-1/O1')?.deliveredBeforeCancel).toEqual(['L1#1']);
  });

  it('a cancel that arrives first leaves a stub, and the late paid message delivers nothing', async () => {
    const h = harness();
    h.stock.seedCodes(SKU, 'CODE-A');
    expect(await cancelOrder(h.deps, cancel('O1'))).toEqual({ cancelledUnits: 0, deliveredBeforeCancel: [] });
    expect(await deliverOrder(h.deps, orderMessage('O1', SKU, 1))).toMatchObject({ delivered: 0, cancelled: 1 });
    expect(h.channel.sent).toEqual([]);
    expect(h.world.codes.get('CODE-A')?.status).toBe('AVAILABLE');
  });
});
