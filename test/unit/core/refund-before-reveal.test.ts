// A refund of a unit sent as a reveal link: never opened, its code goes back to stock and the link
// shows the expired page; opened first, it stays delivered and the merchant is told, as for any code
// that reached the customer.
import { cancelOrder } from '#core/cancel-order';
import type { OrderMessage } from '#core/model';
import type { NewUnit } from '#core/ports/orders';
import { revealCode } from '#core/reveal-code';
import { deliverAsLink, tokenOf } from '#test/contract/link-delivery';
import { harness, T0 } from '#test/fakes/harness';

const SKU = 'CARD-50';
const unit = (n: number): NewUnit => ({ storeId: 'store-1', orderId: 'O1', unitId: `L1#${n}`, lineId: 'L1', sku: SKU, receivedAt: T0 });
const refund: Extract<OrderMessage, { kind: 'CANCEL' }> = { kind: 'CANCEL', platform: 'salla', storeId: 'store-1', orderId: 'O1', reason: 'refunded', receivedAt: T0 };

async function twoLinks() {
  const h = harness();
  h.stock.seedCodes(SKU, 'CODE-A', 'CODE-B');
  const facts = { locale: 'en' as const, orderReference: 'REF-O1', at: T0 };
  const first = await deliverAsLink(h.deps, unit(1), facts);
  const second = await deliverAsLink(h.deps, unit(2), facts);
  return { h, tokens: [tokenOf(first.link), tokenOf(second.link)], codes: [first.unit.codeId!, second.unit.codeId!] };
}

describe('a refund of units sent as reveal links', () => {
  it('gives back the code of a link nobody opened, and flags the one that was opened', async () => {
    const { h, tokens, codes } = await twoLinks();
    expect((await revealCode(h.deps, tokens[0])).view.state).toBe('REVEAL');

    expect(await cancelOrder(h.deps, refund)).toEqual({ cancelledUnits: 1, deliveredBeforeCancel: ['L1#1'] });
    expect(h.world.unit('store-1', 'O1', 'L1#1')).toMatchObject({ state: 'DELIVERED', codeId: codes[0] });
    expect(h.world.unit('store-1', 'O1', 'L1#2')).toMatchObject({ state: 'CANCELLED' });
    expect(h.world.unit('store-1', 'O1', 'L1#2')?.codeId).toBeUndefined();
    expect(h.world.codes.get(codes[1])?.status).toBe('AVAILABLE');
    expect(h.world.codes.get(codes[1])?.unit).toBeUndefined();
    expect(await h.stock.audit(SKU)).toEqual({ AVAILABLE: 1, RESERVED: 0, DELIVERED: 1, REVOKED: 0 });
    expect(h.alerts.published).toEqual([expect.objectContaining({ type: 'REFUND_AFTER_DELIVERY', details: { units: 'L1#1', reason: 'refunded' } })]);

    // The returned code's link now shows the expired page; the opened one stays spent.
    expect((await revealCode(h.deps, tokens[1])).view).toEqual({ state: 'EXPIRED', orderReference: 'REF-O1' });
    expect((await revealCode(h.deps, tokens[0])).view.state).toBe('ALREADY_REVEALED');
  });

  it('a repeated refund message changes nothing more and alerts nobody', async () => {
    const { h } = await twoLinks();
    expect(await cancelOrder(h.deps, refund)).toEqual({ cancelledUnits: 2, deliveredBeforeCancel: [] });
    expect(h.alerts.published).toEqual([]);
    expect(await cancelOrder(h.deps, refund)).toEqual({ cancelledUnits: 0, deliveredBeforeCancel: [] });
    expect(await h.stock.audit(SKU)).toEqual({ AVAILABLE: 2, RESERVED: 0, DELIVERED: 0, REVOKED: 0 });
  });

  it('the customer opening the link between the refund\'s read and its return wins: flagged, not returned', async () => {
    const { h, tokens } = await twoLinks();
    // The reveal lands right after cancelOrder listed the units (both still unopened).
    const listUnits = h.orders.listUnits.bind(h.orders);
    jest.spyOn(h.orders, 'listUnits').mockImplementationOnce(async (storeId, orderId) => {
      const units = await listUnits(storeId, orderId);
      await revealCode(h.deps, tokens[1]);
      return units;
    });
    expect(await cancelOrder(h.deps, refund)).toEqual({ cancelledUnits: 1, deliveredBeforeCancel: ['L1#2'] });
    expect(h.world.unit('store-1', 'O1', 'L1#2')).toMatchObject({ state: 'DELIVERED', revealedAt: expect.any(String) });
  });

  it('a code sent as itself (no link) is never given back', async () => {
    const h = harness();
    h.stock.seedCodes(SKU, 'CODE-A');
    await h.claims.claim(unit(1), 'NEW');
    const reserved = h.world.unit('store-1', 'O1', 'L1#1')!;
    await h.sends.markDelivered(reserved, T0, { channel: 'sms' });
    await h.orders.markOrderCancelled({ ...refund, at: T0 });
    expect(await h.claims.returnUnrevealed(h.world.unit('store-1', 'O1', 'L1#1')!)).toBe(false);
    expect(await cancelOrder(h.deps, refund)).toEqual({ cancelledUnits: 0, deliveredBeforeCancel: ['L1#1'] });
  });
});
