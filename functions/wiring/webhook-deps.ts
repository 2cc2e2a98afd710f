// Composition of the webhook function: the platform modules, store secrets, the product map and the
// orders queue. Nothing else: the internet-facing function loads no channel, supplier or code key.
import { MAX_MESSAGE_BYTES } from '#adapters/aws/queue-messages';
import { SqsOrderQueue } from '#adapters/aws/sqs-queues';
import { DynamoDeliveryDedupe } from '#adapters/dynamo/delivery-dedupe';
import { DEFAULT_SECRET_CACHE, SecretsWebhookSecretStore } from '#adapters/aws/webhook-secrets';
import { DynamoCatalogStore } from '#adapters/dynamo/catalog-store';
import { createDocumentClient } from '#adapters/dynamo/client';
import { moduleConfig } from '#adapters/module-kit';
import type { PlatformModule } from '#adapters/platforms/platform-module';
import { PLATFORMS } from '#adapters/platforms/registry';
import type { WebhookDeps } from '#functions/webhook/receive-webhook';
import { createDynamoClient, createSecretReader, createSqsClient } from './clients';
import { orderLimitsOf, type Config } from './config';
import { cachedLineMappings } from './cached-line-mappings';
import { createTokenVault } from './store-apis';

export function createWebhookDeps(config: Config, env: NodeJS.ProcessEnv = process.env): WebhookDeps {
  const db = createDocumentClient(createDynamoClient());
  const catalog = new DynamoCatalogStore(db, config.TABLE_NAME);
  return {
    platforms: Object.fromEntries(
      PLATFORMS.map((p: PlatformModule) => [p.name, { adapter: p.create(moduleConfig(p, env), { defaultLocale: config.DEFAULT_LOCALE }), retryLaterStatus: p.retryLaterStatus }]),
    ),
    secrets: new SecretsWebhookSecretStore(createSecretReader(config), config.WEBHOOK_SECRET_PREFIX, config.WEBHOOK_APP_SECRET_PREFIX, {
      ...DEFAULT_SECRET_CACHE,
      lookupBurst: config.WEBHOOK_STORE_LOOKUP_BURST,
      lookupsPerSecond: 1000 / config.WEBHOOK_STORE_LOOKUP_INTERVAL_MS,
    }),
    catalog: { getLineMappings: cachedLineMappings((...args) => catalog.getLineMappings(...args), config.PRODUCT_MAP_CACHE_SECONDS * 1000) },
    orderQueue: new SqsOrderQueue(createSqsClient(), config.ORDERS_QUEUE_URL),
    // In progress for longer than the webhook function can run (10 s): after that a copy runs again.
    dedupe: new DynamoDeliveryDedupe(db, config.TABLE_NAME, { windowSeconds: config.DEDUPE_WINDOW_SECONDS, inProgressSeconds: 15 }),
    limits: orderLimitsOf(config),
    tokenVault: createTokenVault(config),
    // Below SQS's 256 KiB, leaving room for the message's attributes.
    maxMessageBytes: MAX_MESSAGE_BYTES - 6 * 1024,
    maxBodyBytes: config.MAX_WEBHOOK_BYTES,
    now: () => new Date(),
  };
}
