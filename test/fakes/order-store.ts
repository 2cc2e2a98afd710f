// In-memory OrderStore: the order META item and its units, with the DynamoDB store's conditions.
import type { Contact } from '#core/model';
import { wasReleasedFrom, type NewOrder, type NewUnit, type OrderHold, type OrderRecord, type OrderStore, type OrderUnit, type UnitRef } from '#core/ports/orders';
import { copy, unitKey, type World } from './world';

export class FakeOrderStore implements OrderStore {
  constructor(private readonly world: World) {}

  async ensureOrder(order: Omit<NewOrder, 'kind' | 'lines'> & { unitCount?: number }): Promise<OrderRecord> {
    const key = `${order.storeId}/${order.orderId}`;
    const existing = this.world.orders.get(key);
    const record: OrderRecord = {
      ...existing,
      platform: order.platform,
      storeId: order.storeId,
      orderId: order.orderId,
      reference: existing?.reference ?? order.reference ?? order.orderId,
      locale: existing?.locale ?? order.locale,
      customer: existing?.customer ?? order.customer,
      receivedAt: existing?.receivedAt ?? order.receivedAt,
      ...((existing?.unitCount ?? order.unitCount) !== undefined ? { unitCount: existing?.unitCount ?? order.unitCount } : {}),
      ensureCount: (existing?.ensureCount ?? 0) + 1,
    };
    this.world.orders.set(key, record);
    return { ...record };
  }

  async getOrder(storeId: string, orderId: string): Promise<OrderRecord | undefined> {
    return copy(this.world.orders.get(`${storeId}/${orderId}`));
  }

  async getUnit(ref: UnitRef): Promise<OrderUnit | undefined> {
    return copy(this.world.units.get(unitKey(ref)));
  }

  async listUnits(storeId: string, orderId: string): Promise<OrderUnit[]> {
    return [...this.world.units.values()]
      .filter((u) => u.storeId === storeId && u.orderId === orderId)
      .sort((a, b) => a.unitId.localeCompare(b.unitId))
      .map((u) => ({ ...u }));
  }

  async putCancelledUnit(unit: NewUnit): Promise<boolean> {
    if (this.world.units.has(unitKey(unit))) return false;
    this.world.units.set(unitKey(unit), { ...unit, state: 'CANCELLED' });
    return true;
  }

  async markOrderCancelled(input: { platform: string; storeId: string; orderId: string; reason: string; at: string }): Promise<void> {
    const key = `${input.storeId}/${input.orderId}`;
    const existing = this.world.orders.get(key);
    // Like the DynamoDB stub: only what the cancellation knows; ensureOrder fills in the rest later.
    this.world.orders.set(key, {
      ...(existing as OrderRecord),
      platform: existing?.platform ?? input.platform,
      storeId: input.storeId,
      orderId: input.orderId,
      cancelledAt: existing?.cancelledAt ?? input.at,
      cancelReason: input.reason,
    });
  }

  /** `attribute_exists(pk) AND attribute_not_exists(backorderNotifiedAt)`. */
  async claimBackorderNotice(storeId: string, orderId: string, at: string): Promise<boolean> {
    const order = this.world.orders.get(`${storeId}/${orderId}`);
    if (!order || order.backorderNotifiedAt) return false;
    order.backorderNotifiedAt = at;
    return true;
  }

  async releaseBackorderNotice(storeId: string, orderId: string): Promise<void> {
    const order = this.world.orders.get(`${storeId}/${orderId}`);
    if (order) delete order.backorderNotifiedAt;
  }

  /** `attribute_not_exists(deliveredBeforeCancel)`: only the first cancel records (and alerts). */
  async flagDeliveredBeforeCancel(storeId: string, orderId: string, unitIds: string[]): Promise<boolean> {
    const order = this.world.orders.get(`${storeId}/${orderId}`);
    if (order?.deliveredBeforeCancel) return false;
    if (order) order.deliveredBeforeCancel = [...unitIds];
    return true;
  }

  /** `attribute_exists(pk) AND attribute_not_exists(hold) AND attribute_not_exists(cancelledAt) [AND not released from this reason]`. */
  async holdOrder(storeId: string, orderId: string, hold: OrderHold, options: { unlessReleased?: boolean } = {}): Promise<boolean> {
    const order = this.world.orders.get(`${storeId}/${orderId}`);
    if (!order || order.hold || order.cancelledAt || (options.unlessReleased && wasReleasedFrom(order, hold.reason))) return false;
    order.hold = { ...hold, lines: hold.lines.map((l) => ({ ...l })) };
    return true;
  }

  async releaseOrderHold(storeId: string, orderId: string, at: string): Promise<OrderRecord | undefined> {
    const order = this.world.orders.get(`${storeId}/${orderId}`);
    if (!order?.hold) return undefined;
    const before = { ...order };
    order.releasedFrom = order.hold.reason;
    order.releasedReasons = [...new Set([...(order.releasedReasons ?? []), order.hold.reason])].sort();
    delete order.hold;
    order.releasedAt = at;
    return before;
  }

  async correctContact(storeId: string, orderId: string, customer: Contact, at: string): Promise<boolean> {
    const order = this.world.orders.get(`${storeId}/${orderId}`);
    if (!order || order.cancelledAt) return false;
    order.customer = { ...customer };
    order.contactCorrectedAt = at;
    return true;
  }
}
