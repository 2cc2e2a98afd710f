// Persistence port: binding a code to a unit and, when nothing was sent, giving it back. Each is one
// transaction over the order check, the unit and its code together.
import type { NewUnit, OrderUnit, UnitRef } from './orders';
import type { SendLease } from './sends';

export type ClaimOutcome =
  /** `at`: when the code was reserved (and, for a new unit, committed to sending under `lease`). */
  | { result: 'CLAIMED'; codeId: string; codeKey?: string; at: string }
  | { result: 'OUT_OF_STOCK' }
  /**
   * The unit already exists (a duplicate message) or is no longer backordered (cancelled, filled):
   * `unit` is the record that won, when there is one.
   */
  | { result: 'UNIT_TAKEN'; unit?: OrderUnit }
  /** The order was cancelled or refunded: nothing may be reserved for it any more. */
  | { result: 'ORDER_CANCELLED' };

/** A backordered unit as its FIFO entry names it: all a claim for it needs, so the filler reads nothing first. */
export type WaitingUnit = UnitRef & { sku: string; receivedAt: string };

export interface ClaimStore {
  /**
   * Claims one available code, unless the order is cancelled. A new unit (`mode: 'NEW'`) is committed
   * to sending at once under `lease`; a backordered one (the filler) is sent later, through `acquireSend`.
   */
  claim(unit: NewUnit, mode: 'NEW', lease?: SendLease): Promise<ClaimOutcome>;
  claim(unit: WaitingUnit, mode: 'BACKORDERED'): Promise<ClaimOutcome>;
  /**
   * The filler's claim: a code for each waiting unit (of one SKU), oldest first, as far as the stock
   * goes, side by side where the stock covers them. One outcome per unit tried, in order; nothing is
   * tried after the first OUT_OF_STOCK, so a unit gets no code while an older one in the list goes
   * without, short of a concurrent claimer taking a code meanwhile.
   */
  claimWaiting(units: WaitingUnit[]): Promise<ClaimOutcome[]>;
  /** RESERVED or HELD, never committed to sending → CANCELLED, and its code back to AVAILABLE. */
  releaseUnsent(unit: OrderUnit): Promise<boolean>;
  /**
   * A cancelled order's DELIVERED unit that went out as a reveal link (`revealLinkExpiresAt`) nobody
   * opened (no `revealedAt`) → CANCELLED, and its code back to AVAILABLE: the customer never saw it.
   * False when the link was opened first (or the unit is not that). Whoever records
   * `revealLinkExpiresAt` vouches that no message carrying the code itself may have gone out.
   */
  returnUnrevealed(unit: OrderUnit): Promise<boolean>;
}
