// The write-back's state on the order item: one lease at a time, and a finished write-back is final.
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { BeginOutcome, WriteBackRecord, WriteBackStore } from '#core/ports/write-back';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { isConditionFailure } from './conditions';
import { ORDER_META_SK, orderPk } from './keys';

const FINISHED = ['DONE', 'FAILED', 'SKIPPED'];

export class DynamoWriteBackStore implements WriteBackStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly table: string) {}

  async begin(storeId: string, orderId: string, owner: string, now: Date, leaseSeconds: number): Promise<BeginOutcome> {
    const nowMs = now.getTime();
    try {
      // A missing `writeBack` fails `writeBack.state IN (...)`, so a first write-back passes the NOT.
      const res = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: orderPk(storeId, orderId), sk: ORDER_META_SK },
          UpdateExpression: 'SET writeBackOwner = :owner, writeBackLeaseUntil = :until',
          ConditionExpression:
            'attribute_exists(pk) AND NOT writeBack.#state IN (:done, :failed, :skipped) AND (attribute_not_exists(writeBackLeaseUntil) OR writeBackLeaseUntil < :now)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':owner': owner, ':until': nowMs + leaseSeconds * 1000, ':now': nowMs, ':done': 'DONE', ':failed': 'FAILED', ':skipped': 'SKIPPED' },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      const attempts = Number((res.Attributes?.writeBack as WriteBackRecord | undefined)?.attempts ?? 0);
      return { started: true, attempts, ...(res.Attributes?.cancelledAt ? { cancelled: true } : {}) };
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      const raw = (err as { Item?: Record<string, unknown> }).Item;
      // The document client leaves the item of a failed condition in its wire form.
      const item = raw ? unmarshall(raw as never) : undefined;
      if (!item) return { started: false, reason: 'NO_ORDER' };
      const record = item.writeBack as WriteBackRecord | undefined;
      if (record && FINISHED.includes(record.state)) return { started: false, reason: 'FINISHED', record };
      return { started: false, reason: 'BUSY', leaseUntil: Number(item.writeBackLeaseUntil ?? nowMs) };
    }
  }

  finish(storeId: string, orderId: string, owner: string, record: WriteBackRecord): Promise<void> {
    return this.end(storeId, orderId, owner, record);
  }

  release(storeId: string, orderId: string, owner: string, record: WriteBackRecord): Promise<void> {
    return this.end(storeId, orderId, owner, record);
  }

  reopen(storeId: string, orderId: string, at: string): Promise<boolean> {
    // Not while a first attempt holds the lease: removing its owner would make its finish a no-op and call the store twice.
    return this.replaceRecord(storeId, orderId, { state: 'RETRYING', attempts: 0, at, error: 'retried by the merchant' }, {
      condition:
        'attribute_exists(pk) AND (attribute_not_exists(writeBack) OR writeBack.#state IN (:failed, :skipped)) AND (attribute_not_exists(writeBackLeaseUntil) OR writeBackLeaseUntil < :now)',
      names: { '#state': 'state' },
      values: { ':failed': 'FAILED', ':skipped': 'SKIPPED', ':now': Date.parse(at) },
    });
  }

  /** Writes the record and drops the lease, only while `owner` holds it (a late holder changes nothing). */
  private async end(storeId: string, orderId: string, owner: string, record: WriteBackRecord): Promise<void> {
    await this.replaceRecord(storeId, orderId, record, { condition: 'writeBackOwner = :owner', values: { ':owner': owner } });
  }

  /** The whole record, the lease removed, when `condition` holds: false when it did not. */
  private async replaceRecord(
    storeId: string,
    orderId: string,
    record: WriteBackRecord,
    when: { condition: string; names?: Record<string, string>; values: Record<string, unknown> },
  ): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: orderPk(storeId, orderId), sk: ORDER_META_SK },
          UpdateExpression: 'SET writeBack = :record REMOVE writeBackOwner, writeBackLeaseUntil',
          ConditionExpression: when.condition,
          ...(when.names ? { ExpressionAttributeNames: when.names } : {}),
          ExpressionAttributeValues: { ':record': stripUndefined(record), ...when.values },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }
}

const stripUndefined = (record: WriteBackRecord) => Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));

