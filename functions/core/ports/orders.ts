// Persistence port: orders and their units. Every unit state change is conditional on the current
// state, so a duplicate or late message can never move a unit twice.
import type { Contact, Locale, OrderMessage, UnitState } from '../model';

export interface UnitRef {
  storeId: string;
  orderId: string;
  unitId: string;
}

export interface OrderUnit extends UnitRef {
  sku: string;
  lineId: string;
  productName?: string;
  state: UnitState;
  codeId?: string;
  receivedAt: string;
  /** Set once a sender committed to sending the reserved code: from then on it is never released. */
  sendStartedAt?: string;
  deliveredAt?: string;
}

/** A unit about to be created: everything but its state and code. */
export type NewUnit = Omit<OrderUnit, 'state' | 'codeId'>;

export interface OrderRecord {
  platform: string;
  storeId: string;
  orderId: string;
  reference?: string;
  locale: Locale;
  customer: Contact;
  receivedAt: string;
  cancelledAt?: string;
  cancelReason?: string;
  backorderNotifiedAt?: string;
  /** Units that were already delivered when the order was cancelled or refunded. */
  deliveredBeforeCancel?: string[];
}

export type NewOrder = Extract<OrderMessage, { kind: 'ORDER' }>;

export interface OrderStore {
  /** Creates the order record unless it exists; returns the stored record either way. */
  ensureOrder(order: NewOrder): Promise<OrderRecord>;
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
}
