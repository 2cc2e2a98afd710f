// The benchmark's own DynamoDB client and table: many keep-alive sockets, no SDK retries (a retry would
// hide a lost race), and the real table + `available` GSI schema from local/provision.ts.
import http from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '#adapters/dynamo/client';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#local/engines';
import { createTable } from '#local/provision';

export const MAX_SOCKETS = 512;

export interface BenchDb {
  db: DynamoDBDocumentClient;
  /** Closes the sockets of the keep-alive agent. */
  destroy(): void;
}

export function benchDb(endpoint: string): BenchDb {
  const httpAgent = new http.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS });
  const client = new DynamoDBClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
    requestHandler: { httpAgent, requestTimeout: 60_000 },
  });
  return {
    db: createDocumentClient(client),
    destroy: () => {
      client.destroy();
      httpAgent.destroy();
    },
  };
}

/** The stack's table shape (keys, `available` and `kind` GSIs, stream), under a benchmark name. */
export async function createBenchTable(endpoint: string, tableName: string): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 3 });
  try {
    await createTable(client, tableName);
  } finally {
    client.destroy();
  }
}
