// In-memory ClaimStore: the claim transaction's three conditions in their order of precedence
// (order not cancelled, unit write, code available), commit, release and the two delivery writes.
import type { ClaimOutcome, ClaimStore, CommitOutcome } from '#core/ports/claims';
import type { NewUnit, OrderUnit } from '#core/ports/orders';
import type { Clock } from '#core/ports/runtime';
import { FakeClock, copy, unitKey, type World } from './world';

export class FakeClaimStore implements ClaimStore {
  /** Test hook: the next markDelivered throws after its code write, as a crash between the two writes would. */
  failMarkDeliveredAfterCode = false;

  constructor(private readonly world: World, private readonly clock: Clock = new FakeClock()) {}

  /**
   * Candidates come from the available index first (none → OUT_OF_STOCK), then one transaction:
   * [order not cancelled, unit write, code AVAILABLE → RESERVED]. NEW puts the unit (attribute_not_exists)
   * committed to sending; BACKORDERED updates a BACKORDERED unit and leaves its FIFO entry alone.
   */
  async claim(unit: NewUnit, mode: 'NEW' | 'BACKORDERED'): Promise<ClaimOutcome> {
    const candidate = [...this.world.codes.entries()].find(([, c]) => c.sku === unit.sku && c.status === 'AVAILABLE');
    if (!candidate) return { result: 'OUT_OF_STOCK' };
    if (this.world.orderCancelled(unit)) return { result: 'ORDER_CANCELLED' };
    const existing = this.world.units.get(unitKey(unit));
    if (mode === 'NEW' ? existing : existing?.state !== 'BACKORDERED') return { result: 'UNIT_TAKEN', unit: copy(existing) };
    const [codeId, code] = candidate;
    code.status = 'RESERVED';
    code.unit = unitKey(unit);
    const now = this.clock.now().toISOString();
    this.world.units.set(unitKey(unit), mode === 'NEW' ? { ...unit, state: 'RESERVED', codeId, sendStartedAt: now } : { ...existing!, state: 'RESERVED', codeId });
    return { result: 'CLAIMED', codeId, at: now };
  }

  /** [order not cancelled, unit `state = RESERVED` → SET sendStartedAt = if_not_exists(sendStartedAt, :at)]. */
  async commitSend(unit: OrderUnit, at: string): Promise<CommitOutcome> {
    if (this.world.orderCancelled(unit)) return { result: 'ORDER_CANCELLED' };
    const stored = this.world.units.get(unitKey(unit));
    if (stored?.state !== 'RESERVED') return { result: 'NOT_RESERVED', unit: copy(stored) };
    stored.sendStartedAt ??= at;
    return { result: 'COMMITTED' };
  }

  /**
   * Unit `RESERVED AND codeId = :codeId AND attribute_not_exists(sendStartedAt)` → CANCELLED (codeId removed);
   * code `RESERVED` and held by this unit → AVAILABLE, back in the index. Both or neither.
   */
  async releaseReserved(unit: OrderUnit): Promise<boolean> {
    const stored = this.world.units.get(unitKey(unit));
    const code = unit.codeId === undefined ? undefined : this.world.codes.get(unit.codeId);
    if (stored?.state !== 'RESERVED' || stored.codeId !== unit.codeId || stored.sendStartedAt !== undefined) return false;
    if (code?.status !== 'RESERVED' || code.unit !== unitKey(unit)) return false;
    stored.state = 'CANCELLED';
    delete stored.codeId;
    code.status = 'AVAILABLE';
    delete code.unit;
    return true;
  }

  /** Like the DynamoDB store: the code write, then the unit write, each accepting "already DELIVERED for this unit". */
  async markDelivered(unit: OrderUnit, at: string): Promise<boolean> {
    const code = unit.codeId === undefined ? undefined : this.world.codes.get(unit.codeId);
    if ((code?.status !== 'RESERVED' && code?.status !== 'DELIVERED') || code.unit !== unitKey(unit)) return false;
    code.status = 'DELIVERED';
    if (this.failMarkDeliveredAfterCode) {
      this.failMarkDeliveredAfterCode = false;
      throw new Error('crashed between the code and the unit write');
    }
    const stored = this.world.units.get(unitKey(unit));
    if ((stored?.state !== 'RESERVED' && stored?.state !== 'DELIVERED') || stored.codeId !== unit.codeId) return false;
    stored.state = 'DELIVERED';
    stored.deliveredAt ??= at;
    return true;
  }
}
