// Persistence ports of the core. The DynamoDB adapter implements each operation as one conditional
// write (or transaction), so every invariant is enforced by the database, not by a read-then-write.
import type { CodeMaterial, CodeStatus, Contact, Locale, OrderMessage, Platform, ProductMapping, SkuConfig, UnitState } from './model';

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

export interface OrderRecord {
  platform: Platform;
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
  putCancelledUnit(unit: Omit<OrderUnit, 'state'>): Promise<boolean>;
  /** Records the cancellation on the order (creating a stub if the paid message has not arrived yet). */
  markOrderCancelled(input: { platform: Platform; storeId: string; orderId: string; reason: string; at: string }): Promise<void>;
  /** Sets backorderNotifiedAt if not yet set; true when this caller won the right to notify. */
  claimBackorderNotice(storeId: string, orderId: string, at: string): Promise<boolean>;
  releaseBackorderNotice(storeId: string, orderId: string): Promise<void>;
  /** Records the units sent before the cancellation; false if they were recorded already (a duplicate cancel). */
  flagDeliveredBeforeCancel(storeId: string, orderId: string, unitIds: string[]): Promise<boolean>;
}

export type ClaimOutcome =
  /** `at`: when the code was reserved (and, for a new unit, committed to sending). */
  | { result: 'CLAIMED'; codeId: string; at: string }
  | { result: 'OUT_OF_STOCK' }
  /** The unit already exists (a duplicate message) or is no longer backordered (cancelled, filled). */
  | { result: 'UNIT_TAKEN' }
  /** The order was cancelled or refunded: nothing may be reserved for it any more. */
  | { result: 'ORDER_CANCELLED' };

export interface BackorderEntry extends UnitRef {
  sku: string;
  receivedAt: string;
  /** Sort key of the backorder item, to delete stale entries. */
  position: string;
}

export interface InventoryStore {
  /**
   * Claims one available code, unless the order is cancelled. A new unit (`mode: 'NEW'`) is committed
   * to sending at once; a backordered one (the filler) commits later, through `commitSend`.
   */
  claim(unit: Omit<OrderUnit, 'state' | 'codeId'>, mode: 'NEW' | 'BACKORDERED'): Promise<ClaimOutcome>;
  /** Writes the unit as BACKORDERED plus its FIFO entry, unless it exists or the order is cancelled. */
  backorder(unit: Omit<OrderUnit, 'state' | 'codeId'>): Promise<'CREATED' | 'EXISTS' | 'ORDER_CANCELLED'>;
  /** Marks a RESERVED unit as about to be sent, only while its order is not cancelled. */
  commitSend(unit: OrderUnit, at: string): Promise<'COMMITTED' | 'ORDER_CANCELLED' | 'NOT_RESERVED'>;
  /** RESERVED (never committed to sending) → CANCELLED, and its code back to AVAILABLE. */
  releaseReserved(unit: OrderUnit): Promise<boolean>;
  /** BACKORDERED → CANCELLED and its FIFO entry removed; false if the unit was not backordered. */
  cancelBackorder(unit: OrderUnit): Promise<boolean>;
  hasBackorders(sku: string): Promise<boolean>;
  oldestBackorders(sku: string, limit: number): Promise<BackorderEntry[]>;
  removeBackorderEntry(entry: BackorderEntry): Promise<void>;
  readCode(sku: string, codeId: string): Promise<CodeMaterial>;
  /**
   * RESERVED → DELIVERED, the code first and then the unit (each idempotent for this unit), so a unit is
   * DELIVERED only once its code is; false if either is not this unit's RESERVED (or DELIVERED) record.
   */
  markDelivered(unit: OrderUnit, at: string): Promise<boolean>;
  /** Bounded count of available codes: stops counting at `atMost`. */
  countAvailable(sku: string, atMost: number): Promise<number>;
  /** Inserts codes idempotently (keyed by HMAC of the value); returns how many were new. */
  addCodes(sku: string, codes: CodeMaterial[], source: string): Promise<{ inserted: number; duplicates: number }>;
  /** Counts of codes per status: the conservation audit. */
  audit(sku: string): Promise<Record<CodeStatus, number>>;
}

export interface CatalogStore {
  getSkuConfig(sku: string): Promise<SkuConfig | undefined>;
  putSkuConfig(config: SkuConfig): Promise<void>;
  listSkus(): Promise<string[]>;
  /** Mappings for the given products of a store; missing products are absent from the map. */
  getProductMappings(storeId: string, productIds: string[]): Promise<Map<string, ProductMapping>>;
  putProductMapping(mapping: ProductMapping): Promise<void>;
}

export type ReorderState = 'PLACING' | 'PENDING' | 'COMPLETED' | 'FAILED';

export interface ActiveReorder {
  reorderId: string;
  state: ReorderState;
  leaseUntil: string;
  quantity: number;
  createdAt?: string;
  /** Id of the one poll message allowed to act on this reorder. */
  pollId?: string;
}

export interface ReorderStore {
  /** The reorder in flight, and until when reordering is paused after a fatal supplier failure. */
  getReorderStatus(sku: string): Promise<{ active?: ActiveReorder; blockedUntil?: string }>;
  /** Conditional: only when the SKU has no active reorder. Writes the PLACING record too. */
  startReorder(sku: string, reorder: ActiveReorder & { supplier: string }): Promise<boolean>;
  /** Takes over a PLACING reorder whose lease expired (crash or timeout); false if someone else did. */
  renewLease(sku: string, reorderId: string, expiredBefore: string, leaseUntil: string): Promise<boolean>;
  updateReorder(
    sku: string,
    reorderId: string,
    update: { state: ReorderState; codesReceived?: number; supplierOrderIds?: string[]; leaseUntil?: string; pollId?: string },
  ): Promise<void>;
  /** Ends the reorder and frees the SKU for the next one after `blockedUntil`. */
  finishReorder(sku: string, reorderId: string, outcome: { state: 'COMPLETED'; blockedUntil: string } | { state: 'FAILED'; failureReason: string; blockedUntil: string }): Promise<void>;
}

export interface LeaseStore {
  /** A short per-SKU lease (the backorder filler); false when another holder's lease is live. */
  acquire(sku: string, owner: string, ttlMs: number): Promise<boolean>;
  release(sku: string, owner: string): Promise<void>;
}

export interface ReorderPollMessage {
  sku: string;
  reorderId: string;
  pollId?: string;
}

export interface OrderQueue {
  send(message: OrderMessage): Promise<void>;
  sendMany(messages: OrderMessage[]): Promise<void>;
}

export interface ReorderPollQueue {
  schedule(message: ReorderPollMessage, delaySeconds: number): Promise<void>;
}
