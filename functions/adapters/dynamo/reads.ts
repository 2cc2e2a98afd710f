// Paged and batched reads shared by the stores and the CLI.
import { BatchGetCommand, QueryCommand, type BatchGetCommandOutput, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { untilProcessed } from './batches';

type Item = Record<string, unknown>;

/** Every item a query matches, page after page. */
export async function queryAll(db: DynamoDBDocumentClient, input: Omit<QueryCommandInput, 'ExclusiveStartKey'>): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const res = await db.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    items.push(...(res.Items ?? []));
    start = res.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Counts what a query matches, reading no further than `atMost` items: a bounded answer, not a scan. */
export async function countUpTo(db: DynamoDBDocumentClient, input: Omit<QueryCommandInput, 'ExclusiveStartKey' | 'Select' | 'Limit'>, atMost: number): Promise<number> {
  let count = 0;
  let start: Item | undefined;
  while (count < atMost) {
    const res = await db.send(new QueryCommand({ ...input, Select: 'COUNT', Limit: atMost - count, ExclusiveStartKey: start }));
    count += res.Count ?? 0;
    start = res.LastEvaluatedKey;
    if (!start) break;
  }
  return Math.min(count, atMost);
}

/**
 * BatchGetItem of any number of keys, 100 per call, retrying unprocessed keys with backoff (DynamoDB
 * returns them when throttled) and giving up after 10 attempts per batch.
 */
export async function batchGetAll(
  db: DynamoDBDocumentClient,
  table: string,
  keys: Item[],
  options: { consistentRead?: boolean; projection?: string; names?: Record<string, string> } = {},
): Promise<Item[]> {
  const found: Item[] = [];
  for (let i = 0; i < keys.length; i += 100) {
    await untilProcessed(
      keys.slice(i, i + 100),
      async (pending) => {
        const res: BatchGetCommandOutput = await db.send(
          new BatchGetCommand({
            RequestItems: {
              [table]: {
                Keys: pending,
                ConsistentRead: options.consistentRead,
                ProjectionExpression: options.projection,
                ExpressionAttributeNames: options.names,
              },
            },
          }),
        );
        found.push(...(res.Responses?.[table] ?? []));
        return res.UnprocessedKeys?.[table]?.Keys;
      },
      'reads',
    );
  }
  return found;
}
