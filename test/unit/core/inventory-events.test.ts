// onSkuActivity / sweep: which stream activity wakes the filler (through the poll queue), which asks for a reorder.
import { deliverOrder as deliver } from '#core/deliver-order';
import { onFillMessage, onReorderMessage, onSkuActivity, sweep } from '#core/inventory-events';
import { ScriptedSupplier } from '#test/fakes/recorders';
import { harness, orderMessage } from '#test/fakes/harness';

const deliverOrder = (deps: Parameters<typeof deliver>[0], message: Parameters<typeof deliver>[1]) => deliver(deps, message, { owner: 'worker-1', finalAttempt: false });

const SKU = 'CARD-50';
const none = { stockTaken: false, stockAdded: false, backorderAdded: false };

describe('onSkuActivity', () => {
  it.each([
    ['stock added', { ...none, stockAdded: true }, true, false],
    ['stock taken', { ...none, stockTaken: true }, false, true],
    ['backorder added', { ...none, backorderAdded: true }, true, true],
    ['nothing', none, false, false],
  ])('%s → fill: %p, reorder decision: %p', async (_name, activity, fills, reorders) => {
    const h = harness();
    const fill = jest.spyOn(h.backorders, 'hasBackorders');
    const decide = jest.spyOn(h.catalog, 'getSkuConfig');
    await onSkuActivity(h.deps, SKU, activity);
    // The filler is woken through the poll queue, at once; the stream itself never fills.
    expect(h.polls.scheduled.filter((p) => 'fill' in p.message)).toEqual(fills ? [{ message: { sku: SKU, fill: true }, delaySeconds: 0 }] : []);
    expect(fill).not.toHaveBeenCalled();
    expect(decide.mock.calls.length > 0).toBe(reorders);
  });
});

describe('onFillMessage', () => {
  it('fills the SKU the stream woke it for', async () => {
    const h = harness();
    await deliverOrder(h.deps, orderMessage('O1', SKU, 1));
    h.stock.seedCodes(SKU, 'CODE-A');
    expect(await onFillMessage(h.deps, SKU)).toEqual({ reserved: 1, outOfStock: false });
    expect(h.queue.sent).toContainEqual({ kind: 'RESUME', storeId: expect.any(String), orderId: 'O1' });
  });
});

describe('onReorderMessage', () => {
  /** Two units of a SKU without stock backordered, and the reorder for them handed to the poll queue. */
  async function backorderedWithReorderPlaced() {
    const h = harness();
    const supplier = new ScriptedSupplier(async (r) => ({ status: 'COMPLETED', codes: Array.from({ length: r.quantity }, (_, i) => ({ code: `N-${i}` })), supplierOrderIds: ['S-1'] }));
    h.suppliers.set('scripted', supplier);
    h.catalog.configs.set(SKU, { sku: SKU, threshold: 0, reorderQuantity: 5, supplier: 'scripted', supplierProductId: 'P-1', unitPrice: 1 });
    await deliverOrder(h.deps, orderMessage('O1', SKU, 2));
    await onSkuActivity(h.deps, SKU, { ...none, backorderAdded: true });
    return { h, poll: h.polls.scheduled.find((p) => 'reorderId' in p.message)! };
  }

  it('codes a poll stored go to the waiting units at once, without waiting for the stream', async () => {
    const { h, poll } = await backorderedWithReorderPlaced();
    expect(poll.delaySeconds).toBe(0);
    expect(await onReorderMessage(h.deps, { sku: SKU, reorderId: poll.message.reorderId!, pollId: poll.message.pollId })).toBe('COMPLETED');
    expect([...h.world.units.values()].map((u) => u.state)).toEqual(['RESERVED', 'RESERVED']);
    expect(h.queue.sent).toContainEqual({ kind: 'RESUME', storeId: expect.any(String), orderId: 'O1' });
  });

  it('fills before the follow-up decision, and once', async () => {
    const { h, poll } = await backorderedWithReorderPlaced();
    const fill = jest.spyOn(h.leases, 'acquire');
    const status = jest.spyOn(h.reorders, 'getReorderStatus');
    status.mockClear();
    expect(await onReorderMessage(h.deps, { sku: SKU, reorderId: poll.message.reorderId!, pollId: poll.message.pollId })).toBe('COMPLETED');
    // The poll reads the lane once; the follow-up decision reads it again, after the fill.
    expect(status).toHaveBeenCalledTimes(2);
    expect(fill).toHaveBeenCalledTimes(1);
    expect(fill.mock.invocationCallOrder[0]).toBeLessThan(status.mock.invocationCallOrder[1]);
  });

  it('a stale poll fills nothing', async () => {
    const h = harness();
    const fill = jest.spyOn(h.backorders, 'hasBackorders');
    expect(await onReorderMessage(h.deps, { sku: SKU, reorderId: 'R-GONE', pollId: 'x' })).toBe('COMPLETED');
    expect(fill).toHaveBeenCalled(); // COMPLETED (nothing in flight) may follow a finish by another holder: one cheap look
  });
});

describe('sweep', () => {
  it('fills every SKU that has both backorders and stock, and reconsiders its reorder', async () => {
    const h = harness();
    h.catalog.configs.set(SKU, { sku: SKU, threshold: 0, reorderQuantity: 1 });
    h.catalog.configs.set('OTHER', { sku: 'OTHER', threshold: 0, reorderQuantity: 1 });
    await deliverOrder(h.deps, orderMessage('O1', SKU, 1));
    h.stock.seedCodes(SKU, 'CODE-A');
    const decide = jest.spyOn(h.catalog, 'getSkuConfig');
    expect(await sweep(h.deps)).toEqual({ skus: 2, filled: 1, failed: 0 });
    expect(h.queue.sent).toEqual([{ kind: 'RESUME', storeId: 'store-1', orderId: 'O1' }]);
    expect(decide.mock.calls.map(([sku]) => sku).sort()).toEqual([SKU, 'OTHER'].sort());
  });

  it('one failing SKU is counted and logged, and the others are still swept', async () => {
    const h = harness();
    for (const sku of ['A', 'B', 'C']) h.catalog.configs.set(sku, { sku, threshold: 0, reorderQuantity: 1 });
    for (const [i, sku] of ['A', 'B', 'C'].entries()) await deliverOrder(h.deps, orderMessage(`O-${sku}`, sku, 1, { receivedAt: `2025-03-01T09:0${i}:00.000Z` }));
    h.stock.seedCodes('A', 'A-1');
    h.stock.seedCodes('B', 'B-1');
    h.stock.seedCodes('C', 'C-1');
    const realHas = h.backorders.hasBackorders.bind(h.backorders);
    jest.spyOn(h.backorders, 'hasBackorders').mockImplementation(async (sku) => {
      if (sku === 'B') throw new Error('B is unreachable');
      return realHas(sku);
    });

    expect(await sweep(h.deps)).toEqual({ skus: 3, filled: 2, failed: 1 });
    expect(h.queue.sent.map((m) => m.orderId).sort()).toEqual(['O-A', 'O-C']);
    expect(h.log.lines).toContainEqual({ level: 'error', message: 'Sweep failed for SKU', data: { sku: 'B', error: 'B is unreachable' } });
  });

  it('starts at a different SKU each minute', async () => {
    const h = harness();
    for (const sku of ['A', 'B', 'C']) h.catalog.configs.set(sku, { sku, threshold: 0, reorderQuantity: 1 });
    const visited = jest.spyOn(h.backorders, 'hasBackorders');
    const order = async () => {
      visited.mockClear();
      await sweep(h.deps);
      return visited.mock.calls.map(([sku]) => sku);
    };
    // T0 is minute 29 013 720 since the epoch, a multiple of 3.
    expect(await order()).toEqual(['A', 'B', 'C']);
    h.clock.advanceSeconds(59);
    expect(await order()).toEqual(['A', 'B', 'C']);
    h.clock.advanceSeconds(1);
    expect(await order()).toEqual(['B', 'C', 'A']);
    h.clock.advanceSeconds(60);
    expect(await order()).toEqual(['C', 'A', 'B']);
    h.clock.advanceSeconds(60);
    expect(await order()).toEqual(['A', 'B', 'C']);
  });

  it('sweeps nothing, without failing, when there are no SKUs', async () => {
    const h = harness();
    expect(await sweep(h.deps)).toEqual({ skus: 0, filled: 0, failed: 0 });
  });
});
