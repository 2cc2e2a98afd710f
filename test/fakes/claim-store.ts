// In-memory ClaimStore: the claim transaction's three conditions in their order of precedence
// (order not cancelled, unit write, code available), and the return of a code nobody sent or saw.
import type { ClaimOutcome, ClaimStore, WaitingUnit } from '#core/ports/claims';
import type { NewUnit, OrderUnit } from '#core/ports/orders';
import type { Clock } from '#core/ports/runtime';
import type { SendLease } from '#core/ports/sends';
import { FakeClock, copy, unitKey, type FakeCode, type World } from './world';

export class FakeClaimStore implements ClaimStore {
  constructor(private readonly world: World, private readonly clock: Clock = new FakeClock()) {}

  /**
   * Candidates come from the available index first (none → OUT_OF_STOCK), then one transaction:
   * [order not cancelled, unit write, code AVAILABLE → RESERVED]. NEW puts the unit (attribute_not_exists)
   * committed to sending; BACKORDERED updates a BACKORDERED unit and marks its FIFO entry reserved.
   */
  async claim(unit: NewUnit | WaitingUnit, mode: 'NEW' | 'BACKORDERED', lease?: SendLease): Promise<ClaimOutcome> {
    const candidate = [...this.world.codes.entries()].find(([, c]) => c.sku === unit.sku && c.status === 'AVAILABLE');
    if (!candidate) return { result: 'OUT_OF_STOCK' };
    if (this.world.orderCancelled(unit)) return { result: 'ORDER_CANCELLED' };
    const existing = this.world.units.get(unitKey(unit));
    if (mode === 'NEW' ? existing : existing?.state !== 'BACKORDERED') return { result: 'UNIT_TAKEN', unit: copy(existing) };
    const [codeId, code] = candidate;
    code.status = 'RESERVED';
    code.unit = unitKey(unit);
    const now = this.clock.now().toISOString();
    const sendLease = lease ? { sendAttempts: 1 } : {};
    if (lease && mode === 'NEW') this.world.leases.set(unitKey(unit), { ...lease });
    if (mode === 'BACKORDERED') {
      for (const entry of this.world.backorders.values()) if (unitKey(entry) === unitKey(unit)) entry.reserved = true;
    }
    this.world.units.set(unitKey(unit), mode === 'NEW' ? { ...(unit as NewUnit), state: 'RESERVED', codeId, sendStartedAt: now, ...sendLease } : { ...existing!, state: 'RESERVED', codeId });
    return { result: 'CLAIMED', codeId, at: now };
  }

  /** One claim after another, oldest first, until the first OUT_OF_STOCK. */
  async claimWaiting(units: WaitingUnit[]): Promise<ClaimOutcome[]> {
    const outcomes: ClaimOutcome[] = [];
    for (const unit of units) {
      outcomes.push(await this.claim(unit, 'BACKORDERED'));
      if (outcomes.at(-1)!.result === 'OUT_OF_STOCK') break;
    }
    return outcomes;
  }

  /**
   * Unit `state IN (RESERVED, HELD) AND codeId = :codeId AND attribute_not_exists(sendStartedAt)` → CANCELLED
   * (codeId removed); code `RESERVED` and held by this unit → AVAILABLE, back in the index. Both or neither.
   */
  async releaseUnsent(unit: OrderUnit): Promise<boolean> {
    const stored = this.world.units.get(unitKey(unit));
    const code = unit.codeId === undefined ? undefined : this.world.codes.get(unit.codeId);
    if ((stored?.state !== 'RESERVED' && stored?.state !== 'HELD') || stored.codeId !== unit.codeId || stored.sendStartedAt !== undefined) return false;
    if (code?.status !== 'RESERVED' || code.unit !== unitKey(unit)) return false;
    return giveBack(stored, code);
  }

  /**
   * [order cancelled, unit `DELIVERED AND codeId = :codeId AND attribute_exists(revealLinkExpiresAt) AND
   * attribute_not_exists(revealedAt)` → CANCELLED (codeId removed), code DELIVERED and held by this unit →
   * AVAILABLE]. All or nothing.
   */
  async returnUnrevealed(unit: OrderUnit): Promise<boolean> {
    const stored = this.world.units.get(unitKey(unit));
    const code = unit.codeId === undefined ? undefined : this.world.codes.get(unit.codeId);
    if (!this.world.orderCancelled(unit)) return false;
    if (stored?.state !== 'DELIVERED' || stored.codeId !== unit.codeId || stored.revealLinkExpiresAt === undefined || stored.revealedAt !== undefined) return false;
    if (code?.status !== 'DELIVERED' || code.unit !== unitKey(unit)) return false;
    return giveBack(stored, code);
  }
}

/** Both writes of a successful release: the unit CANCELLED without its code, the code AVAILABLE again. */
function giveBack(unit: OrderUnit, code: FakeCode): true {
  unit.state = 'CANCELLED';
  delete unit.codeId;
  code.status = 'AVAILABLE';
  delete code.unit;
  return true;
}
