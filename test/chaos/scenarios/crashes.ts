// Workers that die mid-delivery, and a message that comes back while its first worker is still sending.
import { type Scenario } from '../scenario';
import { pause } from '../world';

const ORDERS = 12;
const CRASHES = 3;

async function placeOrders(world: Parameters<Scenario['run']>[0], base: number, productId: string): Promise<void> {
  await Promise.all(Array.from({ length: ORDERS }, (_, i) => world.webhookOrder({ orderId: String(base + i), productId, quantity: 1 })));
}

/** Waits until the injector froze `count` invocations at `point` (or the time is up). */
async function untilCrashed(world: Parameters<Scenario['run']>[0], point: 'after-claim' | 'before-mark-delivered', count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (world.faults.counts.crashes[point] < count && Date.now() < deadline) await pause(100);
}

export const crashAfterClaim: Scenario = {
  name: 'crash-claim-send',
  faults: `${CRASHES} delivery workers killed right after claiming a code (its send lease taken), before sending`,
  fast: true,
  settleMs: 45_000,
  async run(world) {
    await world.sku('CRASH-1', '8100011', { stock: 20 });
    world.faults.start({ crashes: { 'after-claim': CRASHES }, functions: ['delivery'] });
    await placeOrders(world, 7_300_000, '8100011');
    await untilCrashed(world, 'after-claim', CRASHES, 20_000);
    world.endFaults();
  },
  async check(world) {
    return world.faults.counts.crashes['after-claim'] === CRASHES ? [] : [`only ${world.faults.counts.crashes['after-claim']} of ${CRASHES} crashes happened`];
  },
};

export const crashAfterSend: Scenario = {
  name: 'crash-send-record',
  faults: `${CRASHES} delivery workers killed after the channel accepted the message, before recording it`,
  fast: true,
  settleMs: 45_000,
  async run(world) {
    await world.sku('CRASH-2', '8100012', { stock: 20 });
    world.faults.start({ crashes: { 'before-mark-delivered': CRASHES }, functions: ['delivery'] });
    await placeOrders(world, 7_310_000, '8100012');
    await untilCrashed(world, 'before-mark-delivered', CRASHES, 20_000);
    world.endFaults();
  },
  async check(world, figures) {
    const failures: string[] = [];
    if (world.faults.counts.crashes['before-mark-delivered'] !== CRASHES) failures.push(`only ${world.faults.counts.crashes['before-mark-delivered']} of ${CRASHES} crashes happened`);
    // The one allowed repeat: each crash re-sends its unit's code once after the lease expired, never more.
    if (figures.duplicateMessages > CRASHES) failures.push(`${figures.duplicateMessages} repeated messages for ${CRASHES} crashes`);
    return failures;
  },
};

const VISIBILITY_SECONDS = 2;
const SEND_MS = 3000;

export const visibilityExpiry: Scenario = {
  name: 'visibility-expiry',
  faults: `every send takes ${SEND_MS / 1000} s against a ${VISIBILITY_SECONDS} s visibility timeout: each message comes back to a second worker while the first is still sending`,
  fast: true,
  settleMs: 45_000,
  pipeline: { visibilityTimeoutSeconds: VISIBILITY_SECONDS, sendLeaseSeconds: 15, deliveryConcurrency: 8, deliveryBatchSize: 1 },
  timeouts: { delivery: 12_000 },
  async run(world) {
    await world.sku('VIS-1', '8100013', { stock: 20 });
    world.pipeline.recorder.setLatency(SEND_MS);
    await Promise.all(Array.from({ length: 8 }, (_, i) => world.queueOrder({ orderId: String(7_320_000 + i), productId: '8100013', sku: 'VIS-1', quantity: 1 })));
    world.countFault(8);
    world.endFaults();
  },
};
