// At the edge: a storm of identical deliveries, and paid orders the pipeline cannot deliver as they are.
import type { Scenario } from '../scenario';
import { settle } from '../verify';
import { pause, type OrderSpec } from '../world';

const STORM_ORDERS = 20;
const STORM_COPIES = 25;
const LATER_RETRIES = 3;

export const duplicateStorm: Scenario = {
  name: 'duplicate-storm',
  faults: `${STORM_COPIES} simultaneous copies of each of ${STORM_ORDERS} orders (half signed webhooks, half straight onto the queue past the edge's dedupe), then ${LATER_RETRIES} platform retries of each webhook`,
  fast: true,
  settleMs: 30_000,
  // 500 deliveries at once on 2 cores: DynamoDB Local answers slowly, so the deployed proportions get more room.
  pipeline: { deliveryConcurrency: 8, visibilityTimeoutSeconds: 60, sendLeaseSeconds: 30 },
  timeouts: { delivery: 25_000 },
  async run(world) {
    await world.sku('STORM-1', '8100001', { stock: 60 });
    const viaWebhook: OrderSpec[] = Array.from({ length: STORM_ORDERS / 2 }, (_, i) => ({ orderId: String(7_100_000 + i), productId: '8100001', quantity: 1 + (i % 2) }));
    const viaQueue = Array.from({ length: STORM_ORDERS / 2 }, (_, i) => ({ orderId: String(7_100_100 + i), productId: '8100001', sku: 'STORM-1', quantity: 1 + (i % 2) }));
    await Promise.all([...viaWebhook.map((spec) => world.webhookOrder(spec, STORM_COPIES)), ...viaQueue.map((spec) => world.queueOrder(spec, STORM_COPIES))]);
    world.countFault(STORM_ORDERS * (STORM_COPIES - 1));
    world.endFaults();
    if (await settle(world, 30_000)) world.recoveredAt = Date.now();
    // The platform retries later (minutes apart on Salla; the edge remembers deliveries for 24 h, so 1 s apart proves the same).
    for (let round = 0; round < LATER_RETRIES; round++) {
      await pause(1000);
      await Promise.all(viaWebhook.map((spec) => world.redeliver(spec)));
      world.countFault(viaWebhook.length);
    }
  },
  async check(world) {
    const failures: string[] = [];
    const non2xx = Object.entries(world.webhookStatuses).filter(([status]) => !status.startsWith('2'));
    if (non2xx.length > 0) failures.push(`webhook answered ${JSON.stringify(world.webhookStatuses)}: every copy of a paid order must get a 2xx`);
    return failures;
  },
  note(world, figures) {
    const codeMessages = world.pipeline.recorder.messages().filter((m) => m.kind === 'CODE').length;
    return `${codeMessages} code messages for ${figures.delivered} delivered units (${(codeMessages / Math.max(1, figures.delivered)).toFixed(2)} per unit)`;
  },
};

/** Names of 3.5 KB: 80 lines make a ~290 KB body, more than an SQS message may carry. */
const LONG_NAME = 'بطاقة شحن '.repeat(350);

export const oversizedAndNoContact: Scenario = {
  name: 'oversized-and-no-contact',
  faults: 'a line of 1,500 units, an order of 150 lines, a 290 KB body, a body over 1 MiB, a customer whose number is not a mobile number',
  fast: true,
  // The 80-unit order is one delivery chunk: where a unit takes over 60 ms (a slow or shared machine),
  // the chunk outlives the 5 s delivery timeout and comes back after the 10 s visibility timeout, so
  // leave room for a few such rounds.
  settleMs: 60_000,
  async run(world) {
    await world.sku('EDGE-1', '8100002', { stock: 100 });
    const base = { productId: '8100002' };
    await world.webhookOrder({ ...base, orderId: '7200001', quantity: 1500, expect: 'HELD' });
    await world.webhookOrder({ ...base, orderId: '7200002', quantity: 1, extraLines: 149, expect: 'HELD' });
    await world.webhookOrder({ ...base, orderId: '7200003', quantity: 1, extraLines: 79, itemName: LONG_NAME });
    await world.webhookOrder({ ...base, orderId: '7200004', quantity: 1, mobile: 12, expect: 'HELD' });
    for (let i = 0; i < 3; i++) await world.webhookOrder({ ...base, orderId: String(7_200_010 + i), quantity: 2 });
    world.countFault(5);
  },
  async check(world) {
    const failures: string[] = [];
    const huge = world.webhookBody({ orderId: '7200099', productId: '8100002', quantity: 1, extraLines: 300, itemName: LONG_NAME });
    const res = await fetch(`${world.pipeline.webhookUrl}/webhooks/salla`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: huge });
    if (res.status !== 413) failures.push(`a ${Math.round(huge.length / 1024)} KB body got ${res.status}, expected 413`);
    const noContact = await world.pipeline.deps.orders.getOrder('1305146709', '7200004');
    if (noContact?.hold?.reason !== 'NO_CONTACT') failures.push(`order 7200004 held as ${noContact?.hold?.reason ?? 'nothing'}, expected NO_CONTACT`);
    for (const orderId of ['7200001', '7200002']) {
      const order = await world.pipeline.deps.orders.getOrder('1305146709', orderId);
      if (order?.hold?.reason !== 'OVER_LIMIT') failures.push(`order ${orderId} held as ${order?.hold?.reason ?? 'nothing'}, expected OVER_LIMIT`);
    }
    return failures;
  },
};
