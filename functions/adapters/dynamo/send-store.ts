// Sending a reserved code exactly once: the per-unit send lease (owner + expiry, one conditional
// write), the failure and hold records of its holder, and the delivery record (code first, then unit).
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { UnitHoldReason } from '#core/model';
import type { OrderUnit, SendFailure, UnitRef } from '#core/ports/orders';
import type { ChannelProgress, DeliveryStatusUpdate, SendLease, SendLeaseOutcome, SendReceipt, SendStore } from '#core/ports/sends';
import { conditionally, isConditionFailure, transact, type Item } from './conditions';
import { codeKeyOf, orderNotCancelled, toUnit, unitFrom, unitKeyOf } from './items';

/** Statuses only move forward: a late `sent` never overwrites `read`. */
const STATUS_RANK = { sent: 1, delivered: 2, read: 3 } as const;

/** What an attempt learnt about the chain, written with the record that ends it. */
function progressOf(progress: ChannelProgress | undefined): { set: string; values: Record<string, unknown> } {
  if (!progress) return { set: '', values: {} };
  return {
    set: ', channelsTried = :tried, channelLog = list_append(if_not_exists(channelLog, :noLog), :log)',
    values: { ':tried': progress.tried, ':noLog': [], ':log': progress.log },
  };
}

/** The lease is free, or its holder's time is up (a crash, a timeout). */
const LEASE_FREE = '#state = :reserved AND (attribute_not_exists(sendLeaseUntil) OR sendLeaseUntil < :now)';

export class DynamoSendStore implements SendStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly table: string) {}

  async acquireSend(unit: OrderUnit, lease: SendLease, now: string): Promise<SendLeaseOutcome> {
    const update = {
      TableName: this.table,
      Key: unitKeyOf(unit),
      UpdateExpression: 'SET sendOwner = :owner, sendLeaseUntil = :until, sendStartedAt = if_not_exists(sendStartedAt, :now) ADD sendAttempts :one',
      ConditionExpression: LEASE_FREE,
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':owner': lease.owner, ':until': lease.until, ':now': now, ':reserved': 'RESERVED', ':one': 1 },
    };
    if (!unit.sendStartedAt) {
      const attempt = (unit.sendAttempts ?? 0) + 1;
      // Not committed yet (the filler reserved it, or the merchant released it): commit only while the
      // order stands, in the same transaction, so a cancellation and a send can never both win.
      const outcome = await transact(this.db, [orderNotCancelled(this.table, unit), { name: 'leaseFree', write: { Update: update } }]);
      if (outcome.ok) return { result: 'ACQUIRED', attempt, takeover: false };
      if (outcome.failed === 'orderNotCancelled') return { result: 'ORDER_CANCELLED' };
      return this.notAcquired('item' in outcome ? outcome.item : undefined);
    }
    try {
      // The old values tell a takeover apart: a lease still on the item means its holder never finished.
      const res = await this.db.send(new UpdateCommand({ ...update, ReturnValues: 'UPDATED_OLD', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }));
      const old = res.Attributes ?? {};
      return { result: 'ACQUIRED', attempt: ((old.sendAttempts as number | undefined) ?? 0) + 1, takeover: old.sendLeaseUntil !== undefined };
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      const raw = (err as { Item?: Record<string, never> }).Item;
      return this.notAcquired(raw ? unmarshall(raw) : undefined);
    }
  }

  private notAcquired(item: Item | undefined): SendLeaseOutcome {
    const current = unitFrom(item);
    return current?.state === 'RESERVED' ? { result: 'LEASE_HELD', unit: current } : { result: 'NOT_RESERVED', unit: current };
  }

  async recordSendFailure(unit: OrderUnit, owner: string, failure: SendFailure, maybeSent: boolean, progress?: ChannelProgress): Promise<boolean> {
    const chain = progressOf(progress);
    const outcome = await conditionally(this.db, 'leaseIsOurs', {
      Update: {
        TableName: this.table,
        Key: unitKeyOf(unit),
        UpdateExpression: `SET lastSendFailure = :failure${maybeSent ? ', maybeSent = :true' : ''}${chain.set} REMOVE sendOwner, sendLeaseUntil`,
        ConditionExpression: '#state = :reserved AND sendOwner = :owner',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':failure': failure, ':reserved': 'RESERVED', ':owner': owner, ...(maybeSent ? { ':true': true } : {}), ...chain.values },
      },
    });
    return outcome.ok;
  }

  async holdUnit(unit: OrderUnit, owner: string, hold: { reason: UnitHoldReason; detail: string; at: string; sent: boolean }, progress?: ChannelProgress): Promise<boolean> {
    // Nothing can have reached the customer: uncommitted again, so a refund returns the code to stock.
    const uncommit = hold.sent ? '' : ', sendStartedAt';
    const chain = progressOf(progress);
    const outcome = await conditionally(this.db, 'leaseIsOurs', {
      Update: {
        TableName: this.table,
        Key: unitKeyOf(unit),
        UpdateExpression: `SET #state = :held, heldReason = :reason, heldDetail = :detail, heldAt = :at${chain.set} REMOVE sendOwner, sendLeaseUntil${uncommit}`,
        ConditionExpression: '#state = :reserved AND sendOwner = :owner',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':held': 'HELD', ':reserved': 'RESERVED', ':owner': owner, ':reason': hold.reason, ':detail': hold.detail, ':at': hold.at, ...chain.values },
      },
    });
    return outcome.ok;
  }

  async releaseHeldUnit(unit: OrderUnit, at: string): Promise<boolean> {
    const outcome = await conditionally(this.db, 'unitHeld', {
      Update: {
        TableName: this.table,
        Key: unitKeyOf(unit),
        // The merchant fixed the contact or the channel: every channel of the chain gets its chance again.
        UpdateExpression: 'SET #state = :reserved, releasedAt = :at REMOVE heldReason, heldDetail, heldAt, channelsTried',
        ConditionExpression: '#state = :held',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':reserved': 'RESERVED', ':held': 'HELD', ':at': at },
      },
    });
    return outcome.ok;
  }

  /**
   * Two conditional writes instead of one transaction: half the write units (a transaction bills two
   * per item), the biggest single saving in the cost benchmark. Code first, then unit, each idempotent
   * for this unit, so a unit is DELIVERED only once its code is: a crash in between leaves the unit
   * RESERVED and the retry re-sends the same code and finishes both writes.
   */
  async markDelivered(unit: OrderUnit, at: string, receipt?: SendReceipt, progress?: ChannelProgress): Promise<boolean> {
    const unitKey = unitKeyOf(unit);
    const code = await conditionally(this.db, 'codeReservedForUnit', {
      Update: {
        TableName: this.table,
        Key: codeKeyOf({ sku: unit.sku, codeId: unit.codeId!, codeKey: unit.codeKey }),
        UpdateExpression: 'SET #status = :delivered, deliveredAt = if_not_exists(deliveredAt, :at)',
        ConditionExpression: '#status IN (:reserved, :delivered) AND orderPk = :orderPk AND unitSk = :unitSk',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':delivered': 'DELIVERED', ':reserved': 'RESERVED', ':orderPk': unitKey.pk, ':unitSk': unitKey.sk, ':at': at },
      },
    });
    if (!code.ok) return false;
    const receiptSet = receipt
      ? `, channel = :channel${receipt.providerMessageId ? ', providerMessageId = :messageId' : ''}${receipt.revealLinkExpiresAt ? ', revealLinkExpiresAt = :linkUntil' : ''}`
      : '';
    // Sent in full this time (a fallback after a link message failed): no refund can take it back.
    // A new accepted message: the provider statuses of the one before (a `failed`) are not about it.
    const receiptRemove = receipt ? `, deliveryStatus, deliveryStatusAt, deliveryStatusRank${receipt.revealLinkExpiresAt ? '' : ', revealLinkExpiresAt'}` : '';
    const chain = progressOf(progress);
    const unitDone = await conditionally(this.db, 'unitHoldsCode', {
      Update: {
        TableName: this.table,
        Key: unitKey,
        UpdateExpression: `SET #state = :delivered, deliveredAt = if_not_exists(deliveredAt, :at)${receiptSet}${chain.set} REMOVE sendOwner, sendLeaseUntil${receiptRemove}`,
        ConditionExpression: '#state IN (:reserved, :delivered) AND codeId = :codeId',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':delivered': 'DELIVERED',
          ':reserved': 'RESERVED',
          ':codeId': unit.codeId,
          ':at': at,
          ...(receipt ? { ':channel': receipt.channel } : {}),
          ...(receipt?.providerMessageId ? { ':messageId': receipt.providerMessageId } : {}),
          ...(receipt?.revealLinkExpiresAt ? { ':linkUntil': receipt.revealLinkExpiresAt } : {}),
          ...chain.values,
        },
      },
    });
    return unitDone.ok;
  }

  async recordDeliveryStatus(unit: UnitRef, update: DeliveryStatusUpdate): Promise<boolean> {
    if (update.status === 'failed') return false;
    const outcome = await conditionally(this.db, 'statusIsNews', {
      Update: {
        TableName: this.table,
        Key: unitKeyOf(unit),
        UpdateExpression: 'SET deliveryStatus = :status, deliveryStatusAt = :at, deliveryStatusRank = :rank',
        ConditionExpression: '#state = :delivered AND providerMessageId = :id AND channel = :channel AND (attribute_not_exists(deliveryStatusRank) OR deliveryStatusRank < :rank)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':delivered': 'DELIVERED', ':id': update.providerMessageId, ':channel': update.channel, ':status': update.status, ':at': update.at, ':rank': STATUS_RANK[update.status] },
      },
    });
    return outcome.ok;
  }

  async reopenFailedSend(unit: UnitRef, update: DeliveryStatusUpdate): Promise<OrderUnit | undefined> {
    const entry = { channel: update.channel, outcome: 'FAILED', at: update.at, reason: `FAILED_AFTER_ACCEPT ${update.errorCode ?? 'unknown'}`, providerMessageId: update.providerMessageId };
    try {
      const res = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: unitKeyOf(unit),
          // Still committed (sendStartedAt stays) and marked maybe sent (the provider had accepted it, and
          // its word on the failure is all we have): a refund treats it as possibly delivered. The code
          // item stays DELIVERED to this unit, which markDelivered accepts for the fallback's send.
          UpdateExpression:
            'SET #state = :reserved, maybeSent = :true, deliveryStatus = :failed, deliveryStatusAt = :at, ' +
            'channelsTried = list_append(if_not_exists(channelsTried, :none), :channel), channelLog = list_append(if_not_exists(channelLog, :none), :entry) ' +
            'REMOVE providerMessageId, deliveryStatusRank',
          ConditionExpression:
            '#state = :delivered AND providerMessageId = :id AND channel = :channelName AND attribute_not_exists(revealedAt) AND (attribute_not_exists(deliveryStatusRank) OR deliveryStatusRank < :deliveredRank)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':reserved': 'RESERVED',
            ':delivered': 'DELIVERED',
            ':failed': 'failed',
            ':true': true,
            ':at': update.at,
            ':none': [],
            ':channel': [update.channel],
            ':channelName': update.channel,
            ':entry': [entry],
            ':id': update.providerMessageId,
            ':deliveredRank': STATUS_RANK.delivered,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return res.Attributes ? toUnit(res.Attributes) : undefined;
    } catch (err) {
      if (isConditionFailure(err)) return undefined;
      throw err;
    }
  }
}
