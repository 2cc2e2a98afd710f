// The in-memory fakes' shared state: orders, units, codes and backorders in one place, as the single
// table holds them. The fakes follow the DynamoDB stores' conditions; test/contract runs the same
// contract suite against both, so they cannot drift.
import type { CodeMaterial, CodeStatus } from '#core/model';
import type { BackorderEntry } from '#core/ports/backorders';
import type { OrderRecord, OrderUnit, UnitRef } from '#core/ports/orders';
import type { RevealGrant } from '#core/ports/reveals';
import type { Clock } from '#core/ports/runtime';
import type { SendLease } from '#core/ports/sends';

export const T0 = '2025-03-01T10:00:00.000Z';

export class FakeClock implements Clock {
  private ms: number;
  constructor(iso = T0) {
    this.ms = Date.parse(iso);
  }
  now(): Date {
    return new Date(this.ms);
  }
  advanceSeconds(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

export const unitKey = (ref: UnitRef) => `${ref.storeId}/${ref.orderId}/${ref.unitId}`;

export interface FakeCode {
  sku: string;
  material: CodeMaterial;
  status: CodeStatus;
  /** unitKey of the unit holding it. */
  unit?: string;
}

export class World {
  readonly orders = new Map<string, OrderRecord>();
  readonly units = new Map<string, OrderUnit>();
  readonly codes = new Map<string, FakeCode>();
  /** Keyed `<sku>|<position>`; positions sort oldest first like the real sort key. */
  readonly backorders = new Map<string, BackorderEntry & { reserved?: boolean }>();
  /** Send leases by unitKey (the unit item's sendOwner / sendLeaseUntil). */
  readonly leases = new Map<string, SendLease>();
  /** Reveal-link grants by digest (the REVEAL#<digest> items). */
  readonly revealGrants = new Map<string, RevealGrant>();

  unit(storeId: string, orderId: string, unitId: string): OrderUnit | undefined {
    return this.units.get(unitKey({ storeId, orderId, unitId }));
  }

  /** The ConditionCheck `attribute_not_exists(cancelledAt)` on the order META item (a missing item passes). */
  orderCancelled(ref: { storeId: string; orderId: string }): boolean {
    return this.orders.get(`${ref.storeId}/${ref.orderId}`)?.cancelledAt !== undefined;
  }
}

export const copy = <T extends object>(value: T | undefined): T | undefined => (value ? { ...value } : undefined);
