// The DynamoDB stores every function builds from: one document client, the table name, the shards.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SecretReader } from '#adapters/aws/secrets';
import { CodeCipher } from '#adapters/crypto/code-cipher';
import { DynamoBackorderQueue } from '#adapters/dynamo/backorder-queue';
import { DynamoCatalogStore } from '#adapters/dynamo/catalog-store';
import { DynamoClaimStore } from '#adapters/dynamo/claim-store';
import { createDocumentClient } from '#adapters/dynamo/client';
import { DynamoLeaseStore } from '#adapters/dynamo/lease-store';
import { DynamoOrderStore } from '#adapters/dynamo/order-store';
import { DynamoReorderStore } from '#adapters/dynamo/reorder-store';
import { DynamoRevealStore } from '#adapters/dynamo/reveal-store';
import { DynamoSendStore } from '#adapters/dynamo/send-store';
import { DynamoStockStore } from '#adapters/dynamo/stock-store';
import { DynamoSupplierHealthStore } from '#adapters/dynamo/supplier-health-store';
import type { CoreDeps } from '#core/deps';
import type { Config } from './config';

export type Stores = Pick<CoreDeps, 'orders' | 'claims' | 'sends' | 'backorders' | 'stock' | 'catalog' | 'reorders' | 'leases' | 'supplierHealth' | 'reveals'>;

export async function loadCipher(config: Pick<Config, 'CODE_KEY_SECRET_NAME'>, secrets: SecretReader): Promise<CodeCipher> {
  const key = await secrets.get(config.CODE_KEY_SECRET_NAME);
  if (!key) throw new Error(`Secret ${config.CODE_KEY_SECRET_NAME} (the code encryption key) is missing`);
  return new CodeCipher(key);
}

export function createStores(config: Pick<Config, 'TABLE_NAME' | 'AVAILABLE_SHARDS'>, dynamo: DynamoDBClient, cipher: CodeCipher): Stores {
  const db = createDocumentClient(dynamo);
  const table = config.TABLE_NAME;
  const shards = config.AVAILABLE_SHARDS;
  return {
    orders: new DynamoOrderStore(db, table),
    claims: new DynamoClaimStore(db, table, { shards }),
    sends: new DynamoSendStore(db, table),
    backorders: new DynamoBackorderQueue(db, table),
    stock: new DynamoStockStore(db, table, cipher, { shards }),
    catalog: new DynamoCatalogStore(db, table),
    reorders: new DynamoReorderStore(db, table),
    leases: new DynamoLeaseStore(db, table),
    supplierHealth: new DynamoSupplierHealthStore(db, table),
    reveals: new DynamoRevealStore(db, table),
  };
}
