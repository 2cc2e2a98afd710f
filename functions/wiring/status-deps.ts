// Composition of the channel status function: the status webhooks of the deployed channels, their
// secrets and the orders queue. No table, no code key.
import { SqsOrderQueue } from '#adapters/aws/sqs-queues';
import type { ChannelModule, StatusWebhook } from '#adapters/channels/channel-module';
import { CHANNELS } from '#adapters/channels/registry';
import type { StatusReceiverDeps } from '#functions/channel-status/receive-status';
import { createSecretReader, createSqsClient } from './clients';
import type { Config } from './config';

export function createStatusReceiverDeps(config: Config): StatusReceiverDeps {
  const deployed = new Set(config.CHANNEL.split(','));
  const webhooks: Record<string, StatusWebhook> = {};
  for (const module of CHANNELS as readonly ChannelModule[]) if (deployed.has(module.name) && module.statusWebhook) webhooks[module.name] = module.statusWebhook;
  return { webhooks, secrets: createSecretReader(config), orderQueue: new SqsOrderQueue(createSqsClient(), config.ORDERS_QUEUE_URL) };
}
