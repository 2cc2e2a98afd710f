// Burst section: a flash sale's first seconds. Bursts of signed paid-order webhooks sent as fast as the
// webhook answers (closed loop, 50 connections) through the same pipeline process as the E2E section,
// then the same on a SKU without stock, where the customer's first message is the "on its way" notice.
import { demoCatalogue } from '#local/demo-data';
import { round, type LatencySummary } from '../lib/stats';
import type { BenchOptions } from '../lib/types';
import { withBenchPipeline } from '../e2e/bench-pipeline';
import { sendBurst } from '../e2e/load-generator';
import { measureLoad, type LoadMeasurement } from '../e2e/phase';
import { burstSettings, type BurstSettings } from './settings';

export interface BurstRow {
  kind: 'in-stock' | 'no-stock';
  orders: number;
  connections: number;
  /** First send to last send, and the rate that is. */
  sendMs: number;
  offeredPerMin: number;
  ack: LatencySummary;
  /** Payment → the customer's first message: the code in stock, the notice without. */
  paymentToMessage: LatencySummary;
  delivered: number;
  notices: number;
  lost: number;
  ackErrors: number;
  withinLimit: boolean;
  cpuCores: LoadMeasurement['cpuCores'];
}

export interface BurstBenchResult {
  settings: BurstSettings;
  rows: BurstRow[];
  /** The largest in-stock burst with every order delivered and p99 within the limit. */
  absorbed: { orders: number; offeredPerMin: number; p99Ms: number } | undefined;
  pipelineErrors: Array<{ source: string; message: string }>;
}

function rowOf(kind: BurstRow['kind'], measured: LoadMeasurement, settings: BurstSettings): BurstRow {
  const paymentToMessage = kind === 'in-stock' ? measured.paymentToOutbox : measured.paymentToNotice;
  const reached = kind === 'in-stock' ? measured.delivered : measured.backordered;
  return {
    kind,
    orders: measured.orders,
    connections: settings.connections,
    sendMs: measured.sendMs,
    offeredPerMin: round((measured.orders / Math.max(1, measured.sendMs)) * 60_000, 0),
    ack: measured.ack,
    paymentToMessage,
    delivered: measured.delivered,
    notices: measured.backordered,
    lost: measured.lost,
    ackErrors: measured.ackErrors,
    withinLimit: measured.ackErrors === 0 && measured.lost === 0 && reached === measured.orders && paymentToMessage.p99Ms <= settings.limitMs,
    cpuCores: measured.cpuCores,
  };
}

/** Derived from the rows (recomputed by --render). */
export function burstFigures(rows: BurstRow[]): Pick<BurstBenchResult, 'absorbed'> {
  const held = rows.filter((r) => r.kind === 'in-stock' && r.withinLimit).sort((a, b) => b.orders - a.orders)[0];
  return { absorbed: held ? { orders: held.orders, offeredPerMin: held.offeredPerMin, p99Ms: held.paymentToMessage.p99Ms } : undefined };
}

export async function runBurstBench(options: BenchOptions): Promise<BurstBenchResult> {
  const settings = burstSettings(options.quick);
  const sku = (await demoCatalogue()).skus[0].sku;
  return withBenchPipeline(settings.pipeline, async ({ pipeline, processes, outbox, factory }) => {
    const burst = async (orders: number, stock: number) => {
      if (stock > 0) await pipeline.ask({ type: 'seed', sku, codes: stock }, 'seeded');
      // Let the restock stream work off the seeding before the burst starts.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const prepared = factory.prepare(orders);
      return measureLoad(pipeline, outbox, prepared, (url) => sendBurst(url, prepared, settings.connections), settings.drainMs, processes);
    };

    options.log(`burst: warm-up of ${settings.warmUpOrders} orders`);
    await burst(settings.warmUpOrders, Math.ceil(settings.warmUpOrders * 1.1));
    const rows: BurstRow[] = [];
    for (const orders of settings.inStock) {
      const row = rowOf('in-stock', await burst(orders, Math.ceil(orders * 1.1)), settings);
      rows.push(row);
      options.log(`burst: ${orders} orders in stock sent in ${n(row.sendMs)} ms: ack p99 ${n(row.ack.p99Ms)} ms, payment → code p99 ${n(row.paymentToMessage.p99Ms)} ms, ${row.delivered} delivered`);
    }
    await pipeline.ask({ type: 'map-product', sku: settings.emptySku, like: sku }, 'mapped');
    const empty = rowOf('no-stock', await burst(settings.noStock, 0), settings);
    rows.push(empty);
    options.log(`burst: ${settings.noStock} orders without stock: payment → notice p99 ${n(empty.paymentToMessage.p99Ms)} ms, ${empty.notices} notices`);
    await pipeline.ask({ type: 'map-product', sku, like: sku }, 'mapped');
    return { settings, rows, ...burstFigures(rows), pipelineErrors: pipeline.errors.slice(0, 20) };
  });
}

const n = (v: number) => Math.round(v).toLocaleString('en-US');
