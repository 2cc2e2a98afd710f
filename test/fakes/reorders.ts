// In-memory ReorderStore: the SKU config's reorder lease (its holder token) and the reorder records,
// with the DynamoDB store's conditions.
import type { ActiveReorder, ReorderOutcome, ReorderRecord, ReorderRequest, ReorderState, ReorderStore } from '#core/ports/reorders';

export type FakeReorderRecord = ReorderRecord & { finished?: ReorderState };

export class FakeReorders implements ReorderStore {
  readonly active = new Map<string, ActiveReorder>();
  readonly blockedUntil = new Map<string, string>();
  readonly records = new Map<string, FakeReorderRecord>();

  async getReorderStatus(sku: string) {
    const active = this.active.get(sku);
    return { active: active && { ...active }, blockedUntil: this.blockedUntil.get(sku) };
  }

  async getReorder(_sku: string, reorderId: string): Promise<ReorderRecord | undefined> {
    const record = this.records.get(reorderId);
    return record && { ...record };
  }

  /** `attribute_not_exists(activeReorder)`; the active copy keeps createdAt (the max-age check reads it). */
  async startReorder(sku: string, reorder: ActiveReorder & ReorderRequest & { pollId: string }) {
    if (this.active.has(sku)) return false;
    const { reorderId, state, leaseUntil, quantity, createdAt, pollId } = reorder;
    this.active.set(sku, { reorderId, state, leaseUntil, quantity, createdAt, pollId });
    this.records.set(reorderId, { ...reorder, sku, codesReceived: 0, supplierOrderIds: [] });
    return true;
  }

  /** `reorderId = :id AND (leaseUntil < :now OR pollId = :presented)`: rotates the holder token. */
  async takeLease(sku: string, reorderId: string, take: { presented?: string; now: string; holder: string; leaseUntil: string }) {
    const active = this.active.get(sku);
    if (active?.reorderId !== reorderId) return false;
    if (!(active.leaseUntil < take.now) && !(take.presented !== undefined && active.pollId === take.presented)) return false;
    active.leaseUntil = take.leaseUntil;
    active.pollId = take.holder;
    return true;
  }

  /** Conditional on the holder's token (thrown otherwise); progress fields are written only when given. */
  async updateReorder(
    sku: string,
    reorderId: string,
    holder: string,
    update: { state: ReorderState; codesReceived?: number; supplierOrderIds?: string[]; leaseUntil?: string; nextHolder?: string },
  ) {
    const active = this.active.get(sku);
    if (active?.reorderId !== reorderId || active.pollId !== holder) throw new Error(`Reorder ${reorderId} of SKU ${sku} is no longer held by this caller`);
    active.state = update.state;
    if (update.leaseUntil) active.leaseUntil = update.leaseUntil;
    if (update.nextHolder) active.pollId = update.nextHolder;
    const record = this.records.get(reorderId);
    if (!record) return;
    record.state = update.state;
    if (update.codesReceived !== undefined) record.codesReceived = update.codesReceived;
    if (update.supplierOrderIds !== undefined) record.supplierOrderIds = [...update.supplierOrderIds];
  }

  /** Conditional on the holder (quietly nothing otherwise); pauses reordering until blockedUntil. */
  async finishReorder(sku: string, reorderId: string, holder: string, outcome: ReorderOutcome) {
    const active = this.active.get(sku);
    if (active?.reorderId !== reorderId || active.pollId !== holder) return;
    this.active.delete(sku);
    this.blockedUntil.set(sku, outcome.blockedUntil);
    const record = this.records.get(reorderId);
    if (!record) return;
    Object.assign(record, { state: outcome.state, finished: outcome.state });
    if (outcome.state !== 'COMPLETED') record.failureReason = outcome.failureReason;
    if (outcome.state === 'STUCK') Object.assign(record, { lateCheckId: outcome.lateCheckId, lateCheckUntil: outcome.lateCheckUntil });
  }

  async passLateCheck(_sku: string, reorderId: string, presented: string, next: string | undefined) {
    const record = this.records.get(reorderId);
    if (record?.lateCheckId !== presented) return false;
    if (next) record.lateCheckId = next;
    else delete record.lateCheckId;
    return true;
  }
}
