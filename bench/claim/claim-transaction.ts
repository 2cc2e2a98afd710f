// The project's claim transaction (DynamoClaimStore's claimTransactionItems, NEW mode) for the
// comparison strategies, so naive, unsafe and ceiling write exactly what `sharded` writes and the ratios
// isolate the candidate strategy. test/unit/bench-claim-transaction.test.ts checks both.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Candidate } from '#adapters/dynamo/claim-candidates';
import { claimTransactionItems } from '#adapters/dynamo/claim-store';
import { CONFLICT, transact, type Clause } from '#adapters/dynamo/conditions';

/** The fields of a new order unit the claim writes (the claim store's NewUnit). */
export interface BenchUnit {
  storeId: string;
  orderId: string;
  unitId: string;
  lineId: string;
  sku: string;
  receivedAt: string;
}

/**
 * The store's own claim clauses for a NEW unit. With `conditional: false` the code update loses its
 * condition: the read-then-write of the unsafe strategy.
 */
export function claimItems(table: string, unit: BenchUnit, code: Candidate, now: string, conditional = true): Clause[] {
  const clauses: Clause[] = claimTransactionItems(table, unit, code, 'NEW', now);
  if (conditional) return clauses;
  const [check, putUnit, reserveCode] = clauses;
  const update = (reserveCode.write as { Update: Record<string, unknown> & { ExpressionAttributeValues: Record<string, unknown> } }).Update;
  const { ConditionExpression: _condition, ExpressionAttributeValues, ...unconditional } = update;
  const { ':available': _available, ...values } = ExpressionAttributeValues;
  return [check, putUnit, { name: reserveCode.name, write: { Update: { ...unconditional, ExpressionAttributeValues: values } as never } }];
}

/** CLAIMED, or LOST when the code was taken or the transaction conflicted on it (a wasted write). */
export async function tryClaimCode(db: DynamoDBDocumentClient, table: string, unit: BenchUnit, code: Candidate, conditional = true): Promise<'CLAIMED' | 'LOST'> {
  const outcome = await transact(db, claimItems(table, unit, code, new Date().toISOString(), conditional), 'return');
  if (outcome.ok) return 'CLAIMED';
  if (outcome.failed === 'codeAvailable' || outcome.failed === CONFLICT) return 'LOST';
  // Every bench unit is new and its order is never cancelled: anything else is a harness bug.
  throw new Error(`Claim transaction failed on ${outcome.failed} (order check or unit put), not on the code`);
}
