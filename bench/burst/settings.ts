// What the burst section sends: bursts of paid orders as fast as 50 connections get answers, on a SKU
// with stock (payment → code) and on one without (payment → the "on its way" notice).
import { e2eSettings } from '../e2e/run-e2e-bench';

export interface BurstSettings {
  pipeline: ReturnType<typeof e2eSettings>['pipeline'];
  connections: number;
  /** In-stock burst sizes, smallest first: the largest one absorbed within 3 s p99 is the headline. */
  inStock: number[];
  /** Orders of the burst on a SKU without stock. */
  noStock: number;
  /** A burst's orders still missing this long after its last ack count as lost. */
  drainMs: number;
  warmUpOrders: number;
  limitMs: number;
  /** The SKU the demo product points at for the no-stock burst: no supplier, so nothing refills it. */
  emptySku: string;
}

export function burstSettings(quick: boolean): BurstSettings {
  return {
    pipeline: e2eSettings(quick).pipeline,
    connections: 50,
    inStock: quick ? [25, 100, 300] : [25, 50, 100, 250, 500, 1_000],
    noStock: quick ? 100 : 500,
    drainMs: quick ? 30_000 : 90_000,
    warmUpOrders: quick ? 100 : 200,
    limitMs: 3_000,
    emptySku: 'BENCH-BURST-EMPTY',
  };
}
