// What the variant reads back from its own table: when the first unit was backordered, and the reorder
// records of the SKU. Raw items by key prefix, not the stores' ports: those are changing with the
// restock core, the key layout (adapters/dynamo/keys.ts) is not.
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryAll } from '#adapters/dynamo/reads';
import { reorderSk, skuPk, UNIT_PREFIX } from '#adapters/dynamo/keys';
import type { ReorderTrace } from './protocol';

/** States of a reorder that is still with the supplier (or about to be). */
const IN_FLIGHT = new Set(['PLACING', 'PENDING']);

/** Epoch ms of the earliest `backorderedAt` on any unit in the table (the variant's table holds only its burst). */
export async function firstBackorderAt(db: DynamoDBDocumentClient, table: string): Promise<number | null> {
  let first: number | null = null;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({
        TableName: table,
        FilterExpression: 'begins_with(sk, :unit) AND attribute_exists(backorderedAt)',
        ExpressionAttributeValues: { ':unit': UNIT_PREFIX },
        ProjectionExpression: 'backorderedAt',
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      const at = Date.parse(String(item.backorderedAt));
      if (Number.isFinite(at) && (first === null || at < first)) first = at;
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return first;
}

export async function reordersOf(db: DynamoDBDocumentClient, table: string, sku: string): Promise<ReorderTrace[]> {
  const items = await queryAll(db, {
    TableName: table,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :reorder)',
    ExpressionAttributeValues: { ':pk': skuPk(sku), ':reorder': reorderSk('') },
    ConsistentRead: true,
  });
  return items
    .map((item) => ({ quantity: Number(item.quantity), state: String(item.state), createdAt: String(item.createdAt ?? ''), codesReceived: Number(item.codesReceived ?? 0) }))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

export const anyInFlight = (reorders: ReorderTrace[]) => reorders.some((r) => IN_FLIGHT.has(r.state));
