// The per-SKU reorder lease (`activeReorder` on the SKU config item) and the reorder records it points to.
// Every write by a holder is conditional on its token (`activeReorder.pollId`), so exactly one actor at
// a time can call the supplier for a reorder.
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ActiveReorder, ReorderOutcome, ReorderRecord, ReorderRequest, ReorderState, ReorderStore } from '#core/ports/reorders';
import { conditionally, mustApply, transact } from './conditions';
import { CONFIG_SK, reorderSk, skuPk } from './keys';

export class DynamoReorderStore implements ReorderStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly table: string) {}

  private configKey = (sku: string) => ({ pk: skuPk(sku), sk: CONFIG_SK });
  private recordKey = (sku: string, reorderId: string) => ({ pk: skuPk(sku), sk: reorderSk(reorderId) });

  async getReorderStatus(sku: string): Promise<{ active?: ActiveReorder; blockedUntil?: string }> {
    const res = await this.db.send(
      new GetCommand({ TableName: this.table, Key: this.configKey(sku), ConsistentRead: true, ProjectionExpression: 'activeReorder, reorderBlockedUntil' }),
    );
    return { active: res.Item?.activeReorder as ActiveReorder | undefined, blockedUntil: res.Item?.reorderBlockedUntil as string | undefined };
  }

  async getReorder(sku: string, reorderId: string): Promise<ReorderRecord | undefined> {
    const res = await this.db.send(new GetCommand({ TableName: this.table, Key: this.recordKey(sku, reorderId), ConsistentRead: true }));
    if (!res.Item) return undefined;
    const { pk: _pk, sk: _sk, ...record } = res.Item;
    return record as ReorderRecord;
  }

  async startReorder(sku: string, reorder: ActiveReorder & ReorderRequest & { pollId: string }): Promise<boolean> {
    const { reorderId, state, leaseUntil, quantity, createdAt, pollId } = reorder;
    const outcome = await transact(
      this.db,
      [
        {
          name: 'noReorderInFlight',
          write: {
            Update: {
              TableName: this.table,
              Key: this.configKey(sku),
              UpdateExpression: 'SET activeReorder = :active',
              ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(activeReorder)',
              ExpressionAttributeValues: { ':active': { reorderId, state, leaseUntil, quantity, createdAt, pollId } },
            },
          },
        },
        {
          name: 'reorderIsNew',
          write: {
            Put: {
              TableName: this.table,
              Item: { ...this.recordKey(sku, reorderId), ...reorder, sku, codesReceived: 0, supplierOrderIds: [] },
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

  async takeLease(sku: string, reorderId: string, take: { presented?: string; now: string; holder: string; leaseUntil: string }): Promise<boolean> {
    const outcome = await conditionally(this.db, 'leaseFreeOrHanded', {
      Update: {
        TableName: this.table,
        Key: this.configKey(sku),
        UpdateExpression: 'SET activeReorder.leaseUntil = :until, activeReorder.pollId = :holder',
        ConditionExpression: `activeReorder.reorderId = :id AND (activeReorder.leaseUntil < :now${take.presented ? ' OR activeReorder.pollId = :presented' : ''})`,
        ExpressionAttributeValues: { ':id': reorderId, ':now': take.now, ':until': take.leaseUntil, ':holder': take.holder, ...(take.presented ? { ':presented': take.presented } : {}) },
      },
    });
    return outcome.ok;
  }

  async updateReorder(
    sku: string,
    reorderId: string,
    holder: string,
    update: { state: ReorderState; codesReceived?: number; supplierOrderIds?: string[]; leaseUntil?: string; nextHolder?: string },
  ): Promise<void> {
    const activeSets = ['activeReorder.#state = :state'];
    const activeValues: Record<string, unknown> = { ':id': reorderId, ':holder': holder, ':state': update.state };
    if (update.leaseUntil) {
      activeSets.push('activeReorder.leaseUntil = :until');
      activeValues[':until'] = update.leaseUntil;
    }
    if (update.nextHolder) {
      activeSets.push('activeReorder.pollId = :next');
      activeValues[':next'] = update.nextHolder;
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
        name: 'leaseIsHolders',
        write: {
          Update: {
            TableName: this.table,
            Key: this.configKey(sku),
            UpdateExpression: `SET ${activeSets.join(', ')}`,
            ConditionExpression: 'activeReorder.reorderId = :id AND activeReorder.pollId = :holder',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: activeValues,
          },
        },
      },
      {
        name: 'reorderRecord',
        write: {
          Update: { TableName: this.table, Key: this.recordKey(sku, reorderId), UpdateExpression: `SET ${recordSets.join(', ')}`, ExpressionAttributeNames: { '#state': 'state' }, ExpressionAttributeValues: recordValues },
        },
      },
    ]);
    mustApply(outcome, `Reorder ${reorderId} of SKU ${sku} is no longer held by this caller`);
  }

  async finishReorder(sku: string, reorderId: string, holder: string, outcome: ReorderOutcome): Promise<void> {
    const recordSets = ['#state = :state', 'finishedAt = :now'];
    const recordValues: Record<string, unknown> = { ':state': outcome.state, ':now': new Date().toISOString() };
    if (outcome.state !== 'COMPLETED') {
      recordSets.push('failureReason = :reason');
      recordValues[':reason'] = outcome.failureReason;
    }
    if (outcome.state === 'STUCK') {
      recordSets.push('lateCheckId = :late', 'lateCheckUntil = :lateUntil');
      Object.assign(recordValues, { ':late': outcome.lateCheckId, ':lateUntil': outcome.lateCheckUntil });
    }
    // Finished already by a concurrent holder (the condition fails): nothing left to do.
    await transact(this.db, [
      {
        name: 'leaseIsHolders',
        write: {
          Update: {
            TableName: this.table,
            Key: this.configKey(sku),
            UpdateExpression: 'REMOVE activeReorder SET lastReorderId = :id, reorderBlockedUntil = :blocked',
            ConditionExpression: 'activeReorder.reorderId = :id AND activeReorder.pollId = :holder',
            ExpressionAttributeValues: { ':id': reorderId, ':holder': holder, ':blocked': outcome.blockedUntil },
          },
        },
      },
      {
        name: 'reorderRecord',
        write: {
          Update: { TableName: this.table, Key: this.recordKey(sku, reorderId), UpdateExpression: `SET ${recordSets.join(', ')}`, ExpressionAttributeNames: { '#state': 'state' }, ExpressionAttributeValues: recordValues },
        },
      },
    ]);
  }

  async passLateCheck(sku: string, reorderId: string, presented: string, next: string | undefined): Promise<boolean> {
    const outcome = await conditionally(this.db, 'lateCheckIsOurs', {
      Update: {
        TableName: this.table,
        Key: this.recordKey(sku, reorderId),
        UpdateExpression: next ? 'SET lateCheckId = :next' : 'REMOVE lateCheckId',
        ConditionExpression: 'lateCheckId = :presented',
        ExpressionAttributeValues: { ':presented': presented, ...(next ? { ':next': next } : {}) },
      },
    });
    return outcome.ok;
  }
}
