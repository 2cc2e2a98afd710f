// Sending a reserved code exactly once: the per-unit send lease (owner + expiry, one conditional
// write), the failure and hold records of its holder, and the delivery record (code first, then unit).
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { UnitHoldReason } from '#core/model';
import type { OrderUnit, SendFailure } from '#core/ports/orders';
import type { SendLease, SendLeaseOutcome, SendStore } from '#core/ports/sends';
import { conditionally, isConditionFailure, transact, type Item } from './conditions';
import { codeKeyOf, orderNotCancelled, unitFrom, unitKeyOf } from './items';

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

  async recordSendFailure(unit: OrderUnit, owner: string, failure: SendFailure, maybeSent: boolean): Promise<boolean> {
    const outcome = await conditionally(this.db, 'leaseIsOurs', {
      Update: {
        TableName: this.table,
        Key: unitKeyOf(unit),
        UpdateExpression: `SET lastSendFailure = :failure${maybeSent ? ', maybeSent = :true' : ''} REMOVE sendOwner, sendLeaseUntil`,
        ConditionExpression: '#state = :reserved AND sendOwner = :owner',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':failure': failure, ':reserved': 'RESERVED', ':owner': owner, ...(maybeSent ? { ':true': true } : {}) },
      },
    });
    return outcome.ok;
  }

  async holdUnit(unit: OrderUnit, owner: string, hold: { reason: UnitHoldReason; detail: string; at: string; sent: boolean }): Promise<boolean> {
    // Nothing can have reached the customer: uncommitted again, so a refund returns the code to stock.
    const uncommit = hold.sent ? '' : ', sendStartedAt';
    const outcome = await conditionally(this.db, 'leaseIsOurs', {
      Update: {
        TableName: this.table,
        Key: unitKeyOf(unit),
        UpdateExpression: `SET #state = :held, heldReason = :reason, heldDetail = :detail, heldAt = :at REMOVE sendOwner, sendLeaseUntil${uncommit}`,
        ConditionExpression: '#state = :reserved AND sendOwner = :owner',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':held': 'HELD', ':reserved': 'RESERVED', ':owner': owner, ':reason': hold.reason, ':detail': hold.detail, ':at': hold.at },
      },
    });
    return outcome.ok;
  }

  async releaseHeldUnit(unit: OrderUnit, at: string): Promise<boolean> {
    const outcome = await conditionally(this.db, 'unitHeld', {
      Update: {
        TableName: this.table,
        Key: unitKeyOf(unit),
        UpdateExpression: 'SET #state = :reserved, releasedAt = :at REMOVE heldReason, heldDetail, heldAt',
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
  async markDelivered(unit: OrderUnit, at: string, receipt?: { channel: string; providerMessageId?: string }): Promise<boolean> {
    const unitKey = unitKeyOf(unit);
    const code = await conditionally(this.db, 'codeReservedForUnit', {
      Update: {
        TableName: this.table,
        Key: codeKeyOf(unit.sku, unit.codeId!),
        UpdateExpression: 'SET #status = :delivered, deliveredAt = if_not_exists(deliveredAt, :at)',
        ConditionExpression: '#status IN (:reserved, :delivered) AND orderPk = :orderPk AND unitSk = :unitSk',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':delivered': 'DELIVERED', ':reserved': 'RESERVED', ':orderPk': unitKey.pk, ':unitSk': unitKey.sk, ':at': at },
      },
    });
    if (!code.ok) return false;
    const receiptSet = receipt ? `, channel = :channel${receipt.providerMessageId ? ', providerMessageId = :messageId' : ''}` : '';
    const unitDone = await conditionally(this.db, 'unitHoldsCode', {
      Update: {
        TableName: this.table,
        Key: unitKey,
        UpdateExpression: `SET #state = :delivered, deliveredAt = if_not_exists(deliveredAt, :at)${receiptSet} REMOVE sendOwner, sendLeaseUntil`,
        ConditionExpression: '#state IN (:reserved, :delivered) AND codeId = :codeId',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':delivered': 'DELIVERED',
          ':reserved': 'RESERVED',
          ':codeId': unit.codeId,
          ':at': at,
          ...(receipt ? { ':channel': receipt.channel } : {}),
          ...(receipt?.providerMessageId ? { ':messageId': receipt.providerMessageId } : {}),
        },
      },
    });
    return unitDone.ok;
  }
}
