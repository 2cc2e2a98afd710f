// In-memory ReorderStore: the SKU config's reorder lanes (each with its holder token), the start
// version, the supplier blocks and the reorder records, with the DynamoDB store's conditions.
import {
  REORDER_LANES,
  type ActiveReorder,
  type LaneRef,
  type ReorderOutcome,
  type ReorderProgress,
  type ReorderRecord,
  type ReorderStart,
  type ReorderState,
  type ReorderStatus,
  type ReorderStore,
} from '#core/ports/reorders';
import type { Clock } from '#core/ports/runtime';
import { FakeClock } from './world';

export type FakeReorderRecord = ReorderRecord & { finished?: ReorderState; finishedAt?: string };

interface SkuReorders {
  lanes: Map<number, ActiveReorder>;
  version: number;
  blockedUntil?: string;
  supplierBlockedUntil: Record<string, string>;
  wakeAt?: string;
}

export class FakeReorders implements ReorderStore {
  readonly skus = new Map<string, SkuReorders>();
  readonly records = new Map<string, FakeReorderRecord>();

  /** The clock finishes are stamped with (the DynamoDB store stamps its own time). */
  constructor(private readonly clock: Clock = new FakeClock()) {}

  private of(sku: string): SkuReorders {
    let entry = this.skus.get(sku);
    if (!entry) this.skus.set(sku, (entry = { lanes: new Map(), version: 0, supplierBlockedUntil: {} }));
    return entry;
  }

  /** The reorders in flight for `sku`, lane order. */
  activeOf(sku: string): ActiveReorder[] {
    return [...this.of(sku).lanes.values()].sort((a, b) => a.lane - b.lane).map((a) => ({ ...a }));
  }

  /** A reorder in flight as a test arranges it (no record): lane 0 unless given. */
  seedActive(sku: string, active: Omit<ActiveReorder, 'lane'> & { lane?: number }): void {
    const lane = active.lane ?? 0;
    this.of(sku).lanes.set(lane, { ...active, lane });
  }

  supplierPausedUntil(sku: string, supplier: string): string | undefined {
    return this.skus.get(sku)?.supplierBlockedUntil[supplier];
  }

  blockedUntil(sku: string): string | undefined {
    return this.skus.get(sku)?.blockedUntil;
  }

  async getReorderStatus(sku: string): Promise<ReorderStatus> {
    const entry = this.of(sku);
    return { active: this.activeOf(sku), blockedUntil: entry.blockedUntil, supplierBlockedUntil: { ...entry.supplierBlockedUntil }, version: entry.version, wakeAt: entry.wakeAt };
  }

  async getReorder(_sku: string, reorderId: string): Promise<ReorderRecord | undefined> {
    const record = this.records.get(reorderId);
    return record && { ...record };
  }

  /** `attribute_not_exists(<lane>) AND reorderVersion = :seen`; the active copy keeps createdAt (the max-age check reads it). */
  async startReorder(sku: string, reorder: ReorderStart, seenVersion: number) {
    const entry = this.of(sku);
    if (reorder.lane < 0 || reorder.lane >= REORDER_LANES) throw new Error(`Reorder lane ${reorder.lane} does not exist`);
    if (entry.lanes.has(reorder.lane) || entry.version !== seenVersion) return false;
    const { reorderId, lane, state, leaseUntil, quantity, createdAt, pollId, supplier, productId, unitPrice } = reorder;
    entry.lanes.set(lane, { reorderId, lane, state, leaseUntil, quantity, createdAt, pollId, supplier, productId, unitPrice, codesReceived: 0 });
    entry.version++;
    this.records.set(reorderId, { ...reorder, sku, codesReceived: 0, supplierOrderIds: [] });
    return true;
  }

  private held(sku: string, at: LaneRef): ActiveReorder | undefined {
    const active = this.of(sku).lanes.get(at.lane);
    return active?.reorderId === at.reorderId ? active : undefined;
  }

  /** `reorderId = :id AND (leaseUntil < :now OR pollId = :presented)`: rotates the holder token. */
  async takeLease(sku: string, at: LaneRef, take: { presented?: string; now: string; holder: string; leaseUntil: string }) {
    const active = this.held(sku, at);
    if (!active) return false;
    if (!(active.leaseUntil < take.now) && !(take.presented !== undefined && active.pollId === take.presented)) return false;
    active.leaseUntil = take.leaseUntil;
    active.pollId = take.holder;
    return true;
  }

  /** Conditional on the holder's token (thrown otherwise); progress fields are written only when given. */
  async updateReorder(
    sku: string,
    at: LaneRef,
    holder: string,
    update: ReorderProgress,
  ) {
    const active = this.held(sku, at);
    if (!active || active.pollId !== holder) throw new Error(`Reorder ${at.reorderId} of SKU ${sku} is no longer held by this caller`);
    active.state = update.state;
    if (update.leaseUntil) active.leaseUntil = update.leaseUntil;
    if (update.nextHolder) active.pollId = update.nextHolder;
    if (update.codesReceived !== undefined) active.codesReceived = update.codesReceived;
    if (update.attempted) active.attempted = true;
    const record = this.records.get(at.reorderId);
    if (!record) return;
    record.state = update.state;
    if (update.codesReceived !== undefined) record.codesReceived = update.codesReceived;
    if (update.supplierOrderIds !== undefined) record.supplierOrderIds = [...update.supplierOrderIds];
  }

  /** Conditional on the holder (quietly nothing otherwise); frees the lane, pauses the SKU or the supplier. */
  async finishReorder(sku: string, at: LaneRef, holder: string, outcome: ReorderOutcome) {
    const entry = this.of(sku);
    const active = this.held(sku, at);
    if (!active || active.pollId !== holder) return;
    entry.lanes.delete(at.lane);
    if ('blockedUntil' in outcome) entry.blockedUntil = outcome.blockedUntil;
    const block = 'blockSupplier' in outcome ? outcome.blockSupplier : undefined;
    if (block) entry.supplierBlockedUntil[block.supplier] = block.until;
    const record = this.records.get(at.reorderId);
    if (!record) return;
    Object.assign(record, { state: outcome.state, finished: outcome.state, finishedAt: this.clock.now().toISOString() });
    if (outcome.state !== 'COMPLETED') record.failureReason = outcome.failureReason;
    if (outcome.state === 'STUCK') Object.assign(record, { lateCheckId: outcome.lateCheckId, lateCheckUntil: outcome.lateCheckUntil });
  }

  async recentReorders(sku: string) {
    const recent = [...this.records.values()].filter((r) => r.sku === sku).sort((a, b) => (a.reorderId < b.reorderId ? 1 : -1)).slice(0, 2 * REORDER_LANES);
    return recent.map((r) => ({ quantity: r.quantity, codesReceived: r.codesReceived ?? 0, ...(r.finishedAt !== undefined && { finishedAt: r.finishedAt }) }));
  }

  async scheduleWake(sku: string, at: string) {
    const entry = this.of(sku);
    if (entry.wakeAt !== undefined && entry.wakeAt >= at) return false;
    entry.wakeAt = at;
    return true;
  }

  async passLateCheck(_sku: string, reorderId: string, presented: string, next: string | undefined) {
    const record = this.records.get(reorderId);
    if (record?.lateCheckId !== presented) return false;
    if (next) record.lateCheckId = next;
    else delete record.lateCheckId;
    return true;
  }
}
