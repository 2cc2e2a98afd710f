// Persistence port: sending a reserved code exactly once to the customer. A per-unit send lease picks
// the one sender among concurrent duplicates; the unit then ends DELIVERED, or HELD for the merchant.
import type { UnitHoldReason } from '../model';
import type { OrderUnit, SendFailure } from './orders';

/** Who may send a unit's code, and until when: a duplicate that finds a live lease leaves the unit to its owner. */
export interface SendLease {
  owner: string;
  until: string;
}

export type SendLeaseOutcome =
  /**
   * This caller may send now; `attempt` counts the leases taken on this unit, this one included.
   * `takeover`: an earlier holder's lease ran out before it finished, so it may have sent already.
   */
  | { result: 'ACQUIRED'; attempt: number; takeover: boolean }
  /** The order was cancelled before the unit was committed to sending: release its code instead. */
  | { result: 'ORDER_CANCELLED' }
  /** Someone else is sending it right now. */
  | { result: 'LEASE_HELD'; unit?: OrderUnit }
  /** The unit is not RESERVED any more (delivered, cancelled, held): `unit` is what it is now. */
  | { result: 'NOT_RESERVED'; unit?: OrderUnit };

export interface SendStore {
  /**
   * Takes the send lease of a RESERVED unit whose lease is free or expired. A unit not committed yet is
   * committed in the same write, and only while its order is not cancelled.
   */
  acquireSend(unit: OrderUnit, lease: SendLease, now: string): Promise<SendLeaseOutcome>;
  /** The lease holder's attempt failed without the message being accepted: recorded, lease freed for a retry. */
  recordSendFailure(unit: OrderUnit, owner: string, failure: SendFailure, maybeSent: boolean): Promise<boolean>;
  /**
   * RESERVED → HELD by the lease holder, the code staying reserved to the unit. `sent: false` (nothing
   * can have reached the customer) uncommits it, so a cancellation gives the code back to stock.
   */
  holdUnit(unit: OrderUnit, owner: string, hold: { reason: UnitHoldReason; detail: string; at: string; sent: boolean }): Promise<boolean>;
  /** HELD → RESERVED (the merchant released it), to be sent again; false when it is not held. */
  releaseHeldUnit(unit: OrderUnit, at: string): Promise<boolean>;
  /**
   * RESERVED → DELIVERED, the code first and then the unit (each idempotent for this unit), so a unit is
   * DELIVERED only once its code is; false if either is not this unit's RESERVED (or DELIVERED) record.
   */
  markDelivered(unit: OrderUnit, at: string, receipt?: { channel: string; providerMessageId?: string }): Promise<boolean>;
}
