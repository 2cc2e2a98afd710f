// In-memory BackorderQueue: the per-SKU FIFO, sorted by the same sort key as the DynamoDB items.
import { backorderSk } from '#adapters/dynamo/keys';
import type { BackorderEntry, BackorderOutcome, BackorderQueue } from '#core/ports/backorders';
import type { NewUnit, OrderUnit } from '#core/ports/orders';
import { copy, unitKey, type World } from './world';

const entryKey = (sku: string, position: string) => `${sku}|${position}`;

export class FakeBackorderQueue implements BackorderQueue {
  constructor(private readonly world: World) {}

  /** [order not cancelled, unit put (attribute_not_exists), FIFO entry put]. */
  async backorder(unit: NewUnit): Promise<BackorderOutcome> {
    if (this.world.orderCancelled(unit)) return { result: 'ORDER_CANCELLED' };
    const existing = this.world.units.get(unitKey(unit));
    if (existing) return { result: 'EXISTS', unit: copy(existing) };
    this.world.units.set(unitKey(unit), { ...unit, state: 'BACKORDERED' });
    const position = backorderSk(unit.receivedAt, unit.storeId, unit.orderId, unit.unitId);
    this.world.backorders.set(entryKey(unit.sku, position), {
      sku: unit.sku,
      storeId: unit.storeId,
      orderId: unit.orderId,
      unitId: unit.unitId,
      receivedAt: unit.receivedAt,
      position,
    });
    return { result: 'CREATED' };
  }

  async cancelBackorder(unit: OrderUnit): Promise<boolean> {
    const stored = this.world.units.get(unitKey(unit));
    if (stored?.state !== 'BACKORDERED') return false;
    stored.state = 'CANCELLED';
    this.world.backorders.delete(entryKey(unit.sku, backorderSk(unit.receivedAt, unit.storeId, unit.orderId, unit.unitId)));
    return true;
  }

  async hasBackorders(sku: string): Promise<boolean> {
    return (await this.oldestBackorders(sku, 1)).length > 0;
  }

  async countBackorders(sku: string, atMost: number): Promise<number> {
    return Math.min(atMost, [...this.world.backorders.values()].filter((e) => e.sku === sku && !e.reserved).length);
  }

  async oldestBackorders(sku: string, limit: number): Promise<BackorderEntry[]> {
    return [...this.world.backorders.values()]
      .filter((e) => e.sku === sku)
      .sort((a, b) => (a.position < b.position ? -1 : 1))
      .slice(0, limit)
      .map((e) => ({ ...e }));
  }

  async removeBackorderEntries(entries: BackorderEntry[]): Promise<void> {
    for (const entry of entries) this.world.backorders.delete(entryKey(entry.sku, entry.position));
  }
}
