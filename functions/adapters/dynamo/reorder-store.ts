// The per-SKU reorder lanes (`activeReorder`, `activeReorder1`.. on the SKU config item) and the reorder
// records they point to. Every write by a holder is conditional on its lane's token (`pollId`), so
// exactly one actor at a time calls the supplier for a reorder; a start is conditional on the SKU's
// `reorderVersion`, so two decisions that looked at the same demand cannot both buy for it.
import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  REORDER_LANES,
  type ActiveReorder,
  type LaneRef,
  type ReorderOutcome,
  type ReorderProgress,
  type RecentReorder,
  type ReorderRecord,
  type ReorderStart,
  type ReorderStatus,
  type ReorderStore,
} from '#core/ports/reorders';
import { conditionally, mustApply, transact } from './conditions';
import { CONFIG_SK, reorderSk, skuPk } from './keys';

/** Lane 0 keeps the attribute name of the single lease before lanes existed. */
export const laneAttribute = (lane: number) => {
  if (!Number.isInteger(lane) || lane < 0 || lane >= REORDER_LANES) throw new Error(`Reorder lane ${lane} does not exist`);
  return lane === 0 ? 'activeReorder' : `activeReorder${lane}`;
};
/** Reorder records `recentReorders` returns: twice the lanes, so every reorder that can have just finished is among them. */
const RECENT_RECORDS = 2 * REORDER_LANES;
const LANE_ATTRIBUTES = Array.from({ length: REORDER_LANES }, (_, lane) => laneAttribute(lane));

export class DynamoReorderStore implements ReorderStore {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly table: string) {}

  private configKey = (sku: string) => ({ pk: skuPk(sku), sk: CONFIG_SK });
  private recordKey = (sku: string, reorderId: string) => ({ pk: skuPk(sku), sk: reorderSk(reorderId) });

  async getReorderStatus(sku: string): Promise<ReorderStatus> {
    const res = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: this.configKey(sku),
        ConsistentRead: true,
        ProjectionExpression: [...LANE_ATTRIBUTES, 'reorderBlockedUntil', 'supplierBlockedUntil', 'reorderVersion', 'reorderWakeAt'].join(', '),
      }),
    );
    const item = res.Item ?? {};
    const active = LANE_ATTRIBUTES.flatMap((name, lane) => (item[name] ? [{ ...(item[name] as ActiveReorder), lane }] : []));
    return {
      active,
      blockedUntil: item.reorderBlockedUntil as string | undefined,
      supplierBlockedUntil: (item.supplierBlockedUntil as Record<string, string> | undefined) ?? {},
      version: (item.reorderVersion as number | undefined) ?? 0,
      wakeAt: item.reorderWakeAt as string | undefined,
    };
  }

  async getReorder(sku: string, reorderId: string): Promise<ReorderRecord | undefined> {
    const res = await this.db.send(new GetCommand({ TableName: this.table, Key: this.recordKey(sku, reorderId), ConsistentRead: true }));
    if (!res.Item) return undefined;
    const { pk: _pk, sk: _sk, ...record } = res.Item;
    return record as ReorderRecord;
  }

  async recentReorders(sku: string): Promise<RecentReorder[]> {
    // Record ids start with their creation time: newest first, a dozen covers every lane twice over.
    const res = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :records)',
        ExpressionAttributeValues: { ':pk': skuPk(sku), ':records': reorderSk('') },
        ProjectionExpression: 'quantity, codesReceived, finishedAt',
        ScanIndexForward: false,
        Limit: RECENT_RECORDS,
        ConsistentRead: true,
      }),
    );
    return (res.Items ?? []).map((item) => ({
      quantity: item.quantity as number,
      codesReceived: (item.codesReceived as number | undefined) ?? 0,
      ...(typeof item.finishedAt === 'string' && { finishedAt: item.finishedAt }),
    }));
  }

  async startReorder(sku: string, reorder: ReorderStart, seenVersion: number): Promise<boolean> {
    const { reorderId, lane, state, leaseUntil, quantity, createdAt, pollId, supplier, productId, unitPrice } = reorder;
    const outcome = await transact(
      this.db,
      [
        {
          name: 'laneFreeAndNothingStarted',
          write: {
            Update: {
              TableName: this.table,
              Key: this.configKey(sku),
              // The supplier-block map is created here, so a finish can always set one entry of it.
              UpdateExpression: 'SET #lane = :active, reorderVersion = :next, supplierBlockedUntil = if_not_exists(supplierBlockedUntil, :none)',
              ConditionExpression: `attribute_exists(pk) AND attribute_not_exists(#lane) AND ${seenVersion === 0 ? 'attribute_not_exists(reorderVersion)' : 'reorderVersion = :seen'}`,
              ExpressionAttributeNames: { '#lane': laneAttribute(lane) },
              ExpressionAttributeValues: {
                ':active': { reorderId, state, leaseUntil, quantity, createdAt, pollId, supplier, productId, unitPrice, codesReceived: 0 },
                ':next': seenVersion + 1,
                ':none': {},
                ...(seenVersion === 0 ? {} : { ':seen': seenVersion }),
              },
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
    // The lane is taken, or another decision started a reorder since we looked: either way not ours.
    return outcome.ok;
  }

  async takeLease(sku: string, at: LaneRef, take: { presented?: string; now: string; holder: string; leaseUntil: string }): Promise<boolean> {
    const outcome = await conditionally(this.db, 'leaseFreeOrHanded', {
      Update: {
        TableName: this.table,
        Key: this.configKey(sku),
        UpdateExpression: 'SET #lane.leaseUntil = :until, #lane.pollId = :holder',
        ConditionExpression: `#lane.reorderId = :id AND (#lane.leaseUntil < :now${take.presented ? ' OR #lane.pollId = :presented' : ''})`,
        ExpressionAttributeNames: { '#lane': laneAttribute(at.lane) },
        ExpressionAttributeValues: { ':id': at.reorderId, ':now': take.now, ':until': take.leaseUntil, ':holder': take.holder, ...(take.presented ? { ':presented': take.presented } : {}) },
      },
    });
    return outcome.ok;
  }

  async updateReorder(
    sku: string,
    at: LaneRef,
    holder: string,
    update: ReorderProgress,
  ): Promise<void> {
    const activeSets = ['#lane.#state = :state'];
    const activeValues: Record<string, unknown> = { ':id': at.reorderId, ':holder': holder, ':state': update.state };
    if (update.leaseUntil) {
      activeSets.push('#lane.leaseUntil = :until');
      activeValues[':until'] = update.leaseUntil;
    }
    if (update.nextHolder) {
      activeSets.push('#lane.pollId = :next');
      activeValues[':next'] = update.nextHolder;
    }
    if (update.attempted) {
      activeSets.push('#lane.attempted = :attempted');
      activeValues[':attempted'] = true;
    }
    // Progress is only written when known: a retry after an unknown outcome keeps what was recorded.
    const recordSets = ['#state = :state', 'updatedAt = :now'];
    const recordValues: Record<string, unknown> = { ':state': update.state, ':now': new Date().toISOString() };
    if (update.codesReceived !== undefined) {
      activeSets.push('#lane.codesReceived = :codes');
      activeValues[':codes'] = update.codesReceived;
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
            ConditionExpression: '#lane.reorderId = :id AND #lane.pollId = :holder',
            ExpressionAttributeNames: { '#lane': laneAttribute(at.lane), '#state': 'state' },
            ExpressionAttributeValues: activeValues,
          },
        },
      },
      {
        name: 'reorderRecord',
        write: {
          Update: { TableName: this.table, Key: this.recordKey(sku, at.reorderId), UpdateExpression: `SET ${recordSets.join(', ')}`, ExpressionAttributeNames: { '#state': 'state' }, ExpressionAttributeValues: recordValues },
        },
      },
    ]);
    mustApply(outcome, `Reorder ${at.reorderId} of SKU ${sku} is no longer held by this caller`);
  }

  async finishReorder(sku: string, at: LaneRef, holder: string, outcome: ReorderOutcome): Promise<void> {
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
    const configSets = ['lastReorderId = :id'];
    const configNames: Record<string, string> = { '#lane': laneAttribute(at.lane) };
    const configValues: Record<string, unknown> = { ':id': at.reorderId, ':holder': holder };
    if ('blockedUntil' in outcome) {
      configSets.push('reorderBlockedUntil = :blocked');
      configValues[':blocked'] = outcome.blockedUntil;
    }
    const block = 'blockSupplier' in outcome ? outcome.blockSupplier : undefined;
    if (block) {
      configSets.push('supplierBlockedUntil.#supplier = :supplierUntil');
      configNames['#supplier'] = block.supplier;
      configValues[':supplierUntil'] = block.until;
    }
    // Finished already by a concurrent holder (the condition fails): nothing left to do.
    await transact(this.db, [
      {
        name: 'leaseIsHolders',
        write: {
          Update: {
            TableName: this.table,
            Key: this.configKey(sku),
            UpdateExpression: `REMOVE #lane SET ${configSets.join(', ')}`,
            ConditionExpression: '#lane.reorderId = :id AND #lane.pollId = :holder',
            ExpressionAttributeNames: configNames,
            ExpressionAttributeValues: configValues,
          },
        },
      },
      {
        name: 'reorderRecord',
        write: {
          Update: { TableName: this.table, Key: this.recordKey(sku, at.reorderId), UpdateExpression: `SET ${recordSets.join(', ')}`, ExpressionAttributeNames: { '#state': 'state' }, ExpressionAttributeValues: recordValues },
        },
      },
    ]);
  }

  async scheduleWake(sku: string, at: string): Promise<boolean> {
    const outcome = await conditionally(this.db, 'noWakeByThen', {
      Update: {
        TableName: this.table,
        Key: this.configKey(sku),
        UpdateExpression: 'SET reorderWakeAt = :at',
        ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(reorderWakeAt) OR reorderWakeAt < :at)',
        ExpressionAttributeValues: { ':at': at },
      },
    });
    return outcome.ok;
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
