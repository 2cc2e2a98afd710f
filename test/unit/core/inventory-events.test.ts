// onSkuActivity / sweep: which stream activity wakes the filler, which asks for a reorder.
import { deliverOrder } from '../../../functions/core/deliver-order';
import { onSkuActivity, sweep } from '../../../functions/core/inventory-events';
import { harness, orderMessage } from './fakes';

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
    const fill = jest.spyOn(h.inventory, 'hasBackorders');
    const decide = jest.spyOn(h.catalog, 'getSkuConfig');
    await onSkuActivity(h.deps, SKU, activity);
    expect(fill.mock.calls.length > 0).toBe(fills);
    expect(decide.mock.calls.length > 0).toBe(reorders);
  });
});

describe('sweep', () => {
  it('fills every SKU that has both backorders and stock, and reconsiders its reorder', async () => {
    const h = harness();
    h.catalog.configs.set(SKU, { sku: SKU, threshold: 0, reorderQuantity: 1 });
    h.catalog.configs.set('OTHER', { sku: 'OTHER', threshold: 0, reorderQuantity: 1 });
    await deliverOrder(h.deps, orderMessage('O1', SKU, 1));
    h.inventory.seedCodes(SKU, 'CODE-A');
    const decide = jest.spyOn(h.catalog, 'getSkuConfig');
    expect(await sweep(h.deps)).toEqual({ skus: 2, filled: 1 });
    expect(h.queue.sent).toEqual([{ kind: 'RESUME', storeId: 'store-1', orderId: 'O1' }]);
    expect(decide.mock.calls.map(([sku]) => sku)).toEqual([SKU, 'OTHER']);
  });
});
