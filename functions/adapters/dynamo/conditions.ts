// Translating DynamoDB condition failures into outcomes the stores can return.

export const isConditionFailure = (err: unknown): boolean =>
  (err as { name?: string })?.name === 'ConditionalCheckFailedException';

/** Per-item reasons of a cancelled transaction, e.g. ['ConditionalCheckFailed', 'None']. */
export function cancellationCodes(err: unknown): string[] | undefined {
  const e = err as { name?: string; CancellationReasons?: Array<{ Code?: string }> };
  if (e?.name !== 'TransactionCanceledException') return undefined;
  return (e.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
}

export const failedAt = (codes: string[], index: number) => codes[index] === 'ConditionalCheckFailed';
export const conflicted = (codes: string[]) => codes.some((c) => c === 'TransactionConflict');
