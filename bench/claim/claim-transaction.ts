// The project's claim transaction (DynamoInventoryStore.claim, NEW mode) rebuilt for the comparison
// strategies, so naive, unsafe and ceiling write exactly what `sharded` writes and the ratios isolate
// the candidate strategy. test/unit/bench-claim-transaction.test.ts pins it to the store's items.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CONFLICT, transactWrite } from '../../functions/adapters/dynamo/conditions';
import { ORDER_META_SK, codeSk, orderPk, skuPk, unitSk } from '../../functions/core/keys';

/** The fields of a new order unit the claim writes (DynamoInventoryStore's NewUnit). */
export interface BenchUnit {
  storeId: string;
  orderId: string;
  unitId: string;
  lineId: string;
  sku: string;
  receivedAt: string;
}

/**
 * [order not cancelled, put unit (attribute_not_exists), code AVAILABLE → RESERVED]. With
 * `conditional: false` the code update has no condition: the read-then-write of the unsafe strategy.
 */
export function claimItems(table: string, unit: BenchUnit, codeId: string, now: string, conditional = true) {
  const unitKey = { pk: orderPk(unit.storeId, unit.orderId), sk: unitSk(unit.unitId) };
  const reserve = {
    TableName: table,
    Key: { pk: skuPk(unit.sku), sk: codeSk(codeId) },
    UpdateExpression: 'SET #status = :reserved, orderPk = :orderPk, unitSk = :unitSk, reservedAt = :now REMOVE availPk, availSk',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':reserved': 'RESERVED', ':orderPk': unitKey.pk, ':unitSk': unitKey.sk, ':now': now } as Record<string, unknown>,
  };
  const reserveCode = conditional
    ? { ...reserve, ConditionExpression: '#status = :available', ExpressionAttributeValues: { ...reserve.ExpressionAttributeValues, ':available': 'AVAILABLE' } }
    : reserve;
  return [
    { ConditionCheck: { TableName: table, Key: { pk: orderPk(unit.storeId, unit.orderId), sk: ORDER_META_SK }, ConditionExpression: 'attribute_not_exists(cancelledAt)' } },
    { Put: { TableName: table, Item: { ...unitKey, ...unit, state: 'RESERVED', codeId, reservedAt: now, sendStartedAt: now }, ConditionExpression: 'attribute_not_exists(pk)' } },
    { Update: reserveCode },
  ];
}

/** CLAIMED, or LOST when the code was taken or the transaction conflicted on it (a wasted write). */
export async function tryClaimCode(db: DynamoDBDocumentClient, table: string, unit: BenchUnit, codeId: string, conditional = true): Promise<'CLAIMED' | 'LOST'> {
  const failed = await transactWrite(db, claimItems(table, unit, codeId, new Date().toISOString(), conditional), 'return');
  if (failed === undefined) return 'CLAIMED';
  if (failed === 2 || failed === CONFLICT) return 'LOST';
  // Every bench unit is new and its order is never cancelled: anything else is a harness bug.
  throw new Error(`Claim transaction failed on item ${failed} (order check or unit put), not on the code`);
}
