// Composition of the webhook function: the platform modules, store secrets, the product map and the
// orders queue. Nothing else: the internet-facing function loads no channel, supplier or code key.
import { SqsOrderQueue } from '#adapters/aws/sqs-queues';
import { SecretsWebhookSecretStore } from '#adapters/aws/webhook-secrets';
import { DynamoCatalogStore } from '#adapters/dynamo/catalog-store';
import { createDocumentClient } from '#adapters/dynamo/client';
import { moduleConfig } from '#adapters/module-kit';
import type { PlatformModule } from '#adapters/platforms/platform-module';
import { PLATFORMS } from '#adapters/platforms/registry';
import type { WebhookDeps } from '#functions/webhook/receive-webhook';
import { createDynamoClient, createSecretReader, createSqsClient } from './clients';
import type { Config } from './config';

export function createWebhookDeps(config: Config, env: NodeJS.ProcessEnv = process.env): WebhookDeps {
  return {
    platforms: Object.fromEntries(
      PLATFORMS.map((p: PlatformModule) => [p.name, { adapter: p.create(moduleConfig(p, env), { defaultLocale: config.DEFAULT_LOCALE }), retryLaterStatus: p.retryLaterStatus }]),
    ),
    secrets: new SecretsWebhookSecretStore(createSecretReader(config), config.WEBHOOK_SECRET_PREFIX),
    catalog: new DynamoCatalogStore(createDocumentClient(createDynamoClient()), config.TABLE_NAME),
    orderQueue: new SqsOrderQueue(createSqsClient(), config.ORDERS_QUEUE_URL),
    maxBodyBytes: config.MAX_WEBHOOK_BYTES,
    now: () => new Date(),
  };
}
