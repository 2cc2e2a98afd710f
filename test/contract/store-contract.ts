// One contract for the persistence ports, run against the in-memory fakes (test/unit) and against
// DynamoDB Local (test/integration): what the core relies on from every store, so the fakes the core
// is unit-tested with cannot drift from the real conditions.
import { randomUUID } from 'node:crypto';
import type { CodeMaterial } from '#core/model';
import type { BackorderQueue } from '#core/ports/backorders';
import type { CatalogStore } from '#core/ports/catalog';
import type { ClaimStore } from '#core/ports/claims';
import type { LeaseStore } from '#core/ports/leases';
import type { NewUnit, OrderStore } from '#core/ports/orders';
import type { StockStore } from '#core/ports/stock';

export interface ContractStores {
  orders: OrderStore;
  claims: ClaimStore;
  backorders: BackorderQueue;
  stock: StockStore;
  catalog: CatalogStore;
  leases: LeaseStore;
}

const RECEIVED = '2025-03-01T10:00:00.000Z';

/** A fresh SKU and order per test, so one table (or world) serves the whole suite. */
function scope() {
  const id = randomUUID().slice(0, 8);
  const sku = `SKU-${id}`;
  const order = { platform: 'salla', storeId: `S-${id}`, orderId: `O-${id}` };
  const unit = (n: number, line = 'L1'): NewUnit => ({ storeId: order.storeId, orderId: order.orderId, unitId: `${line}#${n}`, lineId: line, sku, receivedAt: RECEIVED, productName: 'Card' });
  const codes = (...values: string[]): CodeMaterial[] => values.map((v) => ({ code: `${v}-${id}`, pin: `p-${v}`, format: 'text' }));
  const newOrder = () => ({
    kind: 'ORDER' as const,
    ...order,
    locale: 'en' as const,
    customer: { phone: '+966500000001' },
    lines: [{ lineId: 'L1', productId: 'P1', sku, quantity: 1 }],
    receivedAt: RECEIVED,
  });
  return { id, sku, order, unit, codes, newOrder };
}

export function describeStoreContract(label: string, open: () => Promise<ContractStores>, close: () => Promise<void> = async () => undefined): void {
  describe(`store contract: ${label}`, () => {
    let s: ContractStores;
    beforeAll(async () => {
      s = await open();
    });
    afterAll(close);

    describe('claims', () => {
      it('claims each code once: a second NEW claim of the unit is UNIT_TAKEN and returns the unit that won', async () => {
        const t = scope();
        await s.stock.addCodes(t.sku, t.codes('A', 'B'), 'contract');
        const first = await s.claims.claim(t.unit(1), 'NEW');
        expect(first).toMatchObject({ result: 'CLAIMED', codeId: expect.any(String) });
        const again = await s.claims.claim(t.unit(1), 'NEW');
        expect(again).toMatchObject({ result: 'UNIT_TAKEN', unit: { unitId: 'L1#1', state: 'RESERVED', codeId: (first as { codeId: string }).codeId } });
        expect(await s.stock.audit(t.sku)).toEqual({ AVAILABLE: 1, RESERVED: 1, DELIVERED: 0, REVOKED: 0 });
      });

      it('a new unit is committed to sending in its claim; OUT_OF_STOCK once the SKU has nothing left (checked before the unit)', async () => {
        const t = scope();
        await s.stock.addCodes(t.sku, t.codes('A'), 'contract');
        const claim = await s.claims.claim(t.unit(1), 'NEW');
        const unit = await s.orders.getUnit(t.unit(1));
        expect(unit).toMatchObject({ state: 'RESERVED', sendStartedAt: (claim as { at: string }).at });
        await expect(s.claims.claim(t.unit(2), 'NEW')).resolves.toEqual({ result: 'OUT_OF_STOCK' });
        // The candidates are read first: a duplicate of a claimed unit on an empty SKU hears OUT_OF_STOCK,
        // and the core then finds its unit through the backorder write (EXISTS, with the unit).
        await expect(s.claims.claim(t.unit(1), 'NEW')).resolves.toEqual({ result: 'OUT_OF_STOCK' });
        await expect(s.backorders.backorder(t.unit(1))).resolves.toMatchObject({ result: 'EXISTS', unit: { state: 'RESERVED' } });
      });

      it('nothing is reserved for a cancelled order', async () => {
        const t = scope();
        await s.stock.addCodes(t.sku, t.codes('A'), 'contract');
        await s.orders.markOrderCancelled({ ...t.order, reason: 'refunded', at: RECEIVED });
        await expect(s.claims.claim(t.unit(1), 'NEW')).resolves.toEqual({ result: 'ORDER_CANCELLED' });
        await expect(s.backorders.backorder(t.unit(2))).resolves.toEqual({ result: 'ORDER_CANCELLED' });
        expect(await s.stock.audit(t.sku)).toMatchObject({ AVAILABLE: 1, RESERVED: 0 });
      });

      it('a backordered unit is claimed by the filler (not committed), then committed, sent and delivered', async () => {
        const t = scope();
        await s.orders.ensureOrder(t.newOrder());
        await expect(s.backorders.backorder(t.unit(1))).resolves.toEqual({ result: 'CREATED' });
        await expect(s.backorders.backorder(t.unit(1))).resolves.toMatchObject({ result: 'EXISTS', unit: { state: 'BACKORDERED' } });
        await s.stock.addCodes(t.sku, t.codes('A', 'B'), 'contract');
        const claim = await s.claims.claim(t.unit(1), 'BACKORDERED');
        expect(claim.result).toBe('CLAIMED');
        await expect(s.claims.claim(t.unit(1), 'BACKORDERED')).resolves.toMatchObject({ result: 'UNIT_TAKEN', unit: { state: 'RESERVED' } });
        const reserved = (await s.orders.getUnit(t.unit(1)))!;
        expect(reserved.sendStartedAt).toBeUndefined();
        await expect(s.claims.commitSend(reserved, '2025-03-01T10:01:00.000Z')).resolves.toEqual({ result: 'COMMITTED' });
        await expect(s.claims.markDelivered(reserved, '2025-03-01T10:02:00.000Z')).resolves.toBe(true);
        // Idempotent: a retry after a crash finishes without moving anything twice.
        await expect(s.claims.markDelivered(reserved, '2025-03-01T10:03:00.000Z')).resolves.toBe(true);
        expect(await s.orders.getUnit(t.unit(1))).toMatchObject({ state: 'DELIVERED', deliveredAt: '2025-03-01T10:02:00.000Z' });
        await expect(s.claims.commitSend(reserved, 'later')).resolves.toMatchObject({ result: 'NOT_RESERVED', unit: { state: 'DELIVERED' } });
        expect(await s.stock.audit(t.sku)).toEqual({ AVAILABLE: 1, RESERVED: 0, DELIVERED: 1, REVOKED: 0 });
      });

      it('releaseReserved gives an uncommitted code back to stock, and never a committed one', async () => {
        const t = scope();
        await s.orders.ensureOrder(t.newOrder());
        await s.backorders.backorder(t.unit(1));
        await s.stock.addCodes(t.sku, t.codes('A', 'B'), 'contract');
        await s.claims.claim(t.unit(1), 'BACKORDERED');
        const uncommitted = (await s.orders.getUnit(t.unit(1)))!;
        await expect(s.claims.releaseReserved(uncommitted)).resolves.toBe(true);
        expect(await s.orders.getUnit(t.unit(1))).toMatchObject({ state: 'CANCELLED' });
        expect(await s.stock.countAvailable(t.sku, 10)).toBe(2);
        await s.claims.claim(t.unit(2), 'NEW');
        const committed = (await s.orders.getUnit(t.unit(2)))!;
        await expect(s.claims.releaseReserved(committed)).resolves.toBe(false);
        expect(await s.stock.countAvailable(t.sku, 10)).toBe(1);
      });

      it('markDelivered refuses a code that is not the unit\'s own', async () => {
        const t = scope();
        await s.stock.addCodes(t.sku, t.codes('A', 'B'), 'contract');
        await s.claims.claim(t.unit(1), 'NEW');
        const other = await s.claims.claim(t.unit(2), 'NEW');
        const unit1 = (await s.orders.getUnit(t.unit(1)))!;
        await expect(s.claims.markDelivered({ ...unit1, codeId: (other as { codeId: string }).codeId }, 'now')).resolves.toBe(false);
        expect(await s.stock.audit(t.sku)).toMatchObject({ RESERVED: 2, DELIVERED: 0 });
      });
    });

    describe('backorders', () => {
      it('the FIFO is oldest paid first; a cancelled backorder leaves it; a stale entry can be removed', async () => {
        const t = scope();
        const late = { ...t.unit(1, 'L2'), receivedAt: '2025-03-01T10:05:00.000Z' };
        const early = { ...t.unit(1, 'L1'), receivedAt: '2025-03-01T10:01:00.000Z' };
        await s.backorders.backorder(late);
        await s.backorders.backorder(early);
        expect(await s.backorders.hasBackorders(t.sku)).toBe(true);
        const entries = await s.backorders.oldestBackorders(t.sku, 10);
        expect(entries.map((e) => e.unitId)).toEqual(['L1#1', 'L2#1']);
        await expect(s.backorders.cancelBackorder({ ...early, state: 'BACKORDERED' })).resolves.toBe(true);
        await expect(s.backorders.cancelBackorder({ ...early, state: 'BACKORDERED' })).resolves.toBe(false);
        expect((await s.backorders.oldestBackorders(t.sku, 10)).map((e) => e.unitId)).toEqual(['L2#1']);
        await s.backorders.removeBackorderEntry((await s.backorders.oldestBackorders(t.sku, 1))[0]);
        expect(await s.backorders.hasBackorders(t.sku)).toBe(false);
      });
    });

    describe('stock', () => {
      it('a code value is stored once across every SKU; counts are bounded; the code reads back whole', async () => {
        const t = scope();
        await expect(s.stock.addCodes(t.sku, [...t.codes('A', 'B', 'C'), ...t.codes('A')], 'contract')).resolves.toEqual({ inserted: 3, duplicates: 1 });
        await expect(s.stock.addCodes(`${t.sku}-OTHER`, t.codes('B'), 'contract')).resolves.toEqual({ inserted: 0, duplicates: 1 });
        await expect(s.stock.countAvailable(t.sku, 2)).resolves.toBe(2);
        await expect(s.stock.countAvailable(t.sku, 10)).resolves.toBe(3);
        const claim = await s.claims.claim(t.unit(1), 'NEW');
        const material = await s.stock.readCode(t.sku, (claim as { codeId: string }).codeId);
        expect(t.codes('A', 'B', 'C').map((c) => c.code)).toContain(material.code);
        expect(material.pin).toMatch(/^p-[ABC]$/);
        await expect(s.stock.readCode(t.sku, 'no-such-code')).rejects.toThrow(/not found/);
      });
    });

    describe('orders', () => {
      it('ensureOrder keeps what was stored first; a cancellation stub is filled in and stays cancelled', async () => {
        const t = scope();
        await s.orders.markOrderCancelled({ ...t.order, reason: 'cancelled', at: '2025-03-01T09:59:00.000Z' });
        const stored = await s.orders.ensureOrder(t.newOrder());
        expect(stored).toMatchObject({ ...t.order, locale: 'en', cancelledAt: '2025-03-01T09:59:00.000Z', receivedAt: RECEIVED });
        const again = await s.orders.ensureOrder({ ...t.newOrder(), locale: 'ar', receivedAt: '2025-03-02T00:00:00.000Z' });
        expect(again).toMatchObject({ locale: 'en', receivedAt: RECEIVED });
      });

      it('the backorder notice and the delivered-before-cancel flag are won once', async () => {
        const t = scope();
        await expect(s.orders.claimBackorderNotice(t.order.storeId, t.order.orderId, RECEIVED)).resolves.toBe(false); // no order yet
        await s.orders.ensureOrder(t.newOrder());
        await expect(s.orders.claimBackorderNotice(t.order.storeId, t.order.orderId, RECEIVED)).resolves.toBe(true);
        await expect(s.orders.claimBackorderNotice(t.order.storeId, t.order.orderId, RECEIVED)).resolves.toBe(false);
        await s.orders.releaseBackorderNotice(t.order.storeId, t.order.orderId);
        await expect(s.orders.claimBackorderNotice(t.order.storeId, t.order.orderId, RECEIVED)).resolves.toBe(true);
        await expect(s.orders.flagDeliveredBeforeCancel(t.order.storeId, t.order.orderId, ['L1#1'])).resolves.toBe(true);
        await expect(s.orders.flagDeliveredBeforeCancel(t.order.storeId, t.order.orderId, ['L1#1'])).resolves.toBe(false);
        expect(await s.orders.getOrder(t.order.storeId, t.order.orderId)).toMatchObject({ deliveredBeforeCancel: ['L1#1'] });
      });

      it('a cancelled unit is written only for a unit never started; units list in unit order', async () => {
        const t = scope();
        await expect(s.orders.putCancelledUnit(t.unit(2))).resolves.toBe(true);
        await expect(s.orders.putCancelledUnit(t.unit(2))).resolves.toBe(false);
        await s.stock.addCodes(t.sku, t.codes('A'), 'contract');
        await s.claims.claim(t.unit(1), 'NEW');
        expect((await s.orders.listUnits(t.order.storeId, t.order.orderId)).map((u) => [u.unitId, u.state])).toEqual([
          ['L1#1', 'RESERVED'],
          ['L1#2', 'CANCELLED'],
        ]);
      });
    });

    describe('catalog', () => {
      it('SKU settings replace what was given before; mappings are found per store, missing ones absent', async () => {
        const t = scope();
        await s.catalog.putSkuConfig({ sku: t.sku, threshold: 3, reorderQuantity: 10, supplier: 'reloadly', supplierProductId: '1', unitPrice: 5 });
        await s.catalog.putSkuConfig({ sku: t.sku, threshold: 4, reorderQuantity: 8 });
        expect(await s.catalog.getSkuConfig(t.sku)).toEqual({ sku: t.sku, threshold: 4, reorderQuantity: 8 });
        expect(await s.catalog.listSkus()).toContain(t.sku);
        await s.catalog.putProductMapping({ storeId: t.order.storeId, productId: 'P1', sku: t.sku, multiplier: 2 });
        const found = await s.catalog.getProductMappings(t.order.storeId, ['P1', 'P2', 'P1']);
        expect(Object.fromEntries(found)).toEqual({ P1: { storeId: t.order.storeId, productId: 'P1', sku: t.sku, multiplier: 2 } });
        expect((await s.catalog.getProductMappings('another-store', ['P1'])).size).toBe(0);
      });
    });

    describe('leases', () => {
      it('one holder per SKU until it releases or its lease expires', async () => {
        const t = scope();
        await expect(s.leases.acquire(t.sku, 'a', 60_000)).resolves.toBe(true);
        await expect(s.leases.acquire(t.sku, 'b', 60_000)).resolves.toBe(false);
        await s.leases.release(t.sku, 'b'); // not b's: nothing happens
        await expect(s.leases.acquire(t.sku, 'b', 60_000)).resolves.toBe(false);
        await s.leases.release(t.sku, 'a');
        await expect(s.leases.acquire(t.sku, 'b', 1)).resolves.toBe(true);
        await new Promise((r) => setTimeout(r, 20));
        await expect(s.leases.acquire(t.sku, 'c', 60_000)).resolves.toBe(true);
      });
    });
  });
}
