// Composition of the delivery function: stores, the channel module named by CHANNEL, alerts.
import { SnsAlertPublisher } from '#adapters/aws/sns-alerts';
import { SqsOrderQueue, SqsRetryBackoff, SqsWriteBackQueue } from '#adapters/aws/sqs-queues';
import type { ChannelModule } from '#adapters/channels/channel-module';
import { CHANNELS } from '#adapters/channels/registry';
import { findModule, moduleConfig } from '#adapters/module-kit';
import type { CancelDeps } from '#core/cancel-order';
import type { DeliveryDeps } from '#core/deliver-order';
import type { DeliverySettings } from '#core/deps';
import type { HoldDeps } from '#core/hold-order';
import type { DeliveryChannel } from '#core/ports/channel';
import type { SecretReader } from '#adapters/aws/secrets';
import { TokenRevealLinks } from '#adapters/reveal/reveal-links';
import { createDocumentClient } from '#adapters/dynamo/client';
import { DynamoStorePacer } from '#adapters/dynamo/store-pacer';
import { DynamoVelocityLedger } from '#adapters/dynamo/velocity-ledger';
import { StoreChannelChains } from './channel-chains';
import { createStoreApis } from './store-apis';
import { ttlCache } from './ttl-cache';
import { createClients, createSecretReader, createSqsClient, traced, type Clients } from './clients';
import { loadConfig, type Config } from './config';
import { memo } from './memo';
import { coreLogger } from './powertools';
import { createStores, loadCodeVault, type Stores } from './stores';

export type DeliveryFunctionDeps = DeliveryDeps & CancelDeps & HoldDeps;

export const deliverySettingsOf = (config: Config): DeliverySettings => ({
  sendLeaseSeconds: config.SEND_LEASE_SECONDS,
  unitsPerInvocation: config.DELIVERY_UNITS_PER_INVOCATION,
  channelAttempts: config.CHANNEL_ATTEMPTS,
  channelRetryDelayMs: config.CHANNEL_RETRY_DELAY_MS,
  path: config.DELIVERY_PATH,
});

/** The deployed channels (CHANNEL, comma-separated) by name, in their default order. */
export function createChannels(names: string, secrets: SecretReader, env: NodeJS.ProcessEnv = process.env): Map<string, DeliveryChannel> {
  return new Map(names.split(',').map((name) => [name, createChannel(name, secrets, env)]));
}

/** The channel module named `name`, built from its own config. */
export function createChannel(name: string, secrets: SecretReader, env: NodeJS.ProcessEnv = process.env): DeliveryChannel {
  // Widened to the contract: each module's config type is its own business.
  const module: ChannelModule = findModule(CHANNELS, 'channel', name);
  return module.create(moduleConfig(module, env), { traced, secrets });
}

export async function createDeliveryDeps(
  config: Config,
  clients: Clients = createClients(),
  env: NodeJS.ProcessEnv = process.env,
  stores?: Stores,
): Promise<DeliveryFunctionDeps> {
  const secrets = createSecretReader(config);
  stores ??= createStores(config, clients.dynamo, () => loadCodeVault(config, secrets));
  const clock = { now: () => new Date() };
  const cacheMs = config.STORE_SETTINGS_CACHE_SECONDS * 1000;
  const channels = new StoreChannelChains(createChannels(config.CHANNEL, secrets, env), stores.catalog, {
    linkChannels: config.REVEAL_LINK_CHANNELS === 'none' ? [] : config.REVEAL_LINK_CHANNELS.split(','),
    linksAvailable: config.REVEAL_BASE_URL !== undefined,
    cacheMs,
  });
  // One SKU-settings cache for both checks before a first claim.
  const skuConfig = ttlCache((sku: string) => stores.catalog.getSkuConfig(sku), cacheMs);
  const db = createDocumentClient(clients.dynamo);
  return {
    ...stores,
    channels,
    velocity: {
      ledger: new DynamoVelocityLedger(db, config.TABLE_NAME),
      defaults: { maxCodes: config.VELOCITY_MAX_CODES, windowHours: config.VELOCITY_WINDOW_HOURS },
      skuConfig,
    },
    payments: {
      apis: createStoreApis(config, clients.dynamo, secrets),
      pacer: new DynamoStorePacer(db, config.TABLE_NAME),
      settings: { defaultAbove: config.VERIFY_PAYMENT_ABOVE },
      storeSettings: channels.settingsFor,
      skuConfig,
    },
    alerts: new SnsAlertPublisher(clients.sns, config.ALERTS_TOPIC_ARN),
    orderQueue: new SqsOrderQueue(clients.sqs, config.ORDERS_QUEUE_URL),
    ...(config.WRITE_BACK_QUEUE_URL ? { writeBackQueue: new SqsWriteBackQueue(clients.sqs, config.WRITE_BACK_QUEUE_URL) } : {}),
    revealLinks: new TokenRevealLinks(stores.reveals, clock, { baseUrl: config.REVEAL_BASE_URL, ttlHours: config.REVEAL_LINK_TTL_HOURS }),
    clock,
    log: coreLogger,
    delivery: deliverySettingsOf(config),
  };
}

/** The container's delivery dependencies, built on first use. */
export const deliveryDeps = memo(() => createDeliveryDeps(loadConfig()));

/** The orders queue's retry backoff for failed records. */
export const deliveryRetries = memo(async () => {
  const config = loadConfig();
  return new SqsRetryBackoff(createSqsClient(), config.ORDERS_QUEUE_URL, config.RETRY_BASE_SECONDS);
});
