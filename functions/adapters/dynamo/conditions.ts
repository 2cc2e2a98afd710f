// Conditional writes with named clauses. Every write that carries a condition asks DynamoDB for the
// item as it was when the condition failed (`ReturnValuesOnConditionCheckFailure: ALL_OLD`), so a lost
// race comes back as the clause that failed plus the record that won, never as a position to decode
// and a read to repeat.
import {
  DeleteCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DeleteCommandInput,
  type DynamoDBDocumentClient,
  type PutCommandInput,
  type TransactWriteCommandInput,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';

export type Item = Record<string, unknown>;
type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** One write of a transaction, named after the condition it carries ("codeAvailable", "unitIsNew"). */
export interface Clause<Name extends string = string> {
  name: Name;
  write: TransactItem;
}

/** A transaction cancelled by a concurrent one on the same item: no condition failed. */
export const CONFLICT = 'CONFLICT' as const;

export type WriteOutcome<Name extends string> =
  | { ok: true }
  /** `item`: the item as it was when `failed` did not hold (absent when there was no item). */
  | { ok: false; failed: Name; item?: Item };

export type TransactOutcome<Name extends string> = WriteOutcome<Name> | { ok: false; failed: typeof CONFLICT };

/** Thrown where a failed condition means the caller's picture is wrong, not that it lost a race. */
export class ConditionFailedError extends Error {
  constructor(readonly clause: string, message: string, readonly item?: Item) {
    super(message);
    this.name = 'ConditionFailedError';
  }
}

export const isConditionFailure = (err: unknown): boolean => (err as { name?: string })?.name === 'ConditionalCheckFailedException';

interface CancellationReason {
  Code?: string;
  Item?: Record<string, unknown>;
}

/** Per-item reasons of a cancelled transaction (e.g. ['None', 'ConditionalCheckFailed']), or undefined. */
export function cancellationReasons(err: unknown): CancellationReason[] | undefined {
  const e = err as { name?: string; CancellationReasons?: CancellationReason[] };
  return e?.name === 'TransactionCanceledException' ? (e.CancellationReasons ?? []) : undefined;
}

// The SDK returns the failed item as raw attribute values, in exceptions (the document client converts responses only).
const plain = (raw: Record<string, unknown> | undefined): Item | undefined => (raw ? unmarshall(raw as never) : undefined);

const withOldItem = (write: TransactItem): TransactItem => {
  const [kind, body] = Object.entries(write)[0] as [keyof TransactItem, { ConditionExpression?: string }];
  return body?.ConditionExpression ? ({ [kind]: { ...body, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } } as TransactItem) : write;
};

/**
 * Runs a transaction of named clauses. The order of `clauses` is the precedence of the outcomes: when
 * several conditions fail, the first one listed is reported. A cancellation by a concurrent
 * transaction is thrown (the SDK's and the caller's retries handle it), unless `conflicts: 'return'`.
 */
export async function transact<Name extends string>(
  db: DynamoDBDocumentClient,
  clauses: ReadonlyArray<Clause<Name>>,
  conflicts: 'throw' | 'return' = 'throw',
): Promise<TransactOutcome<Name>> {
  try {
    await db.send(new TransactWriteCommand({ TransactItems: clauses.map((c) => withOldItem(c.write)) }));
    return { ok: true };
  } catch (err) {
    const reasons = cancellationReasons(err);
    if (!reasons) throw err;
    const index = reasons.findIndex((r) => r.Code === 'ConditionalCheckFailed');
    if (index >= 0) return { ok: false, failed: clauses[index].name, item: plain(reasons[index].Item) };
    if (conflicts === 'return' && reasons.some((r) => r.Code === 'TransactionConflict')) return { ok: false, failed: CONFLICT };
    throw err;
  }
}

export type ConditionalWrite = { Put: PutCommandInput } | { Update: UpdateCommandInput } | { Delete: DeleteCommandInput };

/** One conditional write named `name`: applied, or the clause that failed with the item that was there. */
export async function conditionally<Name extends string>(db: DynamoDBDocumentClient, name: Name, write: ConditionalWrite): Promise<WriteOutcome<Name>> {
  try {
    if ('Put' in write) await db.send(new PutCommand({ ...write.Put, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }));
    else if ('Update' in write) await db.send(new UpdateCommand({ ...write.Update, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }));
    else await db.send(new DeleteCommand({ ...write.Delete, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }));
    return { ok: true };
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
    return { ok: false, failed: name, item: plain((err as { Item?: Record<string, unknown> }).Item) };
  }
}

/** Throws `ConditionFailedError` for a failed outcome: for writes whose failure is a bug or a stale caller. */
export function mustApply<Name extends string>(outcome: TransactOutcome<Name>, message: string): void {
  if (!outcome.ok) throw new ConditionFailedError(outcome.failed, `${message} (${outcome.failed})`, 'item' in outcome ? outcome.item : undefined);
}
