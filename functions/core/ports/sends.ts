// Persistence port: sending a reserved code exactly once to the customer. A per-unit send lease picks
// the one sender among concurrent duplicates; the unit then ends DELIVERED, or HELD for the merchant.
import type { UnitHoldReason } from '../model';
import type { ChannelOutcome, OrderUnit, SendFailure, UnitRef } from './orders';

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

/** What a send attempt learnt about the store's channel chain, saved with whatever ends the attempt. */
export interface ChannelProgress {
  /** Every channel failed for good (or timed out) so far: `channelsTried` becomes this. */
  tried: string[];
  /** Outcomes of this attempt, appended to the unit's `channelLog`. */
  log: ChannelOutcome[];
}

/** The channel that took the message, and its message id. */
export interface SendReceipt {
  channel: string;
  providerMessageId?: string;
  /** Sent as a reveal link: until when it opens. */
  revealLinkExpiresAt?: string;
}

/** A provider's later word on an accepted message (WhatsApp's status callbacks). */
export interface DeliveryStatusUpdate {
  channel: string;
  providerMessageId: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  at: string;
  /** `failed`: the provider's error code. */
  errorCode?: string;
}

export interface SendStore {
  /**
   * Takes the send lease of a RESERVED unit whose lease is free or expired. A unit not committed yet is
   * committed in the same write, and only while its order is not cancelled.
   */
  acquireSend(unit: OrderUnit, lease: SendLease, now: string): Promise<SendLeaseOutcome>;
  /** The lease holder's attempt failed without the message being accepted: recorded, lease freed for a retry. */
  recordSendFailure(unit: OrderUnit, owner: string, failure: SendFailure, maybeSent: boolean, progress?: ChannelProgress): Promise<boolean>;
  /**
   * RESERVED → HELD by the lease holder, the code staying reserved to the unit. `sent: false` (nothing
   * can have reached the customer) uncommits it, so a cancellation gives the code back to stock.
   */
  holdUnit(unit: OrderUnit, owner: string, hold: { reason: UnitHoldReason; detail: string; at: string; sent: boolean }, progress?: ChannelProgress): Promise<boolean>;
  /** HELD → RESERVED (the merchant released it), to be sent again; false when it is not held. */
  releaseHeldUnit(unit: OrderUnit, at: string): Promise<boolean>;
  /**
   * RESERVED → DELIVERED, the code first and then the unit (each idempotent for this unit), so a unit is
   * DELIVERED only once its code is; false if either is not this unit's RESERVED (or DELIVERED) record.
   */
  markDelivered(unit: OrderUnit, at: string, receipt?: SendReceipt, progress?: ChannelProgress): Promise<boolean>;
  /**
   * Records sent / delivered / read on the DELIVERED unit whose accepted message this was, never going
   * back (read stays read); false when the unit is not that message's, or the status is not news.
   */
  recordDeliveryStatus(unit: UnitRef, update: DeliveryStatusUpdate): Promise<boolean>;
  /**
   * The provider failed a message it had accepted: DELIVERED → RESERVED (still committed, the same
   * code), that channel marked tried, so the next send goes through the next channel of the chain.
   * Only for that message, and only before the customer was seen to receive it (delivered, read, or
   * a reveal link opened).
   * The reopened unit, or undefined when nothing changed (a duplicate callback, a later send).
   */
  reopenFailedSend(unit: UnitRef, update: DeliveryStatusUpdate): Promise<OrderUnit | undefined>;
}
