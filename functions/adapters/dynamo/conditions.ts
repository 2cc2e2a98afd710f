// Translating DynamoDB condition failures into outcomes the stores can return.
import { TransactWriteCommand, type DynamoDBDocumentClient, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';

export const isConditionFailure = (err: unknown): boolean =>
  (err as { name?: string })?.name === 'ConditionalCheckFailedException';

/** Per-item reasons of a cancelled transaction, e.g. ['ConditionalCheckFailed', 'None']. */
export function cancellationCodes(err: unknown): string[] | undefined {
  const e = err as { name?: string; CancellationReasons?: Array<{ Code?: string }> };
  if (e?.name !== 'TransactionCanceledException') return undefined;
  return (e.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
}


/** A transaction lost to a concurrent one on the same item (no condition failed). */
export const CONFLICT = -1;

/**
 * Runs a transaction. Returns undefined when it committed, or the index of the first item whose
 * condition failed. A cancellation by a concurrent transaction is thrown (the caller's retry handles
 * it), unless `conflicts: 'return'`, then it returns CONFLICT.
 */
export async function transactWrite(
  db: DynamoDBDocumentClient,
  items: NonNullable<TransactWriteCommandInput['TransactItems']>,
  conflicts: 'throw' | 'return' = 'throw',
): Promise<number | undefined> {
  try {
    await db.send(new TransactWriteCommand({ TransactItems: items }));
    return undefined;
  } catch (err) {
    const codes = cancellationCodes(err);
    if (!codes) throw err;
    const failed = codes.indexOf('ConditionalCheckFailed');
    if (failed >= 0) return failed;
    if (conflicts === 'return' && codes.includes('TransactionConflict')) return CONFLICT;
    throw err;
  }
}

/** Runs one conditional write: true when it was applied, false when its condition failed. */
export async function conditionalWrite(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (err) {
    if (isConditionFailure(err)) return false;
    throw err;
  }
}
