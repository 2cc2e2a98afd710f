// Messages between the E2E benchmark (load generator) and the pipeline process it drives.
import type { RequestCounts } from './request-meter';

export interface PipelineChildSettings {
  dynamoEndpoint: string;
  sqsEndpoint: string;
  deliveryConcurrency: number;
  deliveryBatchSize: number;
  deliveryBatchingWindowMs: number;
  logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
  metrics: boolean;
  /** Extra function settings (env vars of functions/wiring/config.ts), e.g. DELIVERY_PATH=classic for the baseline. */
  env?: Record<string, string>;
}

export interface InvocationTotals {
  count: number;
  totalMs: number;
}

export interface PhaseReport {
  requests: RequestCounts;
  invocations: Record<string, InvocationTotals>;
  /** Event-loop utilisation of the pipeline process over the phase (1 = never idle). */
  eventLoopUtilization: number;
}

export interface SoldCheck {
  unitsWithCode: number;
  distinctCodes: number;
  /** Units holding a code another unit holds too. */
  doubleSold: number;
  /** Code items whose status says DELIVERED. */
  codesDelivered: number;
}

/** [ref, kind, epoch ms with sub-ms precision] of each message the channel recorder took. */
export type OutboxEntry = [string, string, number];

export type ToChild =
  | { type: 'seed'; sku: string; codes: number }
  | { type: 'phase-start' }
  | { type: 'phase-end' }
  | { type: 'check-sold' }
  /**
   * Points the demo Salla product at `sku`: a SKU without stock for a burst, created when new without a
   * supplier and with the value of `like`, so the payment check treats its orders as it treats `like`'s.
   */
  | { type: 'map-product'; sku: string; like: string }
  | { type: 'stop' };

export type FromChild =
  | { type: 'ready'; webhookUrl: string; recorderUrl: string; tableName: string; ordersQueueUrl: string }
  | { type: 'seeded'; inserted: number; requests: RequestCounts }
  | { type: 'phase-started' }
  | { type: 'phase-report'; report: PhaseReport }
  | { type: 'sold'; check: SoldCheck }
  | { type: 'mapped' }
  | { type: 'outbox'; entries: OutboxEntry[] }
  | { type: 'error'; source: string; message: string };

/** Wall-clock time in epoch ms with sub-ms precision, comparable across processes on one machine. */
export const preciseNow = () => performance.timeOrigin + performance.now();
