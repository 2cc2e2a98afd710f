// The per-SKU reorder lease (on the SKU config item) and the reorder records it points to.
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CONFIG_SK, reorderSk, skuPk } from './keys';
import type { ActiveReorder, ReorderState, ReorderStore } from '#core/ports/reorders';
import { conditionally, mustApply, transact } from './conditions';

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

  async startReorder(sku: string, reorder: ActiveReorder & { supplier: string }): Promise<boolean> {
    const { reorderId, state, leaseUntil, quantity, createdAt } = reorder;
    const outcome = await transact(
      this.db,
      [
        {
          name: 'noReorderInFlight',
          write: {
            Update: {
              TableName: this.table,
              Key: { pk: skuPk(sku), sk: CONFIG_SK },
              UpdateExpression: 'SET activeReorder = :active',
              ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(activeReorder)',
              ExpressionAttributeValues: { ':active': { reorderId, state, leaseUntil, quantity, createdAt } },
            },
          },
        },
        {
          name: 'reorderIsNew',
          write: {
            Put: {
              TableName: this.table,
              Item: { pk: skuPk(sku), sk: reorderSk(reorderId), sku, ...reorder, codesReceived: 0, supplierOrderIds: [] },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        },
      ],
      'return',
    );
    // Another reorder holds the SKU, or a concurrent start won: either way not ours.
    return outcome.ok;
  }

  async renewLease(sku: string, reorderId: string, expiredBefore: string, leaseUntil: string): Promise<boolean> {
    const outcome = await conditionally(this.db, 'leaseExpired', {
      Update: {
        TableName: this.table,
        Key: { pk: skuPk(sku), sk: CONFIG_SK },
        UpdateExpression: 'SET activeReorder.leaseUntil = :until',
        ConditionExpression: 'activeReorder.reorderId = :id AND activeReorder.leaseUntil < :expired',
        ExpressionAttributeValues: { ':id': reorderId, ':expired': expiredBefore, ':until': leaseUntil },
      },
    });
    return outcome.ok;
  }

  async updateReorder(
    sku: string,
    reorderId: string,
    update: { state: ReorderState; codesReceived?: number; supplierOrderIds?: string[]; leaseUntil?: string; pollId?: string },
  ): Promise<void> {
    const activeSets = ['activeReorder.#state = :state'];
    const activeValues: Record<string, unknown> = { ':id': reorderId, ':state': update.state };
    if (update.leaseUntil) {
      activeSets.push('activeReorder.leaseUntil = :until');
      activeValues[':until'] = update.leaseUntil;
    }
    if (update.pollId) {
      activeSets.push('activeReorder.pollId = :pollId');
      activeValues[':pollId'] = update.pollId;
    }
    // Progress is only written when known: a retry after an unknown outcome keeps what was recorded.
    const recordSets = ['#state = :state', 'updatedAt = :now'];
    const recordValues: Record<string, unknown> = { ':state': update.state, ':now': new Date().toISOString() };
    if (update.codesReceived !== undefined) {
      recordSets.push('codesReceived = :codes');
      recordValues[':codes'] = update.codesReceived;
    }
    if (update.supplierOrderIds !== undefined) {
      recordSets.push('supplierOrderIds = :ids');
      recordValues[':ids'] = update.supplierOrderIds;
    }
    const outcome = await transact(this.db, [
      {
        name: 'reorderIsActive',
        write: {
          Update: {
            TableName: this.table,
            Key: { pk: skuPk(sku), sk: CONFIG_SK },
            UpdateExpression: `SET ${activeSets.join(', ')}`,
            ConditionExpression: 'activeReorder.reorderId = :id',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: activeValues,
          },
        },
      },
      {
        name: 'reorderRecord',
        write: {
          Update: {
            TableName: this.table,
            Key: { pk: skuPk(sku), sk: reorderSk(reorderId) },
            UpdateExpression: `SET ${recordSets.join(', ')}`,
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: recordValues,
          },
        },
      },
    ]);
    mustApply(outcome, `Reorder ${reorderId} of SKU ${sku} is no longer the active one`);
  }

  async finishReorder(
    sku: string,
    reorderId: string,
    outcome: { state: 'COMPLETED'; blockedUntil: string } | { state: 'FAILED'; failureReason: string; blockedUntil: string },
  ): Promise<void> {
    const failed = outcome.state === 'FAILED' ? outcome : undefined;
    // Already finished by a concurrent poll (the condition fails): nothing left to do.
    await transact(this.db, [
      {
        name: 'reorderIsActive',
        write: {
          Update: {
            TableName: this.table,
            Key: { pk: skuPk(sku), sk: CONFIG_SK },
            UpdateExpression: 'REMOVE activeReorder SET lastReorderId = :id, reorderBlockedUntil = :blocked',
            ConditionExpression: 'activeReorder.reorderId = :id',
            ExpressionAttributeValues: { ':id': reorderId, ':blocked': outcome.blockedUntil },
          },
        },
      },
      {
        name: 'reorderRecord',
        write: {
          Update: {
            TableName: this.table,
            Key: { pk: skuPk(sku), sk: reorderSk(reorderId) },
            UpdateExpression: 'SET #state = :state, finishedAt = :now' + (failed ? ', failureReason = :reason' : ''),
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':state': outcome.state, ':now': new Date().toISOString(), ...(failed ? { ':reason': failed.failureReason } : {}) },
          },
        },
      },
    ]);
  }
}
