// Reads the store ports do not offer, straight from the table: the per-code view the audit needs and
// the backorder count. Read-only, consistent reads, projections without the sealed code value.
import { BatchGetCommand, QueryCommand, type BatchGetCommandOutput, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { backorderPk, codeSk, skuPk } from '../functions/core/keys';

/** A code item as the audit sees it: ids, status and pointers, never the value. */
export interface CodeRow {
  codeId: string;
  status?: string;
  /** Present while the code is in the available index. */
  availPk?: string;
  orderPk?: string;
  unitSk?: string;
}

/** An order unit item, as far as the audit's back-pointer check needs it. */
export interface UnitRow {
  pk: string;
  sk: string;
  sku?: string;
  state?: string;
  codeId?: string;
}

type Item = Record<string, unknown>;

async function queryAll(db: DynamoDBDocumentClient, input: ConstructorParameters<typeof QueryCommand>[0]): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const res = await db.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    items.push(...(res.Items ?? []));
    start = res.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Every code item of a SKU, whatever its status (a consistent query of the SKU's partition). */
export async function readCodeRows(db: DynamoDBDocumentClient, table: string, sku: string): Promise<CodeRow[]> {
  const items = await queryAll(db, {
    TableName: table,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :code)',
    ExpressionAttributeValues: { ':pk': skuPk(sku), ':code': codeSk('') },
    ProjectionExpression: 'sk, #status, availPk, orderPk, unitSk',
    ExpressionAttributeNames: { '#status': 'status' },
    ConsistentRead: true,
  });
  return items.map((item) => ({
    codeId: (item.sk as string).slice(codeSk('').length),
    status: item.status as string | undefined,
    availPk: item.availPk as string | undefined,
    orderPk: item.orderPk as string | undefined,
    unitSk: item.unitSk as string | undefined,
  }));
}

export const unitKey = (pk: string, sk: string) => `${pk}|${sk}`;

/** The units at the given keys (missing ones are absent), read consistently 100 at a time. */
export async function readUnitRows(db: DynamoDBDocumentClient, table: string, keys: Array<{ pk: string; sk: string }>): Promise<Map<string, UnitRow>> {
  const found = new Map<string, UnitRow>();
  const unique = [...new Map(keys.map((k) => [unitKey(k.pk, k.sk), k])).values()];
  for (let i = 0; i < unique.length; i += 100) {
    let pending: Item[] | undefined = unique.slice(i, i + 100);
    for (let attempt = 0; pending && pending.length > 0; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 50 * 2 ** attempt)));
      const res: BatchGetCommandOutput = await db.send(
        new BatchGetCommand({
          RequestItems: {
            [table]: { Keys: pending, ConsistentRead: true, ProjectionExpression: 'pk, sk, sku, #state, codeId', ExpressionAttributeNames: { '#state': 'state' } },
          },
        }),
      );
      for (const item of res.Responses?.[table] ?? []) {
        const row = item as UnitRow;
        found.set(unitKey(row.pk, row.sk), row);
      }
      pending = res.UnprocessedKeys?.[table]?.Keys;
      if (attempt >= 10 && pending?.length) throw new Error(`DynamoDB kept ${pending.length} unit reads unprocessed; try again`);
    }
  }
  return found;
}

/** Backordered units waiting for stock, counted up to `atMost`. */
export async function countBackorders(db: DynamoDBDocumentClient, table: string, sku: string, atMost: number): Promise<number> {
  let count = 0;
  let start: Item | undefined;
  do {
    const res = await db.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': backorderPk(sku) },
        Select: 'COUNT',
        ConsistentRead: true,
        Limit: atMost - count,
        ExclusiveStartKey: start,
      }),
    );
    count += res.Count ?? 0;
    start = res.LastEvaluatedKey;
  } while (start && count < atMost);
  return Math.min(count, atMost);
}
