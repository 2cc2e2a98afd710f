// In-memory SendStore: the send lease on the unit (owner + expiry), failure and hold records of its
// holder, and the delivery record written code first, then unit — the DynamoDB store's conditions.
import type { UnitHoldReason } from '#core/model';
import type { OrderUnit, SendFailure, UnitRef } from '#core/ports/orders';
import type { Clock } from '#core/ports/runtime';
import type { ChannelProgress, DeliveryStatusUpdate, SendLease, SendLeaseOutcome, SendReceipt, SendStore } from '#core/ports/sends';
import { FakeClock, copy, unitKey, type World } from './world';

const STATUS_RANK: Record<string, number> = { sent: 1, delivered: 2, read: 3 };

function saveProgress(stored: OrderUnit, progress: ChannelProgress | undefined): void {
  if (!progress) return;
  stored.channelsTried = [...progress.tried];
  stored.channelLog = [...(stored.channelLog ?? []), ...progress.log.map((entry) => ({ ...entry }))];
}

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

  async recordSendFailure(unit: OrderUnit, owner: string, failure: SendFailure, maybeSent: boolean, progress?: ChannelProgress): Promise<boolean> {
    const stored = this.holds(unit, owner);
    if (!stored) return false;
    saveProgress(stored, progress);
    stored.lastSendFailure = { ...failure };
    if (maybeSent) stored.maybeSent = true;
    this.world.leases.delete(unitKey(unit));
    return true;
  }

  async holdUnit(unit: OrderUnit, owner: string, hold: { reason: UnitHoldReason; detail: string; at: string; sent: boolean }, progress?: ChannelProgress): Promise<boolean> {
    const stored = this.holds(unit, owner);
    if (!stored) return false;
    saveProgress(stored, progress);
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
    delete stored.channelsTried;
    return true;
  }

  async markDelivered(unit: OrderUnit, at: string, receipt?: SendReceipt, progress?: ChannelProgress): Promise<boolean> {
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
    if (receipt) {
      Object.assign(stored, { channel: receipt.channel, ...(receipt.providerMessageId ? { providerMessageId: receipt.providerMessageId } : {}) });
      if (receipt.revealLinkExpiresAt) stored.revealLinkExpiresAt = receipt.revealLinkExpiresAt;
      else delete stored.revealLinkExpiresAt;
      delete stored.deliveryStatus;
      delete stored.deliveryStatusAt;
      this.statusRank.delete(unitKey(unit));
    }
    saveProgress(stored, progress);
    this.world.leases.delete(unitKey(unit));
    return true;
  }

  private statusRank = new Map<string, number>();

  async recordDeliveryStatus(unit: UnitRef, update: DeliveryStatusUpdate): Promise<boolean> {
    const stored = this.world.units.get(unitKey(unit));
    const rank = STATUS_RANK[update.status];
    if (rank === undefined || stored?.state !== 'DELIVERED' || stored.providerMessageId !== update.providerMessageId || stored.channel !== update.channel) return false;
    if ((this.statusRank.get(unitKey(unit)) ?? 0) >= rank) return false;
    this.statusRank.set(unitKey(unit), rank);
    Object.assign(stored, { deliveryStatus: update.status, deliveryStatusAt: update.at });
    return true;
  }

  async reopenFailedSend(unit: UnitRef, update: DeliveryStatusUpdate): Promise<OrderUnit | undefined> {
    const stored = this.world.units.get(unitKey(unit));
    if (stored?.state !== 'DELIVERED' || stored.providerMessageId !== update.providerMessageId || stored.channel !== update.channel || stored.revealedAt) return undefined;
    if ((this.statusRank.get(unitKey(unit)) ?? 0) >= STATUS_RANK.delivered) return undefined;
    this.statusRank.delete(unitKey(unit));
    stored.state = 'RESERVED';
    stored.maybeSent = true;
    delete stored.providerMessageId;
    Object.assign(stored, { deliveryStatus: 'failed', deliveryStatusAt: update.at });
    stored.channelsTried = [...(stored.channelsTried ?? []), update.channel];
    stored.channelLog = [
      ...(stored.channelLog ?? []),
      { channel: update.channel, outcome: 'FAILED', at: update.at, reason: `FAILED_AFTER_ACCEPT ${update.errorCode ?? 'unknown'}`, providerMessageId: update.providerMessageId },
    ];
    return copy(stored);
  }

  /** Test hook: the clock the fake's leases compare against. */
  get now(): string {
    return this.clock.now().toISOString();
  }
}
