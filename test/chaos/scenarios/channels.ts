// A flaky channel provider, and one that refuses one customer for good.
import type { Scenario } from '../scenario';

export const channelFlaky: Scenario = {
  name: 'channel-flaky',
  faults: 'the SMS provider fails 50% of sends (503), throughout',
  fast: true,
  settleMs: 60_000,
  pipeline: { deliveryConcurrency: 8 },
  async run(world) {
    await world.sku('FLAKY-1', '8100021', { stock: 40 });
    world.pipeline.recorder.setFailureRate(0.5);
    await Promise.all(Array.from({ length: 20 }, (_, i) => world.webhookOrder({ orderId: String(7_400_000 + i), productId: '8100021', quantity: 1 + (i % 2) })));
    world.endFaults();
  },
};

const DEAD_NUMBER = 559_999_999;

export const channelRejectsOne: Scenario = {
  name: 'channel-rejects-one',
  faults: "the SMS provider refuses one customer's number for good (422); everyone else is served",
  fast: true,
  settleMs: 30_000,
  async run(world) {
    await world.sku('REJECT-1', '8100022', { stock: 20 });
    world.pipeline.recorder.rejectRecipients([`+966${DEAD_NUMBER}`]);
    await world.webhookOrder({ orderId: '7410000', productId: '8100022', quantity: 2, mobile: DEAD_NUMBER, expect: 'HELD' });
    await Promise.all(Array.from({ length: 10 }, (_, i) => world.webhookOrder({ orderId: String(7_410_001 + i), productId: '8100022', quantity: 1 })));
    world.countFault(2);
    world.endFaults();
  },
  async check(world) {
    const units = await world.pipeline.deps.orders.listUnits('1305146709', '7410000');
    const wrong = units.filter((u) => u.heldReason !== 'CHANNEL_REJECTED');
    const audit = await world.pipeline.deps.stock.audit('REJECT-1');
    return [
      ...(wrong.length ? [`held units of 7410000 not CHANNEL_REJECTED: ${wrong.map((u) => u.heldReason ?? u.state).join(',')}`] : []),
      // The refused codes stay reserved to their units for the merchant's release, not back in stock, not lost.
      ...(audit.RESERVED === 2 ? [] : [`${audit.RESERVED} codes reserved, expected the 2 of the held units`]),
    ];
  },
};
