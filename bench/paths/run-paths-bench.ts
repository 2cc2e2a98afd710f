// The `requestsPerOrder` section: the order path as it is (`lean`) beside the path before its requests
// were cut (`classic`: DELIVERY_PATH=classic, PRODUCT_MAP_CACHE_SECONDS=0), each in its own fresh
// pipeline, alternating, at the same fixed rate: DynamoDB requests per order of the webhook and delivery
// functions, and CPU per order of the pipeline and DynamoDB Local, in the same run so the ratio is not a
// comparison across machines.
import { demoCatalogue } from '#local/demo-data';
import { median, round } from '../lib/stats';
import type { BenchOptions } from '../lib/types';
import { cpuTimeMs } from '../lib/process-cpu';
import { withBenchPipeline } from '../e2e/bench-pipeline';
import { runPhase, type PhaseSpec } from '../e2e/phase';
import { e2eSettings } from '../e2e/run-e2e-bench';
import type { RequestCounts } from '../e2e/request-meter';

export const DELIVERY_PATHS = ['classic', 'lean'] as const;
export type DeliveryPath = (typeof DELIVERY_PATHS)[number];

/** The function settings of each path. */
export const PATH_ENV: Record<DeliveryPath, Record<string, string>> = {
  classic: { DELIVERY_PATH: 'classic', PRODUCT_MAP_CACHE_SECONDS: '0' },
  lean: { DELIVERY_PATH: 'lean' },
};

export interface PathsSettings {
  rounds: number;
  warmUp: PhaseSpec;
  phase: PhaseSpec;
  order: string;
  env: Record<DeliveryPath, Record<string, string>>;
}

export interface PathRun {
  path: DeliveryPath;
  round: number;
  orders: number;
  delivered: number;
  lost: number;
  p50Ms: number;
  p99Ms: number;
  /** The delivery function's DynamoDB requests per order, by operation. */
  deliveryRequests: Record<string, number>;
  deliveryDynamoRequestsPerOrder: number;
  /** The webhook function's DynamoDB requests per order, by operation. */
  webhookRequests: Record<string, number>;
  webhookDynamoRequestsPerOrder: number;
  /** Write units DynamoDB Local reported for the delivery function's requests, per order. */
  deliveryWriteUnitsPerOrder: number;
  /** CPU per order (ms) of the pipeline process and of DynamoDB Local over the phase. */
  cpuMsPerOrder: { pipeline: number; dynamodbLocal: number; total: number };
}

export interface PathSummary {
  path: DeliveryPath;
  /** Medians over the rounds. */
  deliveryDynamoRequestsPerOrder: number;
  deliveryRequests: Record<string, number>;
  deliveryWriteUnitsPerOrder: number;
  webhookDynamoRequestsPerOrder: number;
  webhookRequests: Record<string, number>;
  cpuMsPerOrder: { pipeline: number; dynamodbLocal: number; total: number };
  p99Ms: number;
}

export interface PathsBenchResult {
  settings: PathsSettings;
  runs: PathRun[];
  paths: PathSummary[];
  /** lean ÷ classic (below 1 is fewer / cheaper). */
  ratios: { deliveryDynamoRequests: number; webhookDynamoRequests: number; cpuPerOrder: number; pipelineCpuPerOrder: number; dynamodbLocalCpuPerOrder: number };
  targets: { deliveryDynamoRequestsPerOrder: number; cpuRatio: number };
  pipelineErrors: Array<{ source: string; message: string }>;
}

export function pathsSettings(quick: boolean): PathsSettings {
  return {
    rounds: quick ? 1 : 2,
    warmUp: { ordersPerMin: 1000, durationMs: quick ? 4_000 : 8_000, drainMs: 10_000 },
    phase: { ordersPerMin: 1000, durationMs: quick ? 10_000 : 30_000, drainMs: 20_000 },
    order: 'rounds of classic then lean, reversed in odd rounds; a fresh pipeline (engines, table, queues) per run',
    env: PATH_ENV,
  };
}

const perOrder = (value: number, orders: number) => round(value / Math.max(1, orders), 3);

/** One function's DynamoDB requests of a phase, per order. */
export function dynamoRequestsOf(requests: RequestCounts, orders: number, fn: 'delivery' | 'webhook'): { byOperation: Record<string, number>; total: number; writeUnits: number } {
  const byOperation: Record<string, number> = {};
  let total = 0;
  let writeUnits = 0;
  for (const [key, count] of Object.entries(requests)) {
    const [caller, operation] = key.split('|');
    if (caller !== fn || !operation.startsWith('DynamoDB.')) continue;
    byOperation[operation.slice('DynamoDB.'.length)] = perOrder(count.requests, orders);
    total += count.requests;
    writeUnits += count.writeUnits;
  }
  return { byOperation, total: perOrder(total, orders), writeUnits: perOrder(writeUnits, orders) };
}

/** Medians per path and the lean ÷ classic ratios (recomputed by --render). */
export function pathFigures(runs: PathRun[]): Pick<PathsBenchResult, 'paths' | 'ratios'> {
  const paths = DELIVERY_PATHS.map((path): PathSummary => {
    const mine = runs.filter((r) => r.path === path);
    const med = (pick: (r: PathRun) => number) => round(median(mine.map(pick)), 3);
    const operations = [...new Set(mine.flatMap((r) => Object.keys(r.deliveryRequests)))].sort();
    const webhookOperations = [...new Set(mine.flatMap((r) => Object.keys(r.webhookRequests ?? {})))].sort();
    return {
      path,
      deliveryDynamoRequestsPerOrder: med((r) => r.deliveryDynamoRequestsPerOrder),
      deliveryRequests: Object.fromEntries(operations.map((op) => [op, med((r) => r.deliveryRequests[op] ?? 0)])),
      deliveryWriteUnitsPerOrder: med((r) => r.deliveryWriteUnitsPerOrder),
      webhookDynamoRequestsPerOrder: med((r) => r.webhookDynamoRequestsPerOrder ?? 0),
      webhookRequests: Object.fromEntries(webhookOperations.map((op) => [op, med((r) => r.webhookRequests?.[op] ?? 0)])),
      cpuMsPerOrder: { pipeline: med((r) => r.cpuMsPerOrder.pipeline), dynamodbLocal: med((r) => r.cpuMsPerOrder.dynamodbLocal), total: med((r) => r.cpuMsPerOrder.total) },
      p99Ms: med((r) => r.p99Ms),
    };
  });
  const [classic, lean] = paths;
  const ratio = (a: number, b: number) => (b > 0 ? round(a / b, 3) : NaN);
  return {
    paths,
    ratios: {
      deliveryDynamoRequests: ratio(lean.deliveryDynamoRequestsPerOrder, classic.deliveryDynamoRequestsPerOrder),
      webhookDynamoRequests: ratio(lean.webhookDynamoRequestsPerOrder, classic.webhookDynamoRequestsPerOrder),
      cpuPerOrder: ratio(lean.cpuMsPerOrder.total, classic.cpuMsPerOrder.total),
      pipelineCpuPerOrder: ratio(lean.cpuMsPerOrder.pipeline, classic.cpuMsPerOrder.pipeline),
      dynamodbLocalCpuPerOrder: ratio(lean.cpuMsPerOrder.dynamodbLocal, classic.cpuMsPerOrder.dynamodbLocal),
    },
  };
}

export async function runPathsBench(options: BenchOptions): Promise<PathsBenchResult> {
  const settings = pathsSettings(options.quick);
  const pipelineSettings = e2eSettings(options.quick).pipeline;
  const sku = (await demoCatalogue()).skus[0].sku;
  const runs: PathRun[] = [];
  const errors: PathsBenchResult['pipelineErrors'] = [];
  for (let index = 0; index < settings.rounds; index++) {
    for (const path of index % 2 === 0 ? DELIVERY_PATHS : [...DELIVERY_PATHS].reverse()) {
      runs.push(
        await withBenchPipeline({ ...pipelineSettings, env: PATH_ENV[path] }, async ({ pipeline, processes, outbox, factory }) => {
          const seedFor = async (spec: PhaseSpec) => {
            const codes = Math.ceil(((spec.ordersPerMin * spec.durationMs) / 60_000) * 1.1);
            await pipeline.ask({ type: 'seed', sku, codes }, 'seeded');
            // Let the restock stream work off the seeding before the clock starts.
            await new Promise((r) => setTimeout(r, 2_000));
          };
          options.log(`requestsPerOrder: ${path}, round ${index + 1}: warm-up, then ${settings.phase.durationMs / 1000} s at ${settings.phase.ordersPerMin}/min`);
          await seedFor(settings.warmUp);
          await runPhase(pipeline, outbox, factory, settings.warmUp, processes);
          await seedFor(settings.phase);
          // The phase's own CPU figures cover the sending only; this covers sending and draining, unrounded.
          const cpuBefore = { pipeline: cpuTimeMs(processes.pipeline), dynamodbLocal: cpuTimeMs(processes.dynamodbLocal) };
          const measured = await runPhase(pipeline, outbox, factory, settings.phase, processes);
          const cpuAfter = { pipeline: cpuTimeMs(processes.pipeline), dynamodbLocal: cpuTimeMs(processes.dynamodbLocal) };
          errors.push(...pipeline.errors.slice(0, 10));
          const delivery = dynamoRequestsOf(measured.requests, measured.orders, 'delivery');
          const webhook = dynamoRequestsOf(measured.requests, measured.orders, 'webhook');
          const cpu = (name: 'pipeline' | 'dynamodbLocal') => round(((cpuAfter[name] ?? NaN) - (cpuBefore[name] ?? NaN)) / Math.max(1, measured.orders), 1);
          const cpuMsPerOrder = { pipeline: cpu('pipeline'), dynamodbLocal: cpu('dynamodbLocal'), total: round(cpu('pipeline') + cpu('dynamodbLocal'), 1) };
          options.log(`requestsPerOrder:   ${delivery.total} delivery DynamoDB requests per order, CPU ${cpuMsPerOrder.total} ms per order, p99 ${measured.paymentToOutbox.p99Ms} ms`);
          return {
            path,
            round: index,
            orders: measured.orders,
            delivered: measured.delivered,
            lost: measured.lost,
            p50Ms: measured.paymentToOutbox.p50Ms,
            p99Ms: measured.paymentToOutbox.p99Ms,
            deliveryRequests: delivery.byOperation,
            deliveryDynamoRequestsPerOrder: delivery.total,
            deliveryWriteUnitsPerOrder: delivery.writeUnits,
            webhookRequests: webhook.byOperation,
            webhookDynamoRequestsPerOrder: webhook.total,
            cpuMsPerOrder,
          };
        }),
      );
    }
  }
  return { settings, runs, ...pathFigures(runs), targets: { deliveryDynamoRequestsPerOrder: 3, cpuRatio: 0.5 }, pipelineErrors: errors.slice(0, 20) };
}
