// The per-SKU FIFO of backordered units: one item per waiting unit under `BACKORDER#<sku>`, sorted by
// when the order was paid, written in the same transaction as the unit itself.
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { BackorderEntry, BackorderOutcome, BackorderQueue } from '#core/ports/backorders';
import type { NewUnit, OrderUnit } from '#core/ports/orders';
import { batchDeleteAll } from './batches';
import { transact } from './conditions';
import { backorderKeyOf, orderNotCancelled, unitFrom, unitKeyOf } from './items';
import { backorderPk } from './keys';
import { countUpTo } from './reads';

export class DynamoBackorderQueue implements BackorderQueue {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly table: string) {}

  async backorder(unit: NewUnit): Promise<BackorderOutcome> {
    const outcome = await transact(this.db, [
      orderNotCancelled(this.table, unit),
      {
        name: 'unitIsNew',
        write: {
          Put: {
            TableName: this.table,
            Item: { ...unitKeyOf(unit), ...unit, state: 'BACKORDERED', backorderedAt: new Date().toISOString() },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      },
      {
        name: 'fifoEntry',
        write: {
          Put: {
            TableName: this.table,
            Item: { ...backorderKeyOf(unit), sku: unit.sku, storeId: unit.storeId, orderId: unit.orderId, unitId: unit.unitId, receivedAt: unit.receivedAt },
          },
        },
      },
    ]);
    if (outcome.ok) return { result: 'CREATED' };
    if (outcome.failed === 'orderNotCancelled') return { result: 'ORDER_CANCELLED' };
    return { result: 'EXISTS', unit: 'item' in outcome ? unitFrom(outcome.item) : undefined };
  }

  async cancelBackorder(unit: OrderUnit): Promise<boolean> {
    const outcome = await transact(this.db, [
      {
        name: 'unitBackordered',
        write: {
          Update: {
            TableName: this.table,
            Key: unitKeyOf(unit),
            UpdateExpression: 'SET #state = :cancelled',
            ConditionExpression: '#state = :backordered',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':cancelled': 'CANCELLED', ':backordered': 'BACKORDERED' },
          },
        },
      },
      { name: 'fifoEntry', write: { Delete: { TableName: this.table, Key: backorderKeyOf(unit) } } },
    ]);
    return outcome.ok;
  }

  async hasBackorders(sku: string): Promise<boolean> {
    return (await this.oldestBackorders(sku, 1)).length > 0;
  }

  async countBackorders(sku: string, atMost: number): Promise<number> {
    // Entries of units already reserved (their RESUME not yet queued) are not waiting any more.
    return countUpTo(
      this.db,
      { TableName: this.table, KeyConditionExpression: 'pk = :pk', FilterExpression: 'attribute_not_exists(reservedAt)', ExpressionAttributeValues: { ':pk': backorderPk(sku) }, ConsistentRead: true },
      atMost,
    );
  }

  async oldestBackorders(sku: string, limit: number): Promise<BackorderEntry[]> {
    const res = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': backorderPk(sku) },
        ConsistentRead: true,
        Limit: limit,
      }),
    );
    return (res.Items ?? []).map((item) => ({
      sku: item.sku,
      storeId: item.storeId,
      orderId: item.orderId,
      unitId: item.unitId,
      receivedAt: item.receivedAt,
      position: item.sk,
      ...(item.reservedAt !== undefined && { reserved: true }),
    }));
  }

  async removeBackorderEntries(entries: BackorderEntry[]): Promise<void> {
    // One request per 25 entries instead of one each: the entry has no condition to keep.
    await batchDeleteAll(this.db, this.table, entries.map((entry) => ({ pk: backorderPk(entry.sku), sk: entry.position })));
  }
}
