// Persistence port: the per-SKU reorder lease and the reorder records it points to.

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
