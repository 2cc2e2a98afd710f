// Persistence port: orders and their units. Every unit state change is conditional on the current
// state, so a duplicate or late message can never move a unit twice.
import type { Contact, Locale, OrderHoldReason, OrderLine, OrderMessage, UnitHoldReason, UnitState } from '../model';
import type { ChannelFailure } from '../errors';
import type { WriteBackRecord } from './write-back';

export interface UnitRef {
  storeId: string;
  orderId: string;
  unitId: string;
}

/** The last send attempt that did not end with the channel accepting the message. */
export interface SendFailure {
  failure: ChannelFailure;
  reason: string;
  at: string;
}

export interface OrderUnit extends UnitRef {
  sku: string;
  lineId: string;
  productName?: string;
  state: UnitState;
  codeId?: string;
  /**
   * Where the store keeps the unit's code (opaque to the core; the DynamoDB store's partition key). Absent
   * on units claimed before code items were sharded: their codes sit where every code of the SKU used to.
   */
  codeKey?: string;
  receivedAt: string;
  /** Set once a sender committed to sending the reserved code: from then on it may have been sent. */
  sendStartedAt?: string;
  deliveredAt?: string;
  /** Send attempts started (the send lease taken): more than one means a retry or a takeover after a crash. */
  sendAttempts?: number;
  /** An attempt may have reached the customer without being recorded (a crash or an unknown outcome). */
  maybeSent?: boolean;
  lastSendFailure?: SendFailure;
  /** The channel and its message id for the send that was accepted. */
  channel?: string;
  providerMessageId?: string;
  heldReason?: UnitHoldReason;
  heldAt?: string;
  heldDetail?: string;
  /** Channels of the store's chain that failed this unit for good (or timed out): the next send skips them. */
  channelsTried?: string[];
  /** Each channel's outcome for this unit, oldest first: what `orders show` lists. */
  channelLog?: ChannelOutcome[];
  /** The provider's last word on the accepted message (WhatsApp status callbacks): sent, delivered, read. */
  deliveryStatus?: string;
  deliveryStatusAt?: string;
  /** Sent as a reveal link (not the code itself): until when the link opens. */
  revealLinkExpiresAt?: string;
  /** When the customer first opened a reveal link: from then on a refund cannot give the code back. */
  revealedAt?: string;
}

/** One channel's attempt at a unit, as recorded on it. Never the code, never the link. */
export interface ChannelOutcome {
  channel: string;
  outcome: 'SENT' | 'FAILED';
  at: string;
  /** FAILED: the failure kind and the provider's reason code (e.g. `PERMANENT 131026`). */
  reason?: string;
  providerMessageId?: string;
  /** SENT as a reveal link rather than the code. */
  link?: boolean;
}

/** A unit about to be created: everything but its state and code. */
export type NewUnit = Omit<OrderUnit, 'state' | 'codeId'>;

/** The merchant released the order from a hold of this reason once: that check does not hold it again. */
export const wasReleasedFrom = (order: Pick<OrderRecord, 'releasedFrom' | 'releasedReasons'>, reason: OrderHoldReason): boolean =>
  order.releasedFrom === reason || (order.releasedReasons?.includes(reason) ?? false);

/** An order-level hold: the order waits for the merchant, no unit was created. */
export interface OrderHold {
  reason: OrderHoldReason;
  detail: string;
  at: string;
  /** The order's lines as the webhook mapped them, to deliver on release. */
  lines: OrderLine[];
  linesOmitted?: number;
}

export interface OrderRecord {
  platform: string;
  storeId: string;
  orderId: string;
  reference?: string;
  locale: Locale;
  customer: Contact;
  receivedAt: string;
  /** Units the paid order has in all (its lines' quantities): how a later message knows every unit is done. */
  unitCount?: number;
  cancelledAt?: string;
  cancelReason?: string;
  backorderNotifiedAt?: string;
  /** Units that were already delivered when the order was cancelled or refunded. */
  deliveredBeforeCancel?: string[];
  /** Present while the whole order waits for the merchant. */
  hold?: OrderHold;
  releasedAt?: string;
  /** Why the order was held when the merchant last released it. */
  releasedFrom?: OrderHoldReason;
  /** Every hold the merchant released it from: each decision stands for its own check only. */
  releasedReasons?: OrderHoldReason[];
  /** When the merchant last corrected the customer contact. */
  contactCorrectedAt?: string;
  /** Telling the store the order was delivered (the write-back function). */
  writeBack?: WriteBackRecord;
  /**
   * How many times ensureOrder ran for it (this call included). 1: the first, so no unit exists yet,
   * since every unit is written after its order was ensured. Absent on orders stored before it was counted.
   */
  ensureCount?: number;
}

export type NewOrder = Extract<OrderMessage, { kind: 'ORDER' }>;

export interface OrderStore {
  /** Creates the order record unless it exists; returns the stored record either way. */
  ensureOrder(order: Omit<NewOrder, 'kind' | 'lines'> & { unitCount?: number }): Promise<OrderRecord>;
  getOrder(storeId: string, orderId: string): Promise<OrderRecord | undefined>;
  getUnit(ref: UnitRef): Promise<OrderUnit | undefined>;
  listUnits(storeId: string, orderId: string): Promise<OrderUnit[]>;
  /** Writes a CANCELLED unit for a unit never started; false if the unit exists. */
  putCancelledUnit(unit: NewUnit): Promise<boolean>;
  /** Records the cancellation on the order (creating a stub if the paid message has not arrived yet). */
  markOrderCancelled(input: { platform: string; storeId: string; orderId: string; reason: string; at: string }): Promise<void>;
  /** Sets backorderNotifiedAt if not yet set; true when this caller won the right to notify. */
  claimBackorderNotice(storeId: string, orderId: string, at: string): Promise<boolean>;
  releaseBackorderNotice(storeId: string, orderId: string): Promise<void>;
  /** Records the units sent before the cancellation; false if they were recorded already (a duplicate cancel). */
  flagDeliveredBeforeCancel(storeId: string, orderId: string, unitIds: string[]): Promise<boolean>;
  /**
   * Puts the whole order on hold, unless it is held already or cancelled (or, with `unlessReleased`,
   * the merchant released it from a hold of the same reason before: their decision stands): true when
   * this call placed the hold (and so alerts the merchant).
   */
  holdOrder(storeId: string, orderId: string, hold: OrderHold, options?: { unlessReleased?: boolean }): Promise<boolean>;
  /** Ends an order-level hold; the held record, or undefined when not held. */
  releaseOrderHold(storeId: string, orderId: string, at: string): Promise<OrderRecord | undefined>;
  /** Replaces the customer contact (the merchant corrected it) on an order not cancelled; false otherwise. */
  correctContact(storeId: string, orderId: string, customer: Contact, at: string): Promise<boolean>;
}
