// The project's claim transaction (DynamoInventoryStore's claimTransactionItems, NEW mode) for the
// comparison strategies, so naive, unsafe and ceiling write exactly what `sharded` writes and the ratios
// isolate the candidate strategy. test/unit/bench-claim-transaction.test.ts checks both.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CONFLICT, transactWrite } from '#adapters/dynamo/conditions';
import { claimTransactionItems } from '#adapters/dynamo/inventory-store';

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
 * The store's own claim items for a NEW unit. With `conditional: false` the code update loses its
 * condition: the read-then-write of the unsafe strategy.
 */
type StoreClaimItems = ReturnType<typeof claimTransactionItems>;
type ReserveCode = { Update: Omit<StoreClaimItems[2]['Update'], 'ConditionExpression'> & { ConditionExpression?: string } };

export function claimItems(table: string, unit: BenchUnit, codeId: string, now: string, conditional = true): [StoreClaimItems[0], StoreClaimItems[1], ReserveCode] {
  const [check, putUnit, reserveCode] = claimTransactionItems(table, unit, codeId, 'NEW', now);
  if (conditional) return [check, putUnit, reserveCode];
  const { ConditionExpression: _condition, ExpressionAttributeValues, ...unconditional } = reserveCode.Update;
  const { ':available': _available, ...values } = ExpressionAttributeValues;
  return [check, putUnit, { Update: { ...unconditional, ExpressionAttributeValues: values } }];
}

/** CLAIMED, or LOST when the code was taken or the transaction conflicted on it (a wasted write). */
export async function tryClaimCode(db: DynamoDBDocumentClient, table: string, unit: BenchUnit, codeId: string, conditional = true): Promise<'CLAIMED' | 'LOST'> {
  const failed = await transactWrite(db, claimItems(table, unit, codeId, new Date().toISOString(), conditional), 'return');
  if (failed === undefined) return 'CLAIMED';
  if (failed === 2 || failed === CONFLICT) return 'LOST';
  // Every bench unit is new and its order is never cancelled: anything else is a harness bug.
  throw new Error(`Claim transaction failed on item ${failed} (order check or unit put), not on the code`);
}
