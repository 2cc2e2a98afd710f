// cancelOrder: backorders are cancelled; codes already out are flagged and reported once.
import { cancelOrder } from '../../../functions/core/cancel-order';
import { deliverOrder } from '../../../functions/core/deliver-order';
import type { OrderMessage } from '../../../functions/core/model';
import { harness, orderMessage, T0 } from './fakes';

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
    expect(await cancelOrder(h.deps, cancel('O1', 'cancelled'))).toEqual({ cancelledBackorders: 2, deliveredBeforeCancel: [] });
    expect(h.world.unit('store-1', 'O1', 'L1#1')?.state).toBe('CANCELLED');
    expect(await h.inventory.hasBackorders(SKU)).toBe(false);
    expect(h.world.orders.get('store-1/O1')).toMatchObject({ cancelledAt: T0, cancelReason: 'cancelled' });
    expect(h.alerts.published).toEqual([]);
  });

  it('flags units delivered before the refund and alerts the merchant exactly once', async () => {
    const h = harness();
    h.inventory.seedCodes(SKU, 'CODE-A');
    await deliverOrder(h.deps, orderMessage('O1', SKU, 2));
    h.alerts.published.length = 0;
    const report = await cancelOrder(h.deps, cancel('O1'));
    expect(report).toEqual({ cancelledBackorders: 1, deliveredBeforeCancel: ['L1#1'] });
    expect(h.world.orders.get('store-1/O1')?.deliveredBeforeCancel).toEqual(['L1#1']);
    expect(h.alerts.published).toEqual([
      expect.objectContaining({ type: 'REFUND_AFTER_DELIVERY', storeId: 'store-1', orderId: 'O1', details: { units: 'L1#1', reason: 'refunded' } }),
    ]);
    expect(JSON.stringify(h.alerts.published)).not.toContain('CODE-A');
  });

  it('counts a unit the filler reserved between listing and cancelling as already handed out', async () => {
    const h = harness();
    await deliverOrder(h.deps, orderMessage('O1', SKU, 1));
    h.inventory.seedCodes(SKU, 'CODE-A');
    const realList = h.orders.listUnits.bind(h.orders);
    jest.spyOn(h.orders, 'listUnits').mockImplementation(async (storeId, orderId) => {
      const listed = await realList(storeId, orderId);
      await h.inventory.claim(listed[0], 'BACKORDERED'); // the filler wins the race
      return listed;
    });
    expect(await cancelOrder(h.deps, cancel('O1'))).toEqual({ cancelledBackorders: 0, deliveredBeforeCancel: ['L1#1'] });
    expect(h.alerts.published.filter((a) => a.type === 'REFUND_AFTER_DELIVERY')).toHaveLength(1);
  });

  it('a cancel that arrives first leaves a stub, and the late paid message delivers nothing', async () => {
    const h = harness();
    h.inventory.seedCodes(SKU, 'CODE-A');
    expect(await cancelOrder(h.deps, cancel('O1'))).toEqual({ cancelledBackorders: 0, deliveredBeforeCancel: [] });
    expect(await deliverOrder(h.deps, orderMessage('O1', SKU, 1))).toMatchObject({ delivered: 0, cancelled: 1 });
    expect(h.channel.sent).toEqual([]);
    expect(h.world.codes.get('CODE-A')?.status).toBe('AVAILABLE');
  });
});
