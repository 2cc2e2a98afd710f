// One contract for the persistence ports, run against the in-memory fakes (test/unit) and against
// DynamoDB Local (test/integration): what the core relies on from every store, so the fakes the core
// is unit-tested with cannot drift from the real conditions.
import { randomUUID } from 'node:crypto';
import { TokenRevealLinks } from '#adapters/reveal/reveal-links';
import type { CodeMaterial } from '#core/model';
import type { BackorderQueue } from '#core/ports/backorders';
import type { CatalogStore } from '#core/ports/catalog';
import type { ClaimStore } from '#core/ports/claims';
import type { LeaseStore } from '#core/ports/leases';
import type { NewUnit, OrderStore } from '#core/ports/orders';
import type { ReorderStore } from '#core/ports/reorders';
import type { RevealGrant, RevealStore } from '#core/ports/reveals';
import type { SendStore } from '#core/ports/sends';
import type { StockStore } from '#core/ports/stock';
import type { SupplierHealthStore } from '#core/ports/supplier-health';
import { deliverAsLink } from './link-delivery';

export interface ContractStores {
  orders: OrderStore;
  claims: ClaimStore;
  sends: SendStore;
  reorders: ReorderStore;
  backorders: BackorderQueue;
  stock: StockStore;
  catalog: CatalogStore;
  leases: LeaseStore;
  supplierHealth: SupplierHealthStore;
  reveals: RevealStore;
}

const RECEIVED = '2025-03-01T10:00:00.000Z';
const lease = (owner: string, until: string) => ({ owner, until });

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
        expect((await s.backorders.oldestBackorders(t.sku, 5)).map((e) => e.reserved ?? false)).toEqual([false]);
        // The FIFO entry names all a claim needs: the filler claims without reading the unit first.
        const [entry] = await s.backorders.oldestBackorders(t.sku, 5);
        const claim = await s.claims.claim(entry, 'BACKORDERED');
        expect(claim.result).toBe('CLAIMED');
        // Marked in the same transaction: a later pass sees it was reserved before it claims again.
        expect((await s.backorders.oldestBackorders(t.sku, 5)).map((e) => e.reserved ?? false)).toEqual([true]);
        await expect(s.claims.claim(t.unit(1), 'BACKORDERED')).resolves.toMatchObject({ result: 'UNIT_TAKEN', unit: { state: 'RESERVED' } });
        const reserved = (await s.orders.getUnit(t.unit(1)))!;
        expect(reserved.sendStartedAt).toBeUndefined();
        await expect(s.sends.acquireSend(reserved, lease('a', '2025-03-01T10:02:00.000Z'), '2025-03-01T10:01:00.000Z')).resolves.toEqual({ result: 'ACQUIRED', attempt: 1, takeover: false });
        await expect(s.sends.markDelivered(reserved, '2025-03-01T10:02:00.000Z', { channel: 'sms', providerMessageId: 'm-1' })).resolves.toBe(true);
        // Idempotent: a retry after a crash finishes without moving anything twice.
        await expect(s.sends.markDelivered(reserved, '2025-03-01T10:03:00.000Z')).resolves.toBe(true);
        expect(await s.orders.getUnit(t.unit(1))).toMatchObject({ state: 'DELIVERED', deliveredAt: '2025-03-01T10:02:00.000Z', sendStartedAt: '2025-03-01T10:01:00.000Z', channel: 'sms', providerMessageId: 'm-1', sendAttempts: 1 });
        await expect(s.sends.acquireSend({ ...reserved, sendStartedAt: 'x' }, lease('b', 'later'), 'now')).resolves.toMatchObject({ result: 'NOT_RESERVED', unit: { state: 'DELIVERED' } });
        expect(await s.stock.audit(t.sku)).toEqual({ AVAILABLE: 1, RESERVED: 0, DELIVERED: 1, REVOKED: 0 });
      });

      it('claimWaiting reserves distinct codes for the oldest waiting units as far as the stock goes, and tries nothing after the stock-out', async () => {
        const t = scope();
        await s.orders.ensureOrder(t.newOrder());
        for (const n of [1, 2, 3, 4]) await s.backorders.backorder(t.unit(n));
        await s.stock.addCodes(t.sku, t.codes('A', 'B'), 'contract');
        const entries = await s.backorders.oldestBackorders(t.sku, 10);
        const outcomes = await s.claims.claimWaiting(entries);
        expect(outcomes.map((o) => o.result)).toEqual(['CLAIMED', 'CLAIMED', 'OUT_OF_STOCK']);
        const units = await Promise.all(entries.map((e) => s.orders.getUnit(e)));
        expect(units.map((u) => u?.state)).toEqual(['RESERVED', 'RESERVED', 'BACKORDERED', 'BACKORDERED']);
        expect(new Set(units.slice(0, 2).map((u) => u?.codeId)).size).toBe(2);
        expect((await s.backorders.oldestBackorders(t.sku, 10)).map((e) => e.reserved ?? false)).toEqual([true, true, false, false]);
        // Units no longer waiting come back as they are; nothing is reserved twice.
        await s.stock.addCodes(t.sku, t.codes('C'), 'contract');
        const again = await s.claims.claimWaiting(entries);
        expect(again.slice(0, 3).map((o) => o.result)).toEqual(['UNIT_TAKEN', 'UNIT_TAKEN', 'CLAIMED']);
        expect(await s.stock.audit(t.sku)).toEqual({ AVAILABLE: 0, RESERVED: 3, DELIVERED: 0, REVOKED: 0 });
      });

      it('releaseUnsent gives an uncommitted code back to stock, and never a committed one', async () => {
        const t = scope();
        await s.orders.ensureOrder(t.newOrder());
        await s.backorders.backorder(t.unit(1));
        await s.stock.addCodes(t.sku, t.codes('A', 'B'), 'contract');
        await s.claims.claim(t.unit(1), 'BACKORDERED');
        const uncommitted = (await s.orders.getUnit(t.unit(1)))!;
        await expect(s.claims.releaseUnsent(uncommitted)).resolves.toBe(true);
        expect(await s.orders.getUnit(t.unit(1))).toMatchObject({ state: 'CANCELLED' });
        expect(await s.stock.countAvailable(t.sku, 10)).toBe(2);
        await s.claims.claim(t.unit(2), 'NEW');
        const committed = (await s.orders.getUnit(t.unit(2)))!;
        await expect(s.claims.releaseUnsent(committed)).resolves.toBe(false);
        expect(await s.stock.countAvailable(t.sku, 10)).toBe(1);
      });

      it('markDelivered refuses a code that is not the unit\'s own', async () => {
        const t = scope();
        await s.stock.addCodes(t.sku, t.codes('A', 'B'), 'contract');
        await s.claims.claim(t.unit(1), 'NEW');
        const other = await s.claims.claim(t.unit(2), 'NEW');
        const unit1 = (await s.orders.getUnit(t.unit(1)))!;
        await expect(s.sends.markDelivered({ ...unit1, codeId: (other as { codeId: string }).codeId }, 'now')).resolves.toBe(false);
        expect(await s.stock.audit(t.sku)).toMatchObject({ RESERVED: 2, DELIVERED: 0 });
      });
    });

    describe('sends', () => {
      const T1 = '2025-03-01T10:01:00.000Z';
      const T2 = '2025-03-01T10:02:00.000Z';
      const T3 = '2025-03-01T10:03:00.000Z';

      it('one holder at a time; a live lease leaves the unit to its holder; an expired one is taken over and says so', async () => {
        const t = scope();
        await s.stock.addCodes(t.sku, t.codes('A'), 'contract');
        await s.claims.claim(t.unit(1), 'NEW', lease('first', T2));
        const unit = (await s.orders.getUnit(t.unit(1)))!;
        expect(unit).toMatchObject({ sendAttempts: 1 });
        await expect(s.sends.acquireSend(unit, lease('dup', T3), T1)).resolves.toMatchObject({ result: 'LEASE_HELD', unit: { state: 'RESERVED' } });
        await expect(s.sends.acquireSend(unit, lease('retry', '2025-03-01T10:04:00.000Z'), T3)).resolves.toEqual({ result: 'ACQUIRED', attempt: 2, takeover: true });
        // Only the holder may record or hold: the first sender's lease is gone.
        await expect(s.sends.recordSendFailure(unit, 'first', { failure: 'TRANSIENT', reason: 'x', at: T3 }, false)).resolves.toBe(false);
        await expect(s.sends.recordSendFailure(unit, 'retry', { failure: 'UNKNOWN_OUTCOME', reason: 'timeout', at: T3 }, true)).resolves.toBe(true);
        expect(await s.orders.getUnit(t.unit(1))).toMatchObject({ state: 'RESERVED', maybeSent: true, lastSendFailure: { failure: 'UNKNOWN_OUTCOME', reason: 'timeout', at: T3 } });
        // A recorded failure frees the lease: no takeover for the next attempt.
        await expect(s.sends.acquireSend(unit, lease('third', '2025-03-01T10:05:00.000Z'), T3)).resolves.toEqual({ result: 'ACQUIRED', attempt: 3, takeover: false });
      });

      it('a unit not committed yet is committed with its lease, only while the order stands', async () => {
        const t = scope();
        await s.orders.ensureOrder(t.newOrder());
        await s.backorders.backorder(t.unit(1));
        await s.backorders.backorder(t.unit(2));
        await s.stock.addCodes(t.sku, t.codes('A', 'B'), 'contract');
        await s.claims.claim(t.unit(1), 'BACKORDERED');
        await s.claims.claim(t.unit(2), 'BACKORDERED');
        const first = (await s.orders.getUnit(t.unit(1)))!;
        await expect(s.sends.acquireSend(first, lease('a', T2), T1)).resolves.toMatchObject({ result: 'ACQUIRED', takeover: false });
        expect(await s.orders.getUnit(t.unit(1))).toMatchObject({ sendStartedAt: T1 });
        await s.orders.markOrderCancelled({ ...t.order, reason: 'refunded', at: T1 });
        const second = (await s.orders.getUnit(t.unit(2)))!;
        await expect(s.sends.acquireSend(second, lease('b', T2), T1)).resolves.toEqual({ result: 'ORDER_CANCELLED' });
        expect((await s.orders.getUnit(t.unit(2)))?.sendStartedAt).toBeUndefined();
      });

      it('the holder holds the unit with its code; unsent, a release gives the code back; released, it is RESERVED again', async () => {
        const t = scope();
        await s.stock.addCodes(t.sku, t.codes('A', 'B'), 'contract');
        await s.claims.claim(t.unit(1), 'NEW', lease('me', T2));
        await s.claims.claim(t.unit(2), 'NEW', lease('me', T2));
        const [u1, u2] = [(await s.orders.getUnit(t.unit(1)))!, (await s.orders.getUnit(t.unit(2)))!];
        await expect(s.sends.holdUnit(u1, 'someone-else', { reason: 'CHANNEL_REJECTED', detail: 'sms: permanent X', at: T1, sent: false })).resolves.toBe(false);
        await expect(s.sends.holdUnit(u1, 'me', { reason: 'CHANNEL_REJECTED', detail: 'sms: permanent X', at: T1, sent: false })).resolves.toBe(true);
        await expect(s.sends.holdUnit(u2, 'me', { reason: 'CHANNEL_UNAVAILABLE', detail: 'sms: unknown_outcome timeout', at: T1, sent: true })).resolves.toBe(true);
        const held1 = (await s.orders.getUnit(t.unit(1)))!;
        const held2 = (await s.orders.getUnit(t.unit(2)))!;
        expect(held1).toMatchObject({ state: 'HELD', heldReason: 'CHANNEL_REJECTED', heldDetail: 'sms: permanent X', heldAt: T1, codeId: u1.codeId });
        expect(held1.sendStartedAt).toBeUndefined();
        expect(held2).toMatchObject({ state: 'HELD', heldReason: 'CHANNEL_UNAVAILABLE', sendStartedAt: u2.sendStartedAt });
        await expect(s.sends.releaseHeldUnit(held2, T2)).resolves.toBe(true);
        await expect(s.sends.releaseHeldUnit(held2, T2)).resolves.toBe(false);
        expect(await s.orders.getUnit(t.unit(2))).toMatchObject({ state: 'RESERVED', codeId: u2.codeId });
        await expect(s.claims.releaseUnsent(held1)).resolves.toBe(true);
        expect(await s.stock.audit(t.sku)).toMatchObject({ AVAILABLE: 1, RESERVED: 1 });
      });
    });

    describe('channel chain records', () => {
      const T1 = '2025-03-01T10:01:00.000Z';
      const T2 = '2025-03-01T10:02:00.000Z';
      const failed = { channel: 'whatsapp', outcome: 'FAILED' as const, at: T1, reason: 'PERMANENT 131026' };

      it('an attempt saves the channels tried and appends its outcomes; a release clears what was tried', async () => {
        const t = scope();
        await s.stock.addCodes(t.sku, t.codes('A'), 'contract');
        await s.claims.claim(t.unit(1), 'NEW', lease('me', T2));
        const unit = (await s.orders.getUnit(t.unit(1)))!;
        await s.sends.recordSendFailure(unit, 'me', { failure: 'TRANSIENT', reason: 'sms 503', at: T1 }, false, { tried: ['whatsapp'], log: [failed, { channel: 'sms', outcome: 'FAILED', at: T1, reason: 'TRANSIENT 503' }] });
        expect(await s.orders.getUnit(t.unit(1))).toMatchObject({ channelsTried: ['whatsapp'], channelLog: [failed, { channel: 'sms', outcome: 'FAILED' }] });
        await s.sends.acquireSend(unit, lease('again', T2), T1);
        await s.sends.holdUnit(unit, 'again', { reason: 'CHANNEL_REJECTED', detail: 'x', at: T1, sent: false }, { tried: ['whatsapp', 'sms'], log: [{ channel: 'sms', outcome: 'FAILED', at: T1, reason: 'PERMANENT 1' }] });
        expect((await s.orders.getUnit(t.unit(1)))?.channelLog).toHaveLength(3);
        await s.sends.releaseHeldUnit(unit, T2);
        expect((await s.orders.getUnit(t.unit(1)))?.channelsTried).toBeUndefined();
      });

      it('statuses only go forward and only for the accepted message; a failure reopens the unit once, not after delivered', async () => {
        const t = scope();
        await s.stock.addCodes(t.sku, t.codes('A', 'B'), 'contract');
        await s.claims.claim(t.unit(1), 'NEW', lease('me', T2));
        await s.claims.claim(t.unit(2), 'NEW', lease('me', T2));
        const [u1, u2] = [(await s.orders.getUnit(t.unit(1)))!, (await s.orders.getUnit(t.unit(2)))!];
        const sent = { tried: [], log: [{ channel: 'whatsapp', outcome: 'SENT' as const, at: T1, providerMessageId: 'wamid.1' }] };
        await s.sends.markDelivered(u1, T1, { channel: 'whatsapp', providerMessageId: 'wamid.1', revealLinkExpiresAt: '2025-04-01T00:00:00.000Z' }, sent);
        await s.sends.markDelivered(u2, T1, { channel: 'whatsapp', providerMessageId: 'wamid.2' });
        const update = (status: 'sent' | 'delivered' | 'read' | 'failed', id = 'wamid.1') => ({ channel: 'whatsapp', providerMessageId: id, status, at: T2 });
        expect(await s.orders.getUnit(t.unit(1))).toMatchObject({ revealLinkExpiresAt: '2025-04-01T00:00:00.000Z', channelLog: sent.log });
        await expect(s.sends.recordDeliveryStatus(t.unit(1), update('sent'))).resolves.toBe(true);
        await expect(s.sends.recordDeliveryStatus(t.unit(1), update('sent'))).resolves.toBe(false);
        await expect(s.sends.recordDeliveryStatus(t.unit(1), update('read', 'wamid.other'))).resolves.toBe(false);
        await expect(s.sends.recordDeliveryStatus(t.unit(1), update('delivered'))).resolves.toBe(true);
        expect(await s.orders.getUnit(t.unit(1))).toMatchObject({ deliveryStatus: 'delivered', deliveryStatusAt: T2 });
        await expect(s.sends.reopenFailedSend(t.unit(1), update('failed'))).resolves.toBeUndefined();

        const reopened = await s.sends.reopenFailedSend(t.unit(2), { ...update('failed', 'wamid.2'), errorCode: '131049' });
        expect(reopened).toMatchObject({ state: 'RESERVED', maybeSent: true, channelsTried: ['whatsapp'], deliveryStatus: 'failed', sendStartedAt: u2.sendStartedAt });
        expect(reopened?.providerMessageId).toBeUndefined();
        expect(reopened?.channelLog?.at(-1)).toMatchObject({ channel: 'whatsapp', outcome: 'FAILED', reason: 'FAILED_AFTER_ACCEPT 131049' });
        await expect(s.sends.reopenFailedSend(t.unit(2), update('failed', 'wamid.2'))).resolves.toBeUndefined();
        // The fallback's send finds the code DELIVERED to this unit already, and a code-only message clears the link.
        await expect(s.sends.acquireSend(reopened!, lease('fallback', '2025-03-01T10:09:00.000Z'), T2)).resolves.toMatchObject({ result: 'ACQUIRED', takeover: false });
        await expect(s.sends.markDelivered(reopened!, T2, { channel: 'sms', providerMessageId: 'sns-1' })).resolves.toBe(true);
        expect(await s.orders.getUnit(t.unit(2))).toMatchObject({ state: 'DELIVERED', channel: 'sms', providerMessageId: 'sns-1' });
        expect((await s.orders.getUnit(t.unit(2)))?.deliveryStatus).toBeUndefined();
        expect(await s.stock.audit(t.sku)).toMatchObject({ DELIVERED: 2, RESERVED: 0 });
      });
    });

    describe('reveals', () => {
      const T1 = '2025-03-01T10:01:00.000Z';
      const linkOf = (t: ReturnType<typeof scope>) => ({ locale: 'ar' as const, orderReference: `REF-${t.id}`, at: RECEIVED });
      const asLink = (t: ReturnType<typeof scope>, n = 1) =>
        deliverAsLink({ ...s, revealLinks: new TokenRevealLinks(s.reveals, { now: () => new Date(RECEIVED) }, { baseUrl: 'https://r.test', ttlHours: 1 }) }, t.unit(n), linkOf(t));
      const grantOf = (t: ReturnType<typeof scope>): RevealGrant => ({
        digest: `${t.id}`.padEnd(64, '0'),
        storeId: t.order.storeId,
        orderId: t.order.orderId,
        unitId: 'L1#1',
        sku: t.sku,
        codeId: 'C1',
        locale: 'en',
        orderReference: `REF-${t.id}`,
        issuedAt: RECEIVED,
        expiresAt: '2025-03-31T10:00:00.000Z',
      });

      it('a grant reads back whole by its digest, is stored once, and an unknown digest finds nothing', async () => {
        const t = scope();
        const grant = { ...grantOf(t), productName: 'Card' };
        await s.reveals.putGrant(grant);
        expect(await s.reveals.getGrant(grant.digest)).toEqual(grant);
        await expect(s.reveals.putGrant({ ...grant, unitId: 'L1#2' })).rejects.toThrow(/not stored/);
        expect(await s.reveals.getGrant('f'.repeat(64))).toBeUndefined();
      });

      it('a unit is marked revealed once, only while it holds the linked code committed to the customer', async () => {
        const t = scope();
        await s.stock.addCodes(t.sku, t.codes('A', 'B', 'C'), 'contract');
        const { unit, link } = await asLink(t);
        expect(unit).toMatchObject({ state: 'DELIVERED', revealLinkExpiresAt: link.expiresAt });
        // The status read says what the mark would answer, and writes nothing however often it is asked.
        await expect(s.reveals.revealStatus({ ...unit, codeId: unit.codeId! })).resolves.toEqual({ result: 'UNREVEALED' });
        await expect(s.reveals.revealStatus({ ...unit, codeId: unit.codeId! })).resolves.toEqual({ result: 'UNREVEALED' });
        await expect(s.reveals.revealStatus({ ...unit, codeId: 'not-its-code' })).resolves.toEqual({ result: 'NOT_AVAILABLE' });
        expect(await s.orders.getUnit(unit)).toEqual(unit);
        await expect(s.reveals.markRevealed({ ...unit, codeId: 'not-its-code' }, T1)).resolves.toEqual({ result: 'NOT_AVAILABLE' });
        await expect(s.reveals.markRevealed({ ...unit, codeId: unit.codeId! }, T1)).resolves.toEqual({ result: 'REVEALED' });
        await expect(s.reveals.revealStatus({ ...unit, codeId: unit.codeId! })).resolves.toEqual({ result: 'ALREADY_REVEALED', revealedAt: T1 });
        await expect(s.reveals.markRevealed({ ...unit, codeId: unit.codeId! }, 'later')).resolves.toEqual({ result: 'ALREADY_REVEALED', revealedAt: T1 });
        expect(await s.orders.getUnit(unit)).toMatchObject({ state: 'DELIVERED', revealedAt: T1 });
        // Committed but not yet recorded delivered: the reveal can beat markDelivered.
        await s.claims.claim(t.unit(2), 'NEW');
        const sending = (await s.orders.getUnit(t.unit(2)))!;
        await expect(s.reveals.revealStatus({ ...sending, codeId: sending.codeId! })).resolves.toEqual({ result: 'UNREVEALED' });
        await expect(s.reveals.markRevealed({ ...sending, codeId: sending.codeId! }, T1)).resolves.toEqual({ result: 'REVEALED' });
        // Reserved by the filler, never committed: not the customer's yet. A unit that does not exist neither.
        await s.orders.ensureOrder(t.newOrder());
        await s.backorders.backorder(t.unit(3));
        await s.claims.claim(t.unit(3), 'BACKORDERED');
        const uncommitted = (await s.orders.getUnit(t.unit(3)))!;
        await expect(s.reveals.revealStatus({ ...uncommitted, codeId: uncommitted.codeId! })).resolves.toEqual({ result: 'NOT_AVAILABLE' });
        await expect(s.reveals.markRevealed({ ...uncommitted, codeId: uncommitted.codeId! }, T1)).resolves.toEqual({ result: 'NOT_AVAILABLE' });
        await expect(s.reveals.revealStatus({ ...t.unit(9), codeId: 'C9' })).resolves.toEqual({ result: 'NOT_AVAILABLE' });
        await expect(s.reveals.markRevealed({ ...t.unit(9), codeId: 'C9' }, T1)).resolves.toEqual({ result: 'NOT_AVAILABLE' });
        expect((await s.orders.getUnit(t.unit(9)))).toBeUndefined();
      });

      it('returnUnrevealed gives an unopened link\'s code back, only for a cancelled order; the link then finds nothing to reveal', async () => {
        const t = scope();
        await s.stock.addCodes(t.sku, t.codes('A'), 'contract');
        const { unit } = await asLink(t);
        await expect(s.claims.returnUnrevealed(unit)).resolves.toBe(false);
        await s.orders.markOrderCancelled({ ...t.order, reason: 'refunded', at: T1 });
        await expect(s.claims.returnUnrevealed(unit)).resolves.toBe(true);
        await expect(s.claims.returnUnrevealed(unit)).resolves.toBe(false);
        const returned = await s.orders.getUnit(unit);
        expect(returned).toMatchObject({ state: 'CANCELLED' });
        expect(returned?.codeId).toBeUndefined();
        expect(await s.stock.audit(t.sku)).toEqual({ AVAILABLE: 1, RESERVED: 0, DELIVERED: 0, REVOKED: 0 });
        await expect(s.reveals.revealStatus({ ...unit, codeId: unit.codeId! })).resolves.toEqual({ result: 'NOT_AVAILABLE' });
        await expect(s.reveals.markRevealed({ ...unit, codeId: unit.codeId! }, T1)).resolves.toEqual({ result: 'NOT_AVAILABLE' });
        // The code is in the index again: the next order gets it.
        await expect(s.claims.claim({ ...scope().unit(1), sku: t.sku }, 'NEW')).resolves.toMatchObject({ result: 'CLAIMED', codeId: unit.codeId });
      });

      it('a link opened first, or a code sent as itself, is never given back', async () => {
        const t = scope();
        await s.stock.addCodes(t.sku, t.codes('A', 'B'), 'contract');
        const { unit: opened } = await asLink(t);
        await s.reveals.markRevealed({ ...opened, codeId: opened.codeId! }, T1);
        await s.claims.claim(t.unit(2), 'NEW');
        const plain = (await s.orders.getUnit(t.unit(2)))!;
        await s.sends.markDelivered(plain, T1, { channel: 'sms' });
        await s.orders.markOrderCancelled({ ...t.order, reason: 'refunded', at: T1 });
        await expect(s.claims.returnUnrevealed((await s.orders.getUnit(opened))!)).resolves.toBe(false);
        await expect(s.claims.returnUnrevealed((await s.orders.getUnit(plain))!)).resolves.toBe(false);
        expect(await s.stock.audit(t.sku)).toEqual({ AVAILABLE: 0, RESERVED: 0, DELIVERED: 2, REVOKED: 0 });
      });
    });

    describe('order holds', () => {
      it('an order is held once, with its lines; a release returns what was held and lets it go', async () => {
        const t = scope();
        const hold = { reason: 'NO_CONTACT' as const, detail: 'no phone', at: RECEIVED, lines: t.newOrder().lines };
        await expect(s.orders.holdOrder(t.order.storeId, t.order.orderId, hold)).resolves.toBe(false); // no order yet
        await s.orders.ensureOrder(t.newOrder());
        await expect(s.orders.holdOrder(t.order.storeId, t.order.orderId, hold)).resolves.toBe(true);
        await expect(s.orders.holdOrder(t.order.storeId, t.order.orderId, hold)).resolves.toBe(false);
        expect(await s.orders.getOrder(t.order.storeId, t.order.orderId)).toMatchObject({ hold });
        await expect(s.orders.correctContact(t.order.storeId, t.order.orderId, { phone: '+966500000002' }, '2025-03-01T10:59:00.000Z')).resolves.toBe(true);
        const released = await s.orders.releaseOrderHold(t.order.storeId, t.order.orderId, '2025-03-01T11:00:00.000Z');
        expect(released).toMatchObject({ hold, customer: { phone: '+966500000002' } });
        await expect(s.orders.releaseOrderHold(t.order.storeId, t.order.orderId, 'later')).resolves.toBeUndefined();
        const after = await s.orders.getOrder(t.order.storeId, t.order.orderId);
        expect(after).toMatchObject({ releasedAt: '2025-03-01T11:00:00.000Z', contactCorrectedAt: '2025-03-01T10:59:00.000Z', customer: { phone: '+966500000002' } });
        expect(after?.hold).toBeUndefined();
        // The merchant's release stands against the same over-limit delivery coming again.
        await expect(s.orders.holdOrder(t.order.storeId, t.order.orderId, hold, { unlessReleased: true })).resolves.toBe(false);
        await expect(s.orders.holdOrder(t.order.storeId, t.order.orderId, hold)).resolves.toBe(true);
      });

      it('each release is remembered by its reason: a hold of another reason is still placed, and after its release both stand', async () => {
        const t = scope();
        await s.orders.ensureOrder(t.newOrder());
        const hold = (reason: 'PAYMENT_MISMATCH' | 'VELOCITY_LIMIT') => ({ reason, detail: reason, at: RECEIVED, lines: t.newOrder().lines });
        await s.orders.holdOrder(t.order.storeId, t.order.orderId, hold('PAYMENT_MISMATCH'));
        await s.orders.releaseOrderHold(t.order.storeId, t.order.orderId, '2025-03-01T11:00:00.000Z');
        await expect(s.orders.holdOrder(t.order.storeId, t.order.orderId, hold('PAYMENT_MISMATCH'), { unlessReleased: true })).resolves.toBe(false);
        await expect(s.orders.holdOrder(t.order.storeId, t.order.orderId, hold('VELOCITY_LIMIT'), { unlessReleased: true })).resolves.toBe(true);
        await s.orders.releaseOrderHold(t.order.storeId, t.order.orderId, '2025-03-01T11:05:00.000Z');
        expect(await s.orders.getOrder(t.order.storeId, t.order.orderId)).toMatchObject({ releasedFrom: 'VELOCITY_LIMIT', releasedReasons: ['PAYMENT_MISMATCH', 'VELOCITY_LIMIT'] });
        await expect(s.orders.holdOrder(t.order.storeId, t.order.orderId, hold('VELOCITY_LIMIT'), { unlessReleased: true })).resolves.toBe(false);
      });

      it('a cancelled order is never held, nor its contact corrected; an unknown order neither', async () => {
        const t = scope();
        await expect(s.orders.correctContact(t.order.storeId, t.order.orderId, { phone: '+966500000002' }, RECEIVED)).resolves.toBe(false);
        await s.orders.ensureOrder(t.newOrder());
        await s.orders.markOrderCancelled({ ...t.order, reason: 'cancelled', at: RECEIVED });
        await expect(s.orders.holdOrder(t.order.storeId, t.order.orderId, { reason: 'OVER_LIMIT', detail: 'd', at: RECEIVED, lines: [] })).resolves.toBe(false);
        await expect(s.orders.correctContact(t.order.storeId, t.order.orderId, { phone: '+966500000002' }, RECEIVED)).resolves.toBe(false);
      });
    });

    describe('reorders', () => {
      const start = (t: ReturnType<typeof scope>, holder: string, lane = 0, reorderId = `R-${t.id}`) => ({
        reorderId,
        lane,
        state: 'PLACING' as const,
        leaseUntil: '2025-03-01T10:02:00.000Z',
        quantity: 5,
        createdAt: RECEIVED,
        pollId: holder,
        supplier: 'reloadly',
        productId: '3001',
        unitPrice: 50,
      });

      it('one reorder per lane; only the lease holder may move it; the poll token passes it on once', async () => {
        const t = scope();
        await s.catalog.putSkuConfig({ sku: t.sku, threshold: 1, reorderQuantity: 5 });
        await expect(s.reorders.startReorder(t.sku, start(t, 'h1'), 0)).resolves.toBe(true);
        await expect(s.reorders.startReorder(t.sku, start(t, 'h2', 0, `R2-${t.id}`), 1)).resolves.toBe(false);
        const id = { lane: 0, reorderId: `R-${t.id}` };
        await expect(s.reorders.updateReorder(t.sku, id, 'intruder', { state: 'PENDING' })).rejects.toThrow(/no longer held/);
        await expect(s.reorders.updateReorder(t.sku, { lane: 1, reorderId: id.reorderId }, 'h1', { state: 'PENDING' })).rejects.toThrow(/no longer held/);
        await s.reorders.updateReorder(t.sku, id, 'h1', { state: 'PLACING', attempted: true });
        expect((await s.reorders.getReorderStatus(t.sku)).active).toEqual([expect.objectContaining({ state: 'PLACING', attempted: true, pollId: 'h1' })]);
        await s.reorders.updateReorder(t.sku, id, 'h1', { state: 'PENDING', codesReceived: 2, supplierOrderIds: ['S1'], leaseUntil: '2025-03-01T10:05:00.000Z', nextHolder: 'poll-1' });
        // The live lease can be taken only with the handed-over token, once.
        await expect(s.reorders.takeLease(t.sku, id, { now: '2025-03-01T10:03:00.000Z', holder: 'sweep', leaseUntil: 'x' })).resolves.toBe(false);
        await expect(s.reorders.takeLease(t.sku, id, { presented: 'poll-1', now: '2025-03-01T10:03:00.000Z', holder: 'h2', leaseUntil: '2025-03-01T10:06:00.000Z' })).resolves.toBe(true);
        await expect(s.reorders.takeLease(t.sku, id, { presented: 'poll-1', now: '2025-03-01T10:03:00.000Z', holder: 'h3', leaseUntil: 'x' })).resolves.toBe(false);
        // Expired: anyone may take it, one at a time.
        await expect(s.reorders.takeLease(t.sku, id, { now: '2025-03-01T10:07:00.000Z', holder: 'sweep', leaseUntil: '2025-03-01T10:09:00.000Z' })).resolves.toBe(true);
        await expect(s.reorders.takeLease(t.sku, id, { now: '2025-03-01T10:07:00.000Z', holder: 'other', leaseUntil: 'x' })).resolves.toBe(false);
        expect((await s.reorders.getReorderStatus(t.sku)).active).toEqual([
          expect.objectContaining({ reorderId: id.reorderId, lane: 0, state: 'PENDING', pollId: 'sweep', codesReceived: 2, supplier: 'reloadly', productId: '3001', quantity: 5 }),
        ]);
        expect(await s.reorders.getReorder(t.sku, id.reorderId)).toMatchObject({ state: 'PENDING', codesReceived: 2, supplierOrderIds: ['S1'], supplier: 'reloadly', productId: '3001', unitPrice: 50 });
        await s.reorders.finishReorder(t.sku, id, 'h2', { state: 'COMPLETED', blockedUntil: 'x' }); // not the holder: nothing
        expect((await s.reorders.getReorderStatus(t.sku)).active).toHaveLength(1);
        await s.reorders.finishReorder(t.sku, id, 'sweep', { state: 'COMPLETED', blockedUntil: '2025-03-01T10:10:00.000Z' });
        expect(await s.reorders.getReorderStatus(t.sku)).toEqual({ active: [], blockedUntil: '2025-03-01T10:10:00.000Z', supplierBlockedUntil: {}, version: 1 });
      });

      it('recentReorders lists the newest first, with what each received and when it finished', async () => {
        const t = scope();
        await s.catalog.putSkuConfig({ sku: t.sku, threshold: 1, reorderQuantity: 5 });
        await s.reorders.startReorder(t.sku, { ...start(t, 'h1', 0, `${t.sku}-20250301100000000-a`) }, 0);
        await s.reorders.startReorder(t.sku, { ...start(t, 'h2', 1, `${t.sku}-20250301100001000-b`) }, 1);
        const first = { lane: 0, reorderId: `${t.sku}-20250301100000000-a` };
        await s.reorders.updateReorder(t.sku, first, 'h1', { state: 'COMPLETED', codesReceived: 3 });
        await s.reorders.finishReorder(t.sku, first, 'h1', { state: 'COMPLETED', blockedUntil: '2999-01-01T00:00:00.000Z' });
        await s.reorders.updateReorder(t.sku, { lane: 1, reorderId: `${t.sku}-20250301100001000-b` }, 'h2', { state: 'PENDING', codesReceived: 2 });
        const recent = await s.reorders.recentReorders(t.sku);
        expect(recent.map(({ finishedAt, ...r }) => ({ ...r, finished: finishedAt !== undefined }))).toEqual([
          { quantity: 5, codesReceived: 2, finished: false },
          { quantity: 5, codesReceived: 3, finished: true },
        ]);
        await expect(s.reorders.recentReorders(`other-${t.sku}`)).resolves.toEqual([]);
      });

      it('a follow-up starts in another lane only if nothing started since its decision looked', async () => {
        const t = scope();
        await s.catalog.putSkuConfig({ sku: t.sku, threshold: 1, reorderQuantity: 5 });
        expect((await s.reorders.getReorderStatus(t.sku)).version).toBe(0);
        await expect(s.reorders.startReorder(t.sku, start(t, 'h1'), 0)).resolves.toBe(true);
        // Two decisions that both saw version 1: one follow-up, not two.
        await expect(s.reorders.startReorder(t.sku, start(t, 'h2', 1, `F1-${t.id}`), 1)).resolves.toBe(true);
        await expect(s.reorders.startReorder(t.sku, start(t, 'h3', 2, `F2-${t.id}`), 1)).resolves.toBe(false);
        const status = await s.reorders.getReorderStatus(t.sku);
        expect(status.version).toBe(2);
        expect(status.active.map((a) => [a.lane, a.reorderId])).toEqual([
          [0, `R-${t.id}`],
          [1, `F1-${t.id}`],
        ]);
        expect(await s.reorders.getReorder(t.sku, `F2-${t.id}`)).toBeUndefined();
      });

      it('a failed reorder pauses its supplier for the SKU; the lane is free again', async () => {
        const t = scope();
        await s.catalog.putSkuConfig({ sku: t.sku, threshold: 1, reorderQuantity: 5 });
        await s.reorders.startReorder(t.sku, start(t, 'h1', 2), 0);
        await s.reorders.finishReorder(t.sku, { lane: 2, reorderId: `R-${t.id}` }, 'h1', {
          state: 'FAILED',
          failureReason: 'INSUFFICIENT_BALANCE',
          blockSupplier: { supplier: 'reloadly', until: '2025-03-01T10:15:00.000Z' },
        });
        expect(await s.reorders.getReorderStatus(t.sku)).toEqual({ active: [], supplierBlockedUntil: { reloadly: '2025-03-01T10:15:00.000Z' }, version: 1 });
        expect(await s.reorders.getReorder(t.sku, `R-${t.id}`)).toMatchObject({ state: 'FAILED', failureReason: 'INSUFFICIENT_BALANCE', lane: 2 });
      });

      it('one wake per pause: a later pause may schedule its own', async () => {
        const t = scope();
        await s.catalog.putSkuConfig({ sku: t.sku, threshold: 1, reorderQuantity: 5 });
        await expect(s.reorders.scheduleWake(t.sku, '2025-03-01T10:00:02.000Z')).resolves.toBe(true);
        await expect(s.reorders.scheduleWake(t.sku, '2025-03-01T10:00:02.000Z')).resolves.toBe(false);
        await expect(s.reorders.scheduleWake(t.sku, '2025-03-01T10:00:01.000Z')).resolves.toBe(false);
        await expect(s.reorders.scheduleWake(t.sku, '2025-03-01T10:00:09.000Z')).resolves.toBe(true);
        expect((await s.reorders.getReorderStatus(t.sku)).wakeAt).toBe('2025-03-01T10:00:09.000Z');
      });

      it('a reorder given up on keeps one late-check chain', async () => {
        const t = scope();
        await s.catalog.putSkuConfig({ sku: t.sku, threshold: 1, reorderQuantity: 5 });
        await s.reorders.startReorder(t.sku, start(t, 'h1'), 0);
        const id = `R-${t.id}`;
        await s.reorders.finishReorder(t.sku, { lane: 0, reorderId: id }, 'h1', { state: 'STUCK', failureReason: 'given up', blockedUntil: 'x', lateCheckId: 'L1', lateCheckUntil: '2025-03-02T10:00:00.000Z' });
        expect(await s.reorders.getReorder(t.sku, id)).toMatchObject({ state: 'STUCK', failureReason: 'given up', lateCheckId: 'L1' });
        await expect(s.reorders.passLateCheck(t.sku, id, 'L1', 'L2')).resolves.toBe(true);
        await expect(s.reorders.passLateCheck(t.sku, id, 'L1', 'L3')).resolves.toBe(false);
        await expect(s.reorders.passLateCheck(t.sku, id, 'L2', undefined)).resolves.toBe(true);
        expect((await s.reorders.getReorder(t.sku, id))?.lateCheckId).toBeUndefined();
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
        await s.backorders.removeBackorderEntries(await s.backorders.oldestBackorders(t.sku, 1));
        expect(await s.backorders.hasBackorders(t.sku)).toBe(false);
        // More than one request's worth (25 per BatchWriteItem), and none at all.
        for (let n = 1; n <= 30; n++) await s.backorders.backorder(t.unit(n, 'L9'));
        await s.backorders.removeBackorderEntries([]);
        await s.backorders.removeBackorderEntries(await s.backorders.oldestBackorders(t.sku, 30));
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
        const { codeId, codeKey } = claim as { codeId: string; codeKey?: string };
        const material = await s.stock.readCode({ sku: t.sku, codeId, codeKey });
        expect(t.codes('A', 'B', 'C').map((c) => c.code)).toContain(material.code);
        expect(material.pin).toMatch(/^p-[ABC]$/);
        await expect(s.stock.readCode({ sku: t.sku, codeId: 'no-such-code', codeKey })).rejects.toThrow(/not found/);
      });

      it('overlapping intakes into two SKUs at once hold each value exactly once, and count it once', async () => {
        const t = scope();
        const values = Array.from({ length: 130 }, (_, i) => `V${i}`);
        // Several transactions each, overlapping in the middle, racing: every value ends in one SKU only.
        const [first, second] = await Promise.all([
          s.stock.addCodes(t.sku, t.codes(...values.slice(0, 100)), 'contract'),
          s.stock.addCodes(`${t.sku}-OTHER`, t.codes(...values.slice(30)), 'contract'),
        ]);
        expect(first.inserted + first.duplicates).toBe(100);
        expect(second.inserted + second.duplicates).toBe(100);
        expect(first.inserted + second.inserted).toBe(130);
        expect((await s.stock.audit(t.sku)).AVAILABLE).toBe(first.inserted);
        expect((await s.stock.audit(`${t.sku}-OTHER`)).AVAILABLE).toBe(second.inserted);
        // A re-run of either file adds nothing.
        await expect(s.stock.addCodes(t.sku, t.codes(...values.slice(0, 100)), 'contract')).resolves.toEqual({ inserted: 0, duplicates: 100 });
      }, 30_000);
    });

    describe('orders', () => {
      it('ensureOrder keeps what was stored first; a cancellation stub is filled in and stays cancelled', async () => {
        const t = scope();
        await s.orders.markOrderCancelled({ ...t.order, reason: 'cancelled', at: '2025-03-01T09:59:00.000Z' });
        const stored = await s.orders.ensureOrder(t.newOrder());
        expect(stored).toMatchObject({ ...t.order, locale: 'en', cancelledAt: '2025-03-01T09:59:00.000Z', receivedAt: RECEIVED, ensureCount: 1 });
        const again = await s.orders.ensureOrder({ ...t.newOrder(), locale: 'ar', receivedAt: '2025-03-02T00:00:00.000Z' });
        expect(again).toMatchObject({ locale: 'en', receivedAt: RECEIVED, ensureCount: 2 });
      });

      it('of concurrent first messages exactly one is told it ensured the order first', async () => {
        const t = scope();
        const counts = await Promise.all(Array.from({ length: 8 }, () => s.orders.ensureOrder(t.newOrder()).then((o) => o.ensureCount)));
        expect([...counts].sort((a, b) => a! - b!)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
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

      it('variant and product mappings have distinct keys: the same id maps each its own way, in one read', async () => {
        const t = scope();
        await s.catalog.putProductMapping({ storeId: t.order.storeId, productId: 'X1', sku: `${t.sku}-P`, multiplier: 1 });
        await s.catalog.putProductMapping({ storeId: t.order.storeId, productId: 'X1', variant: true, sku: `${t.sku}-V`, multiplier: 2 });
        const found = await s.catalog.getLineMappings(t.order.storeId, ['X1', 'X2'], ['X1', 'X3']);
        expect(Object.fromEntries(found.products)).toEqual({ X1: { storeId: t.order.storeId, productId: 'X1', sku: `${t.sku}-P`, multiplier: 1 } });
        expect(Object.fromEntries(found.variants)).toEqual({ X1: { storeId: t.order.storeId, productId: 'X1', variant: true, sku: `${t.sku}-V`, multiplier: 2 } });
        expect((await s.catalog.getProductMappings(t.order.storeId, ['X1'])).get('X1')?.sku).toBe(`${t.sku}-P`);
        // Removing one leaves the other.
        await expect(s.catalog.deleteProductMapping({ storeId: t.order.storeId, productId: 'X1' })).resolves.toBe(true);
        await expect(s.catalog.deleteProductMapping({ storeId: t.order.storeId, productId: 'X1' })).resolves.toBe(false);
        const left = await s.catalog.getLineMappings(t.order.storeId, ['X1'], ['X1']);
        expect([left.products.size, left.variants.size]).toEqual([0, 1]);
      });

      it("a store's channel settings are its own; an unknown store has none", async () => {
        const t = scope();
        expect(await s.catalog.getStoreSettings(t.order.storeId)).toBeUndefined();
        await s.catalog.putStoreSettings({ storeId: t.order.storeId, channels: ['whatsapp', 'sms'], linkChannels: [] });
        expect(await s.catalog.getStoreSettings(t.order.storeId)).toEqual({ storeId: t.order.storeId, channels: ['whatsapp', 'sms'], linkChannels: [] });
        // The product map beside it is untouched.
        await s.catalog.putProductMapping({ storeId: t.order.storeId, productId: 'P1', sku: t.sku, multiplier: 1 });
        expect((await s.catalog.getProductMappings(t.order.storeId, ['P1'])).size).toBe(1);
      });
    });

    describe('supplier health', () => {
      it('keeps the last balance and error per supplier; one low-balance alert per window', async () => {
        const name = `sup-${randomUUID().slice(0, 8)}`;
        await s.supplierHealth.recordBalance(name, { amount: 12.5, currency: 'USD' }, '2025-03-01T10:00:00.000Z');
        await s.supplierHealth.recordError(name, 'balance: HTTP 503', '2025-03-01T10:01:00.000Z');
        await s.supplierHealth.recordBalance(name, { amount: 11, currency: 'USD' }, '2025-03-01T10:02:00.000Z');
        await expect(s.supplierHealth.claimLowBalanceAlert(name, '2025-03-01T10:02:00.000Z', '2025-03-01T09:02:00.000Z')).resolves.toBe(true);
        await expect(s.supplierHealth.claimLowBalanceAlert(name, '2025-03-01T10:30:00.000Z', '2025-03-01T09:30:00.000Z')).resolves.toBe(false);
        await expect(s.supplierHealth.claimLowBalanceAlert(name, '2025-03-01T11:03:00.000Z', '2025-03-01T10:03:00.000Z')).resolves.toBe(true);
        expect((await s.supplierHealth.list()).find((h) => h.supplier === name)).toEqual({
          supplier: name,
          balance: { amount: 11, currency: 'USD' },
          balanceAt: '2025-03-01T10:02:00.000Z',
          lastError: 'balance: HTTP 503',
          lastErrorAt: '2025-03-01T10:01:00.000Z',
          lowBalanceAlertedAt: '2025-03-01T11:03:00.000Z',
        });
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
