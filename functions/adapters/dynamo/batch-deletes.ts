// Deleting many items by key in as few requests as DynamoDB allows.
import { BatchWriteCommand, type BatchWriteCommandOutput, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

type Key = Record<string, unknown>;

const PER_REQUEST = 25;
const MAX_ATTEMPTS = 10;

/**
 * BatchWriteItem deletes, 25 keys per call, retrying the unprocessed ones with backoff (DynamoDB
 * returns them when throttled) and giving up after 10 attempts per batch. Unconditional, as a
 * batch write must be: only for items whose removal needs no condition.
 */
export async function batchDeleteAll(db: DynamoDBDocumentClient, table: string, keys: Key[]): Promise<void> {
  for (let i = 0; i < keys.length; i += PER_REQUEST) {
    let pending: Array<{ DeleteRequest?: { Key?: Key } }> | undefined = keys.slice(i, i + PER_REQUEST).map((Key) => ({ DeleteRequest: { Key } }));
    for (let attempt = 0; pending && pending.length > 0; attempt++) {
      if (attempt >= MAX_ATTEMPTS) throw new Error(`DynamoDB kept ${pending.length} deletes unprocessed after ${MAX_ATTEMPTS} attempts`);
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 50 * 2 ** attempt)));
      const res: BatchWriteCommandOutput = await db.send(new BatchWriteCommand({ RequestItems: { [table]: pending as never } }));
      pending = res.UnprocessedItems?.[table];
    }
  }
}
