// In-memory SendStore: the send lease on the unit (owner + expiry), failure and hold records of its
// holder, and the delivery record written code first, then unit — the DynamoDB store's conditions.
import type { UnitHoldReason } from '#core/model';
import type { OrderUnit, SendFailure } from '#core/ports/orders';
import type { Clock } from '#core/ports/runtime';
import type { SendLease, SendLeaseOutcome, SendStore } from '#core/ports/sends';
import { FakeClock, copy, unitKey, type World } from './world';

export class FakeSendStore implements SendStore {
  /** Test hook: the next markDelivered throws after its code write, as a crash between the two writes would. */
  failMarkDeliveredAfterCode = false;

  constructor(private readonly world: World, private readonly clock: Clock = new FakeClock()) {}

  async acquireSend(unit: OrderUnit, lease: SendLease, now: string): Promise<SendLeaseOutcome> {
    const key = unitKey(unit);
    const stored = this.world.units.get(key);
    // The order check only guards a unit not committed yet (the transaction path of the real store).
    if (!unit.sendStartedAt && this.world.orderCancelled(unit)) return { result: 'ORDER_CANCELLED' };
    if (stored?.state !== 'RESERVED') return { result: 'NOT_RESERVED', unit: copy(stored) };
    const held = this.world.leases.get(key);
    if (held && held.until >= now) return { result: 'LEASE_HELD', unit: copy(stored) };
    this.world.leases.set(key, { ...lease });
    stored.sendStartedAt ??= now;
    stored.sendAttempts = (stored.sendAttempts ?? 0) + 1;
    return { result: 'ACQUIRED', attempt: stored.sendAttempts, takeover: held !== undefined };
  }

  private holds(unit: OrderUnit, owner: string): OrderUnit | undefined {
    const stored = this.world.units.get(unitKey(unit));
    return stored?.state === 'RESERVED' && this.world.leases.get(unitKey(unit))?.owner === owner ? stored : undefined;
  }

  async recordSendFailure(unit: OrderUnit, owner: string, failure: SendFailure, maybeSent: boolean): Promise<boolean> {
    const stored = this.holds(unit, owner);
    if (!stored) return false;
    stored.lastSendFailure = { ...failure };
    if (maybeSent) stored.maybeSent = true;
    this.world.leases.delete(unitKey(unit));
    return true;
  }

  async holdUnit(unit: OrderUnit, owner: string, hold: { reason: UnitHoldReason; detail: string; at: string; sent: boolean }): Promise<boolean> {
    const stored = this.holds(unit, owner);
    if (!stored) return false;
    Object.assign(stored, { state: 'HELD', heldReason: hold.reason, heldDetail: hold.detail, heldAt: hold.at });
    if (!hold.sent) delete stored.sendStartedAt;
    this.world.leases.delete(unitKey(unit));
    return true;
  }

  async releaseHeldUnit(unit: OrderUnit): Promise<boolean> {
    const stored = this.world.units.get(unitKey(unit));
    if (stored?.state !== 'HELD') return false;
    stored.state = 'RESERVED';
    delete stored.heldReason;
    delete stored.heldDetail;
    delete stored.heldAt;
    return true;
  }

  async markDelivered(unit: OrderUnit, at: string, receipt?: { channel: string; providerMessageId?: string }): Promise<boolean> {
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
    if (receipt) Object.assign(stored, { channel: receipt.channel, ...(receipt.providerMessageId ? { providerMessageId: receipt.providerMessageId } : {}) });
    this.world.leases.delete(unitKey(unit));
    return true;
  }

  /** Test hook: the clock the fake's leases compare against. */
  get now(): string {
    return this.clock.now().toISOString();
  }
}
