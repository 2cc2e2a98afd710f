// Batch requests until DynamoDB has processed every item: what it leaves unprocessed (when throttled)
// is sent again with backoff. Shared by the batched reads and the batched deletes.
import { BatchWriteCommand, type BatchWriteCommandOutput, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

type Key = Record<string, unknown>;

const MAX_ATTEMPTS = 10;
const DELETES_PER_REQUEST = 25;

/**
 * Sends `first`, then whatever `send` reports unprocessed, waiting longer before each retry, and gives
 * up after 10 attempts. `what` names the items in the error ("reads", "deletes").
 */
export async function untilProcessed<T>(first: T[], send: (pending: T[]) => Promise<T[] | undefined>, what: string): Promise<void> {
  let pending: T[] | undefined = first;
  for (let attempt = 0; pending && pending.length > 0; attempt++) {
    if (attempt >= MAX_ATTEMPTS) throw new Error(`DynamoDB kept ${pending.length} ${what} unprocessed after ${MAX_ATTEMPTS} attempts`);
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 50 * 2 ** attempt)));
    pending = await send(pending);
  }
}

/**
 * BatchWriteItem deletes, 25 keys per call. Unconditional, as a batch write must be: only for items
 * whose removal needs no condition.
 */
export async function batchDeleteAll(db: DynamoDBDocumentClient, table: string, keys: Key[]): Promise<void> {
  for (let i = 0; i < keys.length; i += DELETES_PER_REQUEST) {
    const requests: Array<{ DeleteRequest?: { Key?: Key } }> = keys.slice(i, i + DELETES_PER_REQUEST).map((Key) => ({ DeleteRequest: { Key } }));
    await untilProcessed(
      requests,
      async (pending) => {
        const res: BatchWriteCommandOutput = await db.send(new BatchWriteCommand({ RequestItems: { [table]: pending as never } }));
        return res.UnprocessedItems?.[table];
      },
      'deletes',
    );
  }
}
