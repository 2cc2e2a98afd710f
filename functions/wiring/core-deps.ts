// Every dependency of every use case at once: what the local runtime, the tests and the benchmarks
// inspect and seed through. A deployed function builds only its own slice (delivery-deps.ts,
// restock-deps.ts, webhook-deps.ts).
import { SqsOrderQueue } from '#adapters/aws/sqs-queues';
import { revealTokens } from '#adapters/reveal/reveal-tokens';
import type { CoreDeps } from '#core/deps';
import { createClients, createSecretReader, type Clients } from './clients';
import type { Config } from './config';
import { createDeliveryDeps } from './delivery-deps';
import { createRestockDeps } from './restock-deps';
import { createStores, loadCodeVault } from './stores';

export async function createCoreDeps(config: Config, clients: Clients = createClients(), env: NodeJS.ProcessEnv = process.env): Promise<CoreDeps> {
  const stores = createStores(config, clients.dynamo, () => loadCodeVault(config, createSecretReader(config)));
  const [delivery, restock] = await Promise.all([createDeliveryDeps(config, clients, env, stores), createRestockDeps(config, clients, env, stores)]);
  return { ...restock, sends: delivery.sends, channels: delivery.channels, reveals: stores.reveals, revealLinks: delivery.revealLinks, revealTokens, delivery: delivery.delivery, writeBackQueue: delivery.writeBackQueue, orderQueue: new SqsOrderQueue(clients.sqs, config.ORDERS_QUEUE_URL) };
}
