// Persistence port: the per-SKU reorder lease and the reorder records it points to. Only the lease's
// holder calls the supplier: every acquisition (start, scheduled poll, takeover) rotates `pollId`, the
// holder's token, so a duplicate or late poll message can never be a second caller.

export type ReorderState = 'PLACING' | 'PENDING' | 'COMPLETED' | 'FAILED' | 'STUCK';

export interface ActiveReorder {
  reorderId: string;
  state: ReorderState;
  leaseUntil: string;
  quantity: number;
  createdAt?: string;
  /** The current holder's token; the scheduled poll message carries the next one. */
  pollId?: string;
}

/** What was asked of the supplier, kept on the reorder record (a late check repeats the lookup). */
export interface ReorderRequest {
  supplier: string;
  productId: string;
  unitPrice?: number;
}

export interface ReorderRecord extends ActiveReorder, ReorderRequest {
  sku: string;
  codesReceived?: number;
  supplierOrderIds?: string[];
  failureReason?: string;
  /** After a give-up: late cards are still looked up (never bought again) until `lateCheckUntil`. */
  lateCheckId?: string;
  lateCheckUntil?: string;
}

export type ReorderOutcome =
  | { state: 'COMPLETED'; blockedUntil: string }
  | { state: 'FAILED'; failureReason: string; blockedUntil: string }
  /** Given up on after its maximum age; late cards are still collected by a late check with this id. */
  | { state: 'STUCK'; failureReason: string; blockedUntil: string; lateCheckId: string; lateCheckUntil: string };

export interface ReorderStore {
  /** The reorder in flight, and until when reordering is paused after the last one. */
  getReorderStatus(sku: string): Promise<{ active?: ActiveReorder; blockedUntil?: string }>;
  getReorder(sku: string, reorderId: string): Promise<ReorderRecord | undefined>;
  /** Conditional: only when the SKU has no active reorder. Writes the PLACING record; the starter holds the lease as `pollId`. */
  startReorder(sku: string, reorder: ActiveReorder & ReorderRequest & { pollId: string }): Promise<boolean>;
  /**
   * Takes the lease as `holder`: with the token the scheduled poll carries (`presented`), or when the
   * lease has expired (a crashed holder, a lost poll message). False when someone else holds it.
   */
  takeLease(sku: string, reorderId: string, take: { presented?: string; now: string; holder: string; leaseUntil: string }): Promise<boolean>;
  /** Progress by the holder; `nextHolder` hands the lease to the poll message about to be scheduled. Throws when the lease is not `holder`'s. */
  updateReorder(
    sku: string,
    reorderId: string,
    holder: string,
    update: { state: ReorderState; codesReceived?: number; supplierOrderIds?: string[]; leaseUntil?: string; nextHolder?: string },
  ): Promise<void>;
  /** Ends the reorder (by its holder) and frees the SKU for the next one after `blockedUntil`. */
  finishReorder(sku: string, reorderId: string, holder: string, outcome: ReorderOutcome): Promise<void>;
  /** Hands the late check from token `presented` to `next`; false when another check owns it. */
  passLateCheck(sku: string, reorderId: string, presented: string, next: string | undefined): Promise<boolean>;
}
