// The per-SKU reorder lease (on the SKU config item) and the reorder records it points to.
import { GetCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CONFIG_SK, reorderSk, skuPk } from '../../core/keys';
import type { ActiveReorder, ReorderState, ReorderStore } from '../../core/store-ports';
import { cancellationCodes, isConditionFailure } from './conditions';

export class DynamoReorderStore implements ReorderStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly table: string) {}

  async getReorderStatus(sku: string): Promise<{ active?: ActiveReorder; blockedUntil?: string }> {
    const res = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: { pk: skuPk(sku), sk: CONFIG_SK },
        ConsistentRead: true,
        ProjectionExpression: 'activeReorder, reorderBlockedUntil',
      }),
    );
    return { active: res.Item?.activeReorder as ActiveReorder | undefined, blockedUntil: res.Item?.reorderBlockedUntil as string | undefined };
  }

  async startReorder(sku: string, reorder: ActiveReorder & { supplier: string; createdAt: string }): Promise<boolean> {
    const { reorderId, state, leaseUntil, quantity } = reorder;
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: { pk: skuPk(sku), sk: CONFIG_SK },
                UpdateExpression: 'SET activeReorder = :active',
                ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(activeReorder)',
                ExpressionAttributeValues: { ':active': { reorderId, state, leaseUntil, quantity } },
              },
            },
            {
              Put: {
                TableName: this.table,
                Item: { pk: skuPk(sku), sk: reorderSk(reorderId), sku, ...reorder, codesReceived: 0, supplierOrderIds: [] },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
      return true;
    } catch (err) {
      if (cancellationCodes(err)) return false;
      throw err;
    }
  }

  async renewLease(sku: string, reorderId: string, expiredBefore: string, leaseUntil: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: skuPk(sku), sk: CONFIG_SK },
          UpdateExpression: 'SET activeReorder.leaseUntil = :until',
          ConditionExpression: 'activeReorder.reorderId = :id AND activeReorder.leaseUntil < :expired',
          ExpressionAttributeValues: { ':id': reorderId, ':expired': expiredBefore, ':until': leaseUntil },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async updateReorder(
    sku: string,
    reorderId: string,
    update: { state: ReorderState; codesReceived: number; supplierOrderIds: string[]; failureReason?: string; leaseUntil?: string },
  ): Promise<void> {
    const active: Record<string, unknown> = { ':id': reorderId, ':state': update.state };
    let activeSet = 'activeReorder.#state = :state';
    if (update.leaseUntil) {
      active[':until'] = update.leaseUntil;
      activeSet += ', activeReorder.leaseUntil = :until';
    }
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: this.table,
              Key: { pk: skuPk(sku), sk: CONFIG_SK },
              UpdateExpression: `SET ${activeSet}`,
              ConditionExpression: 'activeReorder.reorderId = :id',
              ExpressionAttributeNames: { '#state': 'state' },
              ExpressionAttributeValues: active,
            },
          },
          {
            Update: {
              TableName: this.table,
              Key: { pk: skuPk(sku), sk: reorderSk(reorderId) },
              UpdateExpression: 'SET #state = :state, codesReceived = :codes, supplierOrderIds = :ids, updatedAt = :now' + (update.failureReason ? ', failureReason = :reason' : ''),
              ExpressionAttributeNames: { '#state': 'state' },
              ExpressionAttributeValues: {
                ':state': update.state,
                ':codes': update.codesReceived,
                ':ids': update.supplierOrderIds,
                ':now': new Date().toISOString(),
                ...(update.failureReason ? { ':reason': update.failureReason } : {}),
              },
            },
          },
        ],
      }),
    );
  }

  async finishReorder(
    sku: string,
    reorderId: string,
    outcome: { state: 'COMPLETED' } | { state: 'FAILED'; failureReason: string; blockedUntil: string },
  ): Promise<void> {
    const failed = outcome.state === 'FAILED' ? outcome : undefined;
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: { pk: skuPk(sku), sk: CONFIG_SK },
                UpdateExpression: failed ? 'REMOVE activeReorder SET lastReorderId = :id, reorderBlockedUntil = :blocked' : 'REMOVE activeReorder SET lastReorderId = :id',
                ConditionExpression: 'activeReorder.reorderId = :id',
                ExpressionAttributeValues: failed ? { ':id': reorderId, ':blocked': failed.blockedUntil } : { ':id': reorderId },
              },
            },
            {
              Update: {
                TableName: this.table,
                Key: { pk: skuPk(sku), sk: reorderSk(reorderId) },
                UpdateExpression: 'SET #state = :state, finishedAt = :now' + (failed ? ', failureReason = :reason' : ''),
                ExpressionAttributeNames: { '#state': 'state' },
                ExpressionAttributeValues: { ':state': outcome.state, ':now': new Date().toISOString(), ...(failed ? { ':reason': failed.failureReason } : {}) },
              },
            },
          ],
        }),
      );
    } catch (err) {
      // Already finished by a concurrent poll: nothing left to do.
      if (!cancellationCodes(err)) throw err;
    }
  }
}
