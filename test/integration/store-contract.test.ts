// The store contract against DynamoDB Local: the real stores, as the functions build them.
import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { localCodeVault } from '#local/code-vault';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#local/engines';
import { createTable } from '#local/provision';
import { describeStoreContract } from '#test/contract/store-contract';
import { createStores } from '#wiring/stores';

// Each case is a handful of requests, but a loaded CI machine made one of them take over jest's 5 s.
jest.setTimeout(30_000);

const dynamo = new DynamoDBClient({ endpoint: process.env.TEST_DYNAMO_ENDPOINT, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });

describeStoreContract(
  'DynamoDB Local',
  async () => {
    const table = `contract-${randomBytes(3).toString('hex')}`;
    await createTable(dynamo, table);
    return createStores({ TABLE_NAME: table, AVAILABLE_SHARDS: 4 }, dynamo, localCodeVault());
  },
  async () => dynamo.destroy(),
);
