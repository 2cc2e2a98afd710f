// A supplier that is down, slow, failing, short, re-selling codes, or never finishing. Each SKU starts
// with too little stock, so orders backorder and only the supplier can fill them (oldest paid first).
import type { FakeReloadly, FakeReloadlyOptions } from '#adapters/suppliers/reloadly/fake/fake-reloadly';
import { FAST_RESTOCK_ENV, RELOADLY, type Scenario } from '../scenario';
import { pause, type World } from '../world';

const fake = (world: World) => world.pipeline.suppliers.reloadly as unknown as FakeReloadly;

/** A SKU with 2 codes and a reorder point of 3. */
const lowSku = (world: World, sku: string, productId: string, reorderQuantity = 10) =>
  world.sku(sku, productId, { stock: 2, threshold: 3, reorderQuantity, supplier: RELOADLY(productId) });

/** 6 single-unit orders: 4 wait for the supplier. */
async function sixOrders(world: World, productId: string): Promise<void> {
  for (let i = 0; i < 6; i++) await world.webhookOrder({ orderId: String(Number(productId) * 100 + i), productId, quantity: 1 });
}

/** Our reference went to the supplier as one purchase each: a retry or takeover never bought twice. */
async function oncePerReference(world: World): Promise<string[]> {
  const twice = Object.entries(fake(world).stats().ordersByCustomIdentifier).filter(([, n]) => n > 1);
  return twice.length === 0 ? [] : [`supplier orders placed twice under one reference: ${twice.map(([id, n]) => `${id} ×${n}`).join(', ')}`];
}

/**
 * The alert the fault must raise. Customers may be served before it (follow-up reorders buy past a short
 * or stuck one), so it is waited for, up to the watchdog's age and a margin.
 */
async function alerted(world: World, type: string, withinMs = 15_000): Promise<string[]> {
  for (const deadline = Date.now() + withinMs; !world.alerts.some((a) => a.type === type) && Date.now() < deadline; ) {
    await pause(250);
    await world.collectAlerts();
  }
  return world.alerts.some((a) => a.type === type) ? [] : [`no ${type} alert`];
}

const supplierScenario = (
  name: string,
  faults: string,
  options: { productId: string; fast?: boolean; settleMs?: number; env?: Record<string, string>; knobs: Partial<FakeReloadlyOptions>; reorderQuantity?: number; faultForMs?: number; expectAlert?: string },
): Scenario => ({
  name,
  faults,
  fast: options.fast ?? true,
  settleMs: options.settleMs ?? 45_000,
  pipeline: { env: { ...FAST_RESTOCK_ENV, ...options.env }, sweepIntervalMs: 2000 },
  async run(world) {
    fake(world).setOptions(options.knobs);
    const requestsBefore = requestCount(world);
    await lowSku(world, name.toUpperCase(), options.productId, options.reorderQuantity);
    await sixOrders(world, options.productId);
    if (options.faultForMs) {
      await pause(options.faultForMs);
      fake(world).setOptions({ refuseConnections: false, latencyMs: 0, failureRate: 0 });
      // A slow answer is a fault the fake does not count: every call made meanwhile met it.
      if (options.knobs.latencyMs) world.countFault(requestCount(world) - requestsBefore);
      world.endFaults();
    }
  },
  async check(world) {
    await world.collectAlerts();
    if (options.knobs.withholdCards) world.countFault(fake(world).stats().ordersPlaced);
    return [...(await oncePerReference(world)), ...(options.expectAlert ? await alerted(world, options.expectAlert) : [])];
  },
});

const requestCount = (world: World) => Object.values(fake(world).stats().requests).reduce((sum, n) => sum + n, 0);

export const supplierDown = supplierScenario('supplier-down', 'the supplier drops every connection for 8 s', { productId: '5101', knobs: { refuseConnections: true }, faultForMs: 8000 });

export const supplierSlow = supplierScenario('supplier-slow', 'the supplier answers every call after 30 s (our timeout is 10 s) for 40 s', {
  productId: '5102',
  fast: false,
  settleMs: 90_000,
  knobs: { latencyMs: 30_000 },
  faultForMs: 40_000,
});

export const supplier5xx = supplierScenario('supplier-5xx', '40% of supplier calls answered 500/502/503, throughout (a reorder step makes 2–4 calls)', {
  productId: '5103',
  knobs: { failureRate: 0.4, failureStatuses: [500, 502, 503] },
});

// Reloadly's cards for an order may come after its status: fewer cards than ordered keeps it PENDING,
// so a short order ends at the watchdog (6 s here, 1 h deployed) as STUCK, and the next reorder tops up.
export const supplierShort = supplierScenario('supplier-short', `every supplier order of 5 delivers 2 cards; the watchdog gives up after ${6} s (1 h deployed)`, {
  productId: '5104',
  knobs: { withholdCards: 3 },
  reorderQuantity: 5,
  env: { REORDER_MAX_AGE_SECONDS: '6' },
  expectAlert: 'SUPPLIER_STUCK',
});

export const supplierResold: Scenario = {
  ...supplierScenario('supplier-resold', 'the supplier returns the 2 codes we already hold as part of an order of 5', { productId: '5105', knobs: {}, expectAlert: 'SUPPLIER_SHORT' }),
  async run(world) {
    const held = await lowSku(world, 'SUPPLIER-RESOLD', '5105', 5);
    fake(world).setOptions({ reissueCards: held.map((c) => ({ cardNumber: c.code, pinCode: c.pin ?? '' })) });
    world.countFault(held.length);
    await sixOrders(world, '5105');
  },
};

const MAX_AGE_SECONDS = 6;

export const supplierPendingForever: Scenario = {
  name: 'supplier-pending-forever',
  faults: `supplier orders stay PENDING; the watchdog gives up after ${MAX_AGE_SECONDS} s (1 h in production), then the supplier finally delivers`,
  fast: true,
  settleMs: 45_000,
  pipeline: { env: { ...FAST_RESTOCK_ENV, REORDER_MAX_AGE_SECONDS: String(MAX_AGE_SECONDS) }, sweepIntervalMs: 2000 },
  async run(world) {
    fake(world).setOptions({ partialFulfilment: { initialStatus: 'PENDING' } });
    await lowSku(world, 'SUPPLIER-PENDING', '5106', 4);
    await sixOrders(world, '5106');
    const deadline = Date.now() + 30_000;
    while (!(await world.collectAlerts()).some((a) => a.type === 'SUPPLIER_STUCK') && Date.now() < deadline) await pause(250);
    // Late, the supplier completes everything it was asked for: the late checks collect the cards.
    fake(world).setOptions({ partialFulfilment: { initialStatus: 'PENDING', afterMs: 0 } });
    world.countFault(1);
    world.endFaults();
  },
  async check(world) {
    await world.collectAlerts();
    return [...(await oncePerReference(world)), ...(await alerted(world, 'SUPPLIER_STUCK'))];
  },
};
