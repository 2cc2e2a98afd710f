// Reads the store ports do not offer, straight from the table: the per-code view the audit needs and
// the backorder count. Read-only, consistent reads, projections without the sealed code value.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGetAll, countUpTo, queryAll } from '#adapters/dynamo/reads';
import { backorderPk, codePartitions, codeSk } from '#adapters/dynamo/keys';

/** A code item as the audit sees it: ids, status and pointers, never the value. */
export interface CodeRow {
  codeId: string;
  /** The partition the item is in: the SKU's one partition (codes stored before sharding) or one of its shards. */
  pk?: string;
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
  /** Where the claim found its code (absent on units claimed before code items were sharded). */
  codeKey?: string;
  /** Set once a sender committed to sending the unit's code. */
  sendStartedAt?: string;
}

/** Every code item of a SKU, whatever its status (consistent queries of each partition that may hold its codes). */
export async function readCodeRows(db: DynamoDBDocumentClient, table: string, sku: string): Promise<CodeRow[]> {
  const reads = codePartitions(sku).map((pk) =>
    queryAll(db, {
      TableName: table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :code)',
      ExpressionAttributeValues: { ':pk': pk, ':code': codeSk('') },
      ProjectionExpression: 'pk, sk, #status, availPk, orderPk, unitSk',
      ExpressionAttributeNames: { '#status': 'status' },
      ConsistentRead: true,
    }),
  );
  const items = (await Promise.all(reads)).flat();
  return items.map((item) => ({
    codeId: (item.sk as string).slice(codeSk('').length),
    pk: item.pk as string,
    status: item.status as string | undefined,
    availPk: item.availPk as string | undefined,
    orderPk: item.orderPk as string | undefined,
    unitSk: item.unitSk as string | undefined,
  }));
}

export const unitKey = (pk: string, sk: string) => `${pk}|${sk}`;

/** The units at the given keys (missing ones are absent), read consistently. */
export async function readUnitRows(db: DynamoDBDocumentClient, table: string, keys: Array<{ pk: string; sk: string }>): Promise<Map<string, UnitRow>> {
  const unique = [...new Map(keys.map((k) => [unitKey(k.pk, k.sk), k])).values()];
  const items = await batchGetAll(db, table, unique, { consistentRead: true, projection: 'pk, sk, sku, #state, codeId, codeKey, sendStartedAt', names: { '#state': 'state' } });
  return new Map(items.map((item) => [unitKey(item.pk as string, item.sk as string), item as unknown as UnitRow]));
}

/** Backordered units waiting for stock, counted up to `atMost`. */
export function countBackorders(db: DynamoDBDocumentClient, table: string, sku: string, atMost: number): Promise<number> {
  return countUpTo(db, { TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': backorderPk(sku) }, ConsistentRead: true }, atMost);
}
