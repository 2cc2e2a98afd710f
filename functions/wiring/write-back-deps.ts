// Composition of the write-back function: the order's write-back state, the per-store pacer, the
// platforms' APIs with their tokens, its own queue and the alerts. No code key, no channel.
import { SnsAlertPublisher } from '#adapters/aws/sns-alerts';
import { SqsWriteBackQueue } from '#adapters/aws/sqs-queues';
import { DynamoCatalogStore } from '#adapters/dynamo/catalog-store';
import { createDocumentClient } from '#adapters/dynamo/client';
import { DynamoStorePacer } from '#adapters/dynamo/store-pacer';
import { DynamoWriteBackStore } from '#adapters/dynamo/write-back-store';
import type { WriteBackDeps, WriteBackSettings } from '#core/write-back';
import { createClients, createSecretReader, type Clients } from './clients';
import { loadConfig, type Config } from './config';
import { memo } from './memo';
import { coreLogger } from './powertools';
import { createStoreApis } from './store-apis';
import { ttlCache } from './ttl-cache';

export const writeBackSettingsOf = (config: Config): WriteBackSettings => ({
  // Longer than a platform call can take (the clients give up after 10 s).
  leaseSeconds: 30,
  maxAttempts: config.WRITE_BACK_MAX_ATTEMPTS,
  retryBaseSeconds: config.WRITE_BACK_RETRY_BASE_SECONDS,
  budgetShare: { burst: config.WRITE_BACK_BURST_PERCENT / 100, perSecond: config.WRITE_BACK_RATE_PERCENT / 100 },
  maxInlineWaitMs: 1000,
});

export function createWriteBackDeps(config: Config, clients: Clients = createClients()): WriteBackDeps {
  if (!config.WRITE_BACK_QUEUE_URL) throw new Error('WRITE_BACK_QUEUE_URL is not set: the write-back function has no queue to pace on');
  const db = createDocumentClient(clients.dynamo);
  return {
    writeBacks: new DynamoWriteBackStore(db, config.TABLE_NAME),
    pacer: new DynamoStorePacer(db, config.TABLE_NAME),
    storeApis: createStoreApis(config, clients.dynamo, createSecretReader(config)),
    writeBackQueue: new SqsWriteBackQueue(clients.sqs, config.WRITE_BACK_QUEUE_URL),
    alerts: new SnsAlertPublisher(clients.sns, config.ALERTS_TOPIC_ARN),
    // A store's settings change rarely: read at most once a minute per container, as delivery does.
    catalog: { getStoreSettings: ttlCache((storeId) => new DynamoCatalogStore(db, config.TABLE_NAME).getStoreSettings(storeId), config.STORE_SETTINGS_CACHE_SECONDS * 1000) },
    clock: { now: () => new Date() },
    log: coreLogger,
    writeBack: writeBackSettingsOf(config),
  };
}

export const writeBackDeps = memo(async () => createWriteBackDeps(loadConfig()));
