// In-memory ReorderStore: the SKU config's reorder lease and the reorder records.
import type { ActiveReorder, ReorderState, ReorderStore } from '#core/ports/reorders';

export interface ReorderRecord extends ActiveReorder {
  supplier: string;
  createdAt: string;
  codesReceived: number;
  supplierOrderIds: string[];
  failureReason?: string;
  finished?: 'COMPLETED' | 'FAILED';
}

/** The SKU config's `activeReorder` / `reorderBlockedUntil` and the reorder records, as DynamoReorderStore keeps them. */
export class FakeReorders implements ReorderStore {
  readonly active = new Map<string, ActiveReorder>();
  readonly blockedUntil = new Map<string, string>();
  readonly records = new Map<string, ReorderRecord>();

  async getReorderStatus(sku: string) {
    const active = this.active.get(sku);
    return { active: active && { ...active }, blockedUntil: this.blockedUntil.get(sku) };
  }
  /** `attribute_not_exists(activeReorder)`; the active copy keeps createdAt (the max-age check reads it). */
  async startReorder(sku: string, reorder: ActiveReorder & { supplier: string }) {
    if (this.active.has(sku)) return false;
    const { reorderId, state, leaseUntil, quantity, createdAt } = reorder;
    this.active.set(sku, { reorderId, state, leaseUntil, quantity, createdAt });
    this.records.set(reorderId, { ...reorder, createdAt: createdAt ?? '', codesReceived: 0, supplierOrderIds: [] });
    return true;
  }
  async renewLease(sku: string, reorderId: string, expiredBefore: string, leaseUntil: string) {
    const active = this.active.get(sku);
    if (active?.reorderId !== reorderId || !(active.leaseUntil < expiredBefore)) return false;
    active.leaseUntil = leaseUntil;
    return true;
  }
  /** Conditional on the active reorder (thrown otherwise); progress fields are written only when given. */
  async updateReorder(
    sku: string,
    reorderId: string,
    update: { state: ReorderState; codesReceived?: number; supplierOrderIds?: string[]; leaseUntil?: string; pollId?: string },
  ) {
    const active = this.active.get(sku);
    if (active?.reorderId !== reorderId) throw new Error(`Reorder ${reorderId} of SKU ${sku} is no longer the active one`);
    active.state = update.state;
    if (update.leaseUntil) active.leaseUntil = update.leaseUntil;
    if (update.pollId) active.pollId = update.pollId;
    const record = this.records.get(reorderId);
    if (!record) return;
    record.state = update.state;
    if (update.codesReceived !== undefined) record.codesReceived = update.codesReceived;
    if (update.supplierOrderIds !== undefined) record.supplierOrderIds = [...update.supplierOrderIds];
  }
  /** Conditional on the active reorder (quietly nothing otherwise); pauses reordering until blockedUntil either way. */
  async finishReorder(sku: string, reorderId: string, outcome: { state: 'COMPLETED'; blockedUntil: string } | { state: 'FAILED'; failureReason: string; blockedUntil: string }) {
    if (this.active.get(sku)?.reorderId !== reorderId) return;
    this.active.delete(sku);
    this.blockedUntil.set(sku, outcome.blockedUntil);
    const record = this.records.get(reorderId);
    if (record) Object.assign(record, { state: outcome.state, finished: outcome.state, failureReason: outcome.state === 'FAILED' ? outcome.failureReason : undefined });
  }
}
