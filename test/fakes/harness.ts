// Every port of the core, in memory, wired like a container: what the core's unit tests run against.
import { TokenRevealLinks } from '#adapters/reveal/reveal-links';
import { revealTokens } from '#adapters/reveal/reveal-tokens';
import type { CoreDeps } from '#core/deps';
import type { NewOrder } from '#core/ports/orders';
import type { Supplier } from '#core/ports/supplier';
import { FakeBackorderQueue } from './backorder-queue';
import { FakeChannelChains } from './channel-chains';
import { FakeCatalog } from './catalog';
import { FakeClaimStore } from './claim-store';
import { FakeLeases } from './leases';
import { FakeOrderStore } from './order-store';
import { RecordingAlerts, RecordingChannel, RecordingLog, RecordingOrderQueue, RecordingPollQueue } from './recorders';
import { FakeReorders } from './reorders';
import { FakeRevealStore } from './reveal-store';
import { FakeSendStore } from './send-store';
import { FakeStockStore } from './stock-store';
import { FakeSupplierHealth } from './supplier-health';
import { FakeClock, T0, World } from './world';

export interface Harness {
  deps: CoreDeps;
  world: World;
  orders: FakeOrderStore;
  claims: FakeClaimStore;
  sends: FakeSendStore;
  backorders: FakeBackorderQueue;
  stock: FakeStockStore;
  catalog: FakeCatalog;
  reorders: FakeReorders;
  leases: FakeLeases;
  queue: RecordingOrderQueue;
  polls: RecordingPollQueue;
  channel: RecordingChannel;
  /** The chain every store uses: `channel` alone unless a test changes it. */
  chains: FakeChannelChains;
  alerts: RecordingAlerts;
  clock: FakeClock;
  log: RecordingLog;
  suppliers: Map<string, Supplier>;
  supplierHealth: FakeSupplierHealth;
  reveals: FakeRevealStore;
  /** The real link issuer over the fake store and clock: its URLs carry the token (`<REVEAL_BASE>/c/<token>`). */
  revealLinks: TokenRevealLinks;
}

/** Where the harness's reveal links point. */
export const REVEAL_BASE = 'https://reveal.test';

export function harness(): Harness {
  const world = new World();
  const clock = new FakeClock();
  const channel = new RecordingChannel();
  const h = {
    world,
    orders: new FakeOrderStore(world),
    claims: new FakeClaimStore(world, clock),
    sends: new FakeSendStore(world, clock),
    backorders: new FakeBackorderQueue(world),
    stock: new FakeStockStore(world),
    catalog: new FakeCatalog(),
    reorders: new FakeReorders(clock),
    leases: new FakeLeases(),
    queue: new RecordingOrderQueue(),
    polls: new RecordingPollQueue(),
    channel,
    chains: FakeChannelChains.of(channel),
    alerts: new RecordingAlerts(),
    clock,
    log: new RecordingLog(),
    suppliers: new Map<string, Supplier>(),
    supplierHealth: new FakeSupplierHealth(),
    reveals: new FakeRevealStore(world),
  };
  const revealLinks = new TokenRevealLinks(h.reveals, clock, { baseUrl: REVEAL_BASE, ttlHours: 720 });
  const deps: CoreDeps = {
    orders: h.orders,
    claims: h.claims,
    sends: h.sends,
    backorders: h.backorders,
    stock: h.stock,
    catalog: h.catalog,
    reorders: h.reorders,
    leases: h.leases,
    orderQueue: h.queue,
    pollQueue: h.polls,
    channels: h.chains,
    alerts: h.alerts,
    supplier: async (name) => h.suppliers.get(name),
    // Read through every time: the cache is the wiring's (functions/core/balance-cache.ts, tested on its own).
    balances: { current: async (name) => h.suppliers.get(name)?.balance().catch(() => undefined) },
    supplierHealth: h.supplierHealth,
    reveals: h.reveals,
    revealLinks,
    revealTokens,
    clock: h.clock,
    log: h.log,
    // The defaults of functions/wiring/config.ts.
    settings: {
      reorderLeaseSeconds: 120,
      reorderPollDelaySeconds: 60,
      reorderFailureBackoffSeconds: 900,
      reorderCooldownSeconds: 2,
      reorderMaxAgeSeconds: 3600,
      lateCheckWindowSeconds: 86_400,
      lateCheckIntervalSeconds: 900,
      reorderSizing: 'demand',
      reorderMaxQuantity: 500,
      lowBalanceReorders: 3,
    },
    // As configured, but without the real pause between tries of a failing channel.
    delivery: { sendLeaseSeconds: 60, unitsPerInvocation: 100, channelAttempts: 3, channelRetryDelayMs: 0 },
  };
  return { ...h, revealLinks, deps };
}

/** A paid order message of `quantity` units of one SKU (one line). */
export function orderMessage(orderId: string, sku: string, quantity: number, extra: Partial<NewOrder> = {}): NewOrder {
  return {
    kind: 'ORDER',
    platform: 'salla',
    storeId: 'store-1',
    orderId,
    reference: `REF-${orderId}`,
    locale: 'en',
    customer: { name: 'Sara', phone: '+966500000001' },
    lines: [{ lineId: 'L1', productId: 'P1', sku, quantity, name: 'Gift card 50' }],
    receivedAt: T0,
    ...extra,
  };
}

export { FakeClock, T0, World } from './world';
