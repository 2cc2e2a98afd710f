// Section 2: signed webhooks → real webhook handler → emulator queue → delivery handler → DynamoDB Local
// → channel recorder, at a fixed 1,000 orders/min and then a ramp until p99 passes 3 s or errors appear.
import { cpus } from 'node:os';
import { DELIVERY_EVENT_SOURCE } from '#lib/delivery';
import { demoCatalogue } from '#local/demo-data';
import type { BenchOptions } from '../lib/types';
import { explainLimit, nameBottleneck, type LimitExplanation } from './bottleneck';
import { withBenchPipeline } from './bench-pipeline';
import { measureFloor, type FloorResult } from './floor';
import { runPhase, type PhaseResult, type PhaseSpec } from './phase';
import type { PipelineChildSettings, SoldCheck } from './protocol';
import type { RequestCounts } from './request-meter';
import { round } from '../lib/stats';

/** The promise to merchants: payment to screen in under 3 s. */
export const LATENCY_LIMIT_MS = 3000;

export interface E2eSettings {
  pipeline: Omit<PipelineChildSettings, 'dynamoEndpoint' | 'sqsEndpoint'>;
  warmUp: PhaseSpec;
  fixed: PhaseSpec;
  rampOrdersPerMin: number[];
  rampStepMs: number;
  rampDrainMs: number;
  floorSamples: number;
  /** Extra codes seeded per phase beyond its order count. */
  stockMargin: number;
}

export interface E2eBenchResult {
  settings: E2eSettings;
  floor: FloorResult;
  fixedRate: FixedRateResult;
  ramp: PhaseResult[];
  maxSustainedOrdersPerMin: number;
  /** The highest ramp step that also kept p99 under 1 s (the fixed-rate target). */
  maxOrdersPerMinP99Under1s: number;
  bottleneck: string;
  /** CPU per order at the highest sustained step, and the rate that CPU allows on this machine. */
  limit: LimitExplanation;
  sold: SoldCheck;
  pipelineErrors: Array<{ source: string; message: string }>;
}

/** The headline figures first (the results file's documented shape), then the whole phase. */
export interface FixedRateResult extends PhaseResult {
  ackP50Ms: number;
  ackP99Ms: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  doubleSold: number;
  floorMs: number;
  /** End-to-end p50 divided by the floor: what the pipeline adds on top of the bare calls. */
  p50OverFloor: number;
  /** What importing this phase's stock cost (addCodes), metered apart: each order uses one imported code. */
  stockIntake: StockIntake;
}

export function e2eSettings(quick: boolean): E2eSettings {
  return {
    // Delivery: 10 concurrent pollers with the deployed event source's batch size and batching window;
    // handlers log at the deployed level with metrics on, so log volume is what CloudWatch would get.
    pipeline: {
      deliveryConcurrency: 10,
      deliveryBatchSize: DELIVERY_EVENT_SOURCE.batchSize,
      deliveryBatchingWindowMs: DELIVERY_EVENT_SOURCE.maxBatchingWindowSeconds * 1000,
      logLevel: 'INFO',
      metrics: true,
    },
    warmUp: { ordersPerMin: 1000, durationMs: quick ? 5_000 : 10_000, drainMs: 10_000 },
    fixed: { ordersPerMin: 1000, durationMs: quick ? 15_000 : 60_000, drainMs: 30_000 },
    rampOrdersPerMin: quick ? [2_000, 5_000] : [1_000, 2_000, 3_000, 5_000, 10_000, 20_000],
    rampStepMs: quick ? 6_000 : 15_000,
    rampDrainMs: 15_000,
    floorSamples: quick ? 15 : 40,
    stockMargin: 1.1,
  };
}

export interface StockIntake {
  codes: number;
  requests: RequestCounts;
}

/** The highest offered rate among the leading ramp steps that stayed sustained with p99 under `limitMs`. */
export function maxUnder(ramp: PhaseResult[], limitMs: number): number {
  let best = 0;
  for (const step of ramp) {
    if (!sustained(step) || step.paymentToOutbox.p99Ms >= limitMs) break;
    best = step.ordersPerMin;
  }
  return best;
}

/** What the ramp says, derived from its steps (a `--render` recomputes these with the current formulas). */
export function rampFigures(fixed: PhaseResult, ramp: PhaseResult[], cores: number) {
  const passed = ramp.filter(sustained);
  const saturatedStep = ramp.find((step) => !sustained(step)) ?? ramp[ramp.length - 1];
  const limitNote = ramp.every(sustained) ? `every step held (the ramp's top rate is a lower bound); busiest: ` : '';
  return {
    maxSustainedOrdersPerMin: passed.length > 0 ? Math.max(...passed.map((s) => s.ordersPerMin)) : 0,
    maxOrdersPerMinP99Under1s: maxUnder(ramp, 1000),
    bottleneck: limitNote + nameBottleneck(saturatedStep, cores),
    limit: explainLimit(passed[passed.length - 1] ?? fixed, cores),
  };
}

/** A ramp step is sustained when every order was acked and delivered in time and p99 stayed under the limit. */
export const sustained = (step: PhaseResult) =>
  step.ackErrors === 0 && step.lost === 0 && step.backordered === 0 && step.paymentToOutbox.p99Ms <= LATENCY_LIMIT_MS;

export async function runE2eBench(options: BenchOptions): Promise<E2eBenchResult> {
  const settings = e2eSettings(options.quick);
  const sku = (await demoCatalogue()).skus[0].sku;
  return withBenchPipeline(settings.pipeline, async ({ pipeline, endpoints, processes, outbox, factory }) => {
    let lastIntake: StockIntake = { codes: 0, requests: {} };
    const phase = async (spec: PhaseSpec, label: string) => {
      const codes = Math.ceil(((spec.ordersPerMin * spec.durationMs) / 60_000) * settings.stockMargin);
      const seeded = await pipeline.ask({ type: 'seed', sku, codes }, 'seeded');
      lastIntake = { codes: seeded.inserted, requests: seeded.requests };
      // Let the restock stream work off the seeding before the clock starts.
      await new Promise((r) => setTimeout(r, 2_000));
      options.log(`e2e: ${label} at ${spec.ordersPerMin} orders/min for ${spec.durationMs / 1000} s`);
      return runPhase(pipeline, outbox, factory, spec, processes);
    };

    await phase(settings.warmUp, 'warm-up');
    options.log('e2e: floor (bare component calls)');
    const floor = await measureFloor(endpoints, pipeline.ready.tableName, pipeline.ready.recorderUrl, settings.floorSamples);
    const fixed = await phase(settings.fixed, 'fixed rate');
    const fixedIntake = lastIntake;
    const { check: afterFixed } = await pipeline.ask({ type: 'check-sold' }, 'sold');

    const ramp: PhaseResult[] = [];
    for (const ordersPerMin of settings.rampOrdersPerMin) {
      const step = await phase({ ordersPerMin, durationMs: settings.rampStepMs, drainMs: settings.rampDrainMs }, 'ramp step');
      ramp.push(step);
      options.log(`e2e:   p99 ${step.paymentToOutbox.p99Ms} ms, delivered ${step.delivered}/${step.orders}, ${step.deliveredPerMin}/min`);
      if (!sustained(step)) break;
    }
    const { check: sold } = await pipeline.ask({ type: 'check-sold' }, 'sold', 300_000);
    return {
      settings,
      floor,
      fixedRate: {
        ...fixed,
        ackP50Ms: fixed.ack.p50Ms,
        ackP99Ms: fixed.ack.p99Ms,
        p50Ms: fixed.paymentToOutbox.p50Ms,
        p99Ms: fixed.paymentToOutbox.p99Ms,
        maxMs: fixed.paymentToOutbox.maxMs,
        doubleSold: afterFixed.doubleSold,
        floorMs: floor.floorMs,
        p50OverFloor: round(fixed.paymentToOutbox.p50Ms / floor.floorMs),
        stockIntake: fixedIntake,
      },
      ramp,
      ...rampFigures(fixed, ramp, cpus().length),
      sold,
      pipelineErrors: pipeline.errors.slice(0, 20),
    };
  });
}
