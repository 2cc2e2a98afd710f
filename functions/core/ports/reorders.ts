// Persistence port: the per-SKU reorder lanes and the reorder records they point to. A SKU has a few
// lanes, so a follow-up reorder can start while the first is still with the supplier. Only a lane's
// holder calls the supplier: every acquisition (start, scheduled poll, takeover) rotates `pollId`, the
// holder's token, so a duplicate or late poll message can never be a second caller.

export type ReorderState = 'PLACING' | 'PENDING' | 'COMPLETED' | 'FAILED' | 'STUCK';

/** Reorders a SKU may have in flight at once (lanes 0..5). */
export const REORDER_LANES = 6;

/** Where a reorder in flight lives: its lane, and its id (the lane is checked to hold that reorder). */
export interface LaneRef {
  lane: number;
  reorderId: string;
}

export interface ActiveReorder extends LaneRef {
  state: ReorderState;
  leaseUntil: string;
  quantity: number;
  /** Codes received so far: the rest is still owed by the supplier. */
  codesReceived?: number;
  /** The offer this reorder buys (absent on reorders started before lanes: the SKU's first supplier). */
  supplier?: string;
  productId?: string;
  unitPrice?: number;
  createdAt?: string;
  /** The current holder's token; the scheduled poll message carries the next one. */
  pollId?: string;
  /**
   * Set before the first supplier call for this reorder. Until then nothing can be at the supplier
   * under its reference, so that first call places without looking anything up.
   */
  attempted?: boolean;
}

export interface ReorderStatus {
  /** Reorders in flight, by lane. */
  active: ActiveReorder[];
  /** Until when no reorder may start (the short pause after one completed). */
  blockedUntil?: string;
  /** Per supplier: until when this SKU buys elsewhere (after a fatal error or a give-up). */
  supplierBlockedUntil: Record<string, string>;
  /** Bumped by every start: a decision starts a reorder only if nothing started since it looked. */
  version: number;
  /** The delayed decision already scheduled for the end of the pause. */
  wakeAt?: string;
}

/** What was asked of the supplier, kept on the reorder record (a late check repeats the lookup). */
export interface ReorderRequest {
  supplier: string;
  productId: string;
  unitPrice?: number;
}

export interface ReorderRecord extends Omit<ActiveReorder, keyof ReorderRequest>, ReorderRequest {
  sku: string;
  codesReceived?: number;
  supplierOrderIds?: string[];
  failureReason?: string;
  /** The reorder this one replaced at another supplier (failover). */
  failoverFrom?: string;
  /** After a give-up: late cards are still looked up (never bought again) until `lateCheckUntil`. */
  lateCheckId?: string;
  lateCheckUntil?: string;
}

/** A reorder as the decision looks back at it. */
export interface RecentReorder {
  quantity: number;
  codesReceived: number;
  /** Absent while in flight. */
  finishedAt?: string;
}

/** What the holder records as a reorder moves on. Progress is only written when known. */
export interface ReorderProgress {
  state: ReorderState;
  codesReceived?: number;
  supplierOrderIds?: string[];
  leaseUntil?: string;
  /** Hands the lease to the poll message about to be scheduled. */
  nextHolder?: string;
  /** The supplier is about to be called for the first time (see `ActiveReorder.attempted`). */
  attempted?: true;
}

/** A supplier this SKU stops buying from until `until` (the next one in its list is used meanwhile). */
export interface SupplierBlock {
  supplier: string;
  until: string;
}

export type ReorderOutcome =
  | { state: 'COMPLETED'; blockedUntil: string }
  | { state: 'FAILED'; failureReason: string; blockSupplier: SupplierBlock }
  /** Given up on after its maximum age; late cards are still collected by a late check with this id. */
  | { state: 'STUCK'; failureReason: string; blockedUntil: string; blockSupplier?: SupplierBlock; lateCheckId: string; lateCheckUntil: string };

export interface ReorderStart extends Omit<ActiveReorder, keyof ReorderRequest>, ReorderRequest {
  pollId: string;
  failoverFrom?: string;
}

export interface ReorderStore {
  getReorderStatus(sku: string): Promise<ReorderStatus>;
  getReorder(sku: string, reorderId: string): Promise<ReorderRecord | undefined>;
  /**
   * Conditional: only into a free lane, and only if no reorder started since `seenVersion` was read.
   * Writes the PLACING record; the starter holds the lane's lease as `pollId`.
   */
  startReorder(sku: string, reorder: ReorderStart, seenVersion: number): Promise<boolean>;
  /**
   * Takes the lane's lease as `holder`: with the token the scheduled poll carries (`presented`), or when the
   * lease has expired (a crashed holder, a lost poll message). False when someone else holds it.
   */
  takeLease(sku: string, at: LaneRef, take: { presented?: string; now: string; holder: string; leaseUntil: string }): Promise<boolean>;
  /** Progress by the holder. Throws when the lease is not `holder`'s. */
  updateReorder(sku: string, at: LaneRef, holder: string, update: ReorderProgress): Promise<void>;
  /** Ends the reorder (by its holder), frees its lane, and pauses the SKU or the supplier as the outcome says. */
  finishReorder(sku: string, at: LaneRef, holder: string, outcome: ReorderOutcome): Promise<void>;
  /** The SKU's last dozen reorders, newest first: what the ones that just finished received, and whether any fell short. */
  recentReorders(sku: string): Promise<RecentReorder[]>;
  /** Records that a decision is scheduled for `at`; false when one already is (for `at` or later). */
  scheduleWake(sku: string, at: string): Promise<boolean>;
  /** Hands the late check from token `presented` to `next`; false when another check owns it. */
  passLateCheck(sku: string, reorderId: string, presented: string, next: string | undefined): Promise<boolean>;
}
