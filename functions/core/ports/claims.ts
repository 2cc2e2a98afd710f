// Persistence port: the moves that bind a code to a unit (claim, commit, release, deliver). Each is
// one transaction or conditional write over the unit and its code together.
import type { NewUnit, OrderUnit } from './orders';

export type ClaimOutcome =
  /** `at`: when the code was reserved (and, for a new unit, committed to sending). */
  | { result: 'CLAIMED'; codeId: string; at: string }
  | { result: 'OUT_OF_STOCK' }
  /**
   * The unit already exists (a duplicate message) or is no longer backordered (cancelled, filled):
   * `unit` is the record that won, when there is one.
   */
  | { result: 'UNIT_TAKEN'; unit?: OrderUnit }
  /** The order was cancelled or refunded: nothing may be reserved for it any more. */
  | { result: 'ORDER_CANCELLED' };

export type CommitOutcome =
  | { result: 'COMMITTED' }
  | { result: 'ORDER_CANCELLED' }
  /** The unit is not RESERVED any more: `unit` is what it is now, when it exists. */
  | { result: 'NOT_RESERVED'; unit?: OrderUnit };

export interface ClaimStore {
  /**
   * Claims one available code, unless the order is cancelled. A new unit (`mode: 'NEW'`) is committed
   * to sending at once; a backordered one (the filler) commits later, through `commitSend`.
   */
  claim(unit: NewUnit, mode: 'NEW' | 'BACKORDERED'): Promise<ClaimOutcome>;
  /** Marks a RESERVED unit as about to be sent, only while its order is not cancelled. */
  commitSend(unit: OrderUnit, at: string): Promise<CommitOutcome>;
  /** RESERVED (never committed to sending) → CANCELLED, and its code back to AVAILABLE. */
  releaseReserved(unit: OrderUnit): Promise<boolean>;
  /**
   * RESERVED → DELIVERED, the code first and then the unit (each idempotent for this unit), so a unit is
   * DELIVERED only once its code is; false if either is not this unit's RESERVED (or DELIVERED) record.
   */
  markDelivered(unit: OrderUnit, at: string): Promise<boolean>;
}
