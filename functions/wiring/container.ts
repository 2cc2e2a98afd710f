// Composition root: builds the core's dependencies from the configuration, once per container.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { createDocumentClient } from '#adapters/dynamo/client';
import { DynamoCatalogStore } from '#adapters/dynamo/catalog-store';
import { DynamoInventoryStore } from '#adapters/dynamo/inventory-store';
import { DynamoLeaseStore } from '#adapters/dynamo/lease-store';
import { DynamoOrderStore } from '#adapters/dynamo/order-store';
import { DynamoReorderStore } from '#adapters/dynamo/reorder-store';
import { SnsAlertPublisher } from '#adapters/aws/sns-alerts';
import { SqsOrderQueue, SqsReorderPollQueue } from '#adapters/aws/sqs-queues';
import type { SecretReader } from '#adapters/aws/secrets';
import { RecorderChannel } from '#adapters/channels/recorder';
import { SnsSmsChannel } from '#adapters/channels/sns-sms';
import { createSupplier } from '#adapters/suppliers/index';
import { CodeCipher } from '#adapters/crypto/code-cipher';
import type { CoreDeps } from '#core/deps';
import type { Supplier } from '#core/ports';
import { createDynamoClient, createSecretReader, createSqsClient } from './clients';
import { loadConfig, type Config } from './config';
import { coreLogger, tracer } from './powertools';

export { createSecretReader } from './clients';

export interface Clients {
  dynamo: DynamoDBClient;
  sqs: SQSClient;
  sns: SNSClient;
}

export function createClients(): Clients {
  // Endpoints come from AWS_ENDPOINT_URL_<SERVICE> locally; on AWS the defaults apply.
  return { dynamo: createDynamoClient(), sqs: createSqsClient(), sns: tracer.captureAWSv3Client(new SNSClient({})) };
}

async function loadCipher(config: Config, secrets: SecretReader): Promise<CodeCipher> {
  const key = await secrets.get(config.CODE_KEY_SECRET_NAME);
  if (!key) throw new Error(`Secret ${config.CODE_KEY_SECRET_NAME} (the code encryption key) is missing`);
  return new CodeCipher(key);
}

export async function createCoreDeps(config: Config, clients: Clients = createClients()): Promise<CoreDeps> {
  const secrets = createSecretReader(config);
  const db = createDocumentClient(clients.dynamo);
  const table = config.TABLE_NAME;
  const cipher = await loadCipher(config, secrets);
  const suppliers = new Map<string, Promise<Supplier | undefined>>();
  const supplier = (name: string) => {
    if (!suppliers.has(name)) {
      const created = secrets
        .get(`${config.SUPPLIER_SECRET_PREFIX}${name}`)
        .then((raw) => (raw ? createSupplier(name, JSON.parse(raw), { reloadlyBaseUrl: config.RELOADLY_BASE_URL, reloadlyAuthUrl: config.RELOADLY_AUTH_URL }) : undefined));
      // A failed secret read is not cached: the next reorder tries again.
      created.catch(() => suppliers.delete(name));
      suppliers.set(name, created);
    }
    return suppliers.get(name)!;
  };
  return {
    orders: new DynamoOrderStore(db, table),
    inventory: new DynamoInventoryStore(db, table, cipher, { shards: config.AVAILABLE_SHARDS }),
    catalog: new DynamoCatalogStore(db, table),
    reorders: new DynamoReorderStore(db, table),
    leases: new DynamoLeaseStore(db, table),
    orderQueue: new SqsOrderQueue(clients.sqs, config.ORDERS_QUEUE_URL),
    pollQueue: new SqsReorderPollQueue(clients.sqs, config.REORDER_POLL_QUEUE_URL),
    channel: config.CHANNEL === 'recorder' ? new RecorderChannel(config.RECORDER_URL ?? 'http://127.0.0.1:4010') : new SnsSmsChannel(clients.sns),
    alerts: new SnsAlertPublisher(clients.sns, config.ALERTS_TOPIC_ARN),
    supplier,
    clock: { now: () => new Date() },
    log: coreLogger,
    settings: {
      reorderLeaseSeconds: config.REORDER_LEASE_SECONDS,
      reorderPollDelaySeconds: config.REORDER_POLL_DELAY_SECONDS,
      reorderFailureBackoffSeconds: config.REORDER_FAILURE_BACKOFF_SECONDS,
      reorderCooldownSeconds: config.REORDER_COOLDOWN_SECONDS,
      reorderMaxAgeSeconds: config.REORDER_MAX_AGE_SECONDS,
    },
  };
}

let shared: Promise<CoreDeps> | undefined;

/** The container's dependencies, built on first use; a failed build is retried on the next call. */
export const getCoreDeps = (): Promise<CoreDeps> =>
  (shared ??= createCoreDeps(loadConfig()).catch((err) => {
    shared = undefined;
    throw err;
  }));
