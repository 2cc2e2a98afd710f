// DynamoDB under pressure: throttling and transaction conflicts, answered as DynamoDB answers them, in
// every function (the webhook, delivery, restock, poll and sweep) while orders and a restock run.
import { FAST_RESTOCK_ENV, RELOADLY, type Scenario } from '../scenario';
import { pause } from '../world';

export const dynamoThrottling: Scenario = {
  name: 'dynamo-throttling',
  faults: '15% of DynamoDB requests throttled and 30% of transactions cancelled by conflicts, for 10 s, in every function',
  fast: true,
  settleMs: 60_000,
  pipeline: { env: FAST_RESTOCK_ENV, sweepIntervalMs: 2000, deliveryConcurrency: 8 },
  async run(world) {
    await world.sku('THROTTLE-1', '8100031', { stock: 60 });
    await world.sku('THROTTLE-2', '8100032', { stock: 1, threshold: 2, reorderQuantity: 10, supplier: RELOADLY('5201') });
    world.faults.start({ throttleRate: 0.15, conflictRate: 0.3 });
    const started = Date.now();
    await Promise.all([
      ...Array.from({ length: 24 }, (_, i) => world.webhookOrder({ orderId: String(7_500_000 + i), productId: '8100031', quantity: 1 + (i % 3) })),
      ...Array.from({ length: 5 }, (_, i) => world.webhookOrder({ orderId: String(7_500_100 + i), productId: '8100032', quantity: 1 })),
    ]);
    await pause(Math.max(0, 10_000 - (Date.now() - started)));
    world.endFaults();
  },
  async check(world) {
    const { throttled, conflicts } = world.faults.counts;
    return throttled > 0 && conflicts > 0 ? [] : [`faults not injected (throttled ${throttled}, conflicts ${conflicts})`];
  },
};
