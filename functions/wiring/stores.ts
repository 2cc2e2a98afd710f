// The DynamoDB stores every function builds from: one document client, the table name, the shards.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SecretReader } from '#adapters/aws/secrets';
import { CodeIds } from '#adapters/crypto/code-ids';
import { CodeVault } from '#adapters/crypto/code-vault';
import { KmsDataKeys, LocalDataKeys, localCodeKeySecret, type DataKeyProvider } from '#adapters/crypto/data-keys';
import { LegacyCodeCipher } from '#adapters/crypto/legacy-code-cipher';
import { DynamoBackorderQueue } from '#adapters/dynamo/backorder-queue';
import { DynamoCatalogStore } from '#adapters/dynamo/catalog-store';
import { DynamoClaimStore } from '#adapters/dynamo/claim-store';
import { createDocumentClient } from '#adapters/dynamo/client';
import { DynamoLeaseStore } from '#adapters/dynamo/lease-store';
import { DynamoOrderStore } from '#adapters/dynamo/order-store';
import { DynamoReorderStore } from '#adapters/dynamo/reorder-store';
import { DynamoRevealStore } from '#adapters/dynamo/reveal-store';
import { DynamoSendStore } from '#adapters/dynamo/send-store';
import { DynamoStockStore, type VaultSource } from '#adapters/dynamo/stock-store';
import { DynamoSupplierHealthStore } from '#adapters/dynamo/supplier-health-store';
import type { CoreDeps } from '#core/deps';
import { createKmsClient } from './clients';
import type { Config } from './config';

export type Stores = Pick<CoreDeps, 'orders' | 'claims' | 'sends' | 'backorders' | 'stock' | 'catalog' | 'reorders' | 'leases' | 'supplierHealth' | 'reveals'>;

export type CodeKeyConfig = Pick<Config, 'CODE_ID_KEY_SECRET_NAME' | 'CODE_KEYS' | 'CODE_KEY_VERSION' | 'LEGACY_CODE_KEY_SECRET_NAME'>;

/** `1=alias/a,2=arn:…` → { 1: 'alias/a', 2: 'arn:…' }. */
export const parseCodeKeys = (value: string): Record<string, string> => Object.fromEntries(value.split(',').map((entry) => entry.split('=', 2) as [string, string]));

async function dataKeysOf(config: CodeKeyConfig, secrets: SecretReader): Promise<DataKeyProvider> {
  const keys = parseCodeKeys(config.CODE_KEYS);
  const versions = Object.keys(keys);
  if (!versions.includes(config.CODE_KEY_VERSION)) throw new Error(`CODE_KEY_VERSION ${config.CODE_KEY_VERSION} is not one of CODE_KEYS (${versions.join(', ')})`);
  if (!versions.some((version) => keys[version] === 'local')) return new KmsDataKeys(createKmsClient(), keys);
  const masters: Record<string, Buffer> = {};
  for (const version of versions) {
    const master = await secrets.get(localCodeKeySecret(version));
    if (!master) throw new Error(`Secret ${localCodeKeySecret(version)} (local code key version ${version}) is missing`);
    masters[version] = Buffer.from(master, 'base64');
  }
  return new LocalDataKeys(masters);
}

/** The codes' envelope encryption: ids keyed by the id key, data keys from KMS (or the local stand-in). */
export async function loadCodeVault(config: CodeKeyConfig, secrets: SecretReader): Promise<CodeVault> {
  const [idKey, legacyKey, dataKeys] = await Promise.all([
    secrets.get(config.CODE_ID_KEY_SECRET_NAME),
    config.LEGACY_CODE_KEY_SECRET_NAME ? secrets.get(config.LEGACY_CODE_KEY_SECRET_NAME) : undefined,
    dataKeysOf(config, secrets),
  ]);
  if (!idKey) throw new Error(`Secret ${config.CODE_ID_KEY_SECRET_NAME} (the code id key) is missing`);
  if (config.LEGACY_CODE_KEY_SECRET_NAME && !legacyKey) throw new Error(`Secret ${config.LEGACY_CODE_KEY_SECRET_NAME} (the legacy code key) is missing`);
  return new CodeVault(new CodeIds(idKey), dataKeys, { version: config.CODE_KEY_VERSION, ...(legacyKey && { legacy: new LegacyCodeCipher(legacyKey) }) });
}

export function createStores(config: Pick<Config, 'TABLE_NAME' | 'AVAILABLE_SHARDS'>, dynamo: DynamoDBClient, vault: VaultSource): Stores {
  const db = createDocumentClient(dynamo);
  const table = config.TABLE_NAME;
  const shards = config.AVAILABLE_SHARDS;
  return {
    orders: new DynamoOrderStore(db, table),
    claims: new DynamoClaimStore(db, table, { shards }),
    sends: new DynamoSendStore(db, table),
    backorders: new DynamoBackorderQueue(db, table),
    stock: new DynamoStockStore(db, table, vault, { shards }),
    catalog: new DynamoCatalogStore(db, table),
    reorders: new DynamoReorderStore(db, table),
    leases: new DynamoLeaseStore(db, table),
    supplierHealth: new DynamoSupplierHealthStore(db, table),
    reveals: new DynamoRevealStore(db, table),
  };
}
