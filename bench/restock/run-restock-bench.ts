// Section: restock under a burst. One SKU at 0 stock bought from the fake Reloadly at a stated latency;
// a burst of paid one-unit orders; payment → code, the first supplier call, supplier calls and codes
// bought beyond demand. Each burst runs in both sizing modes, today's fixed quantity as the baseline,
// each variant on engines of its own.
import { startDynamoLocal, startSqsSnsEmulator } from '#local/engines';
import type { BenchOptions } from '../lib/types';
import { compareModes, measuredFigures, withTargets, type RestockComparison, type RestockRow } from './figures';
import { restockSettings, type RestockSettings } from './settings';
import { runVariant } from './variant-process';

export interface RestockBenchResult {
  settings: RestockSettings;
  /** One per mode × burst, in run order. */
  rows: RestockRow[];
  comparison: RestockComparison[];
  /** Both bursts met the p99 and the beyond-demand targets in demand mode. */
  pass: boolean;
  /** Errors the variants' pipelines reported (first few per variant). */
  pipelineErrors: Array<{ variant: string; source: string; message: string }>;
}

/** Targets and ratios from the rows (what a `--render` recomputes). */
export function restockFigures(settings: RestockSettings, rows: RestockRow[]) {
  const rederived = rows.map((row) => withTargets(row, settings));
  const demand = rederived.filter((r) => r.mode === 'demand');
  return {
    rows: rederived,
    comparison: compareModes(rederived),
    pass: demand.length > 0 && demand.every((r) => r.meetsLatencyTarget && r.meetsWasteTarget),
  };
}

export async function runRestockBench(options: BenchOptions): Promise<RestockBenchResult> {
  const settings = restockSettings(options.quick);
  const rows: RestockRow[] = [];
  const pipelineErrors: RestockBenchResult['pipelineErrors'] = [];
  for (const burst of settings.bursts) {
    for (const mode of settings.modes) {
      options.log(`restock: ${mode.label}, burst of ${burst}`);
      const raw = await onFreshEngines((endpoints) => runVariant({ ...endpoints, mode, burst, settings }, options.log));
      const row = withTargets(measuredFigures(raw, mode.sweepIntervalMs), settings);
      rows.push(row);
      pipelineErrors.push(...raw.errors.map((e) => ({ variant: `${mode.mode} × ${burst}`, ...e })));
      options.log(
        `restock:   p99 ${row.paymentToCode.p99Ms} ms (target ${row.targetP99Ms}), ${row.delivered}/${row.orders} delivered, ` +
          `${row.supplierPosts} POST /orders, ${row.reorders} reorder(s), ${row.boughtBeyondDemand} beyond demand${row.settled ? '' : ' (not at rest)'}, ` +
          `last webhook acknowledged at ${row.lastAckMs ?? '?'} ms`,
      );
    }
  }
  return { settings, ...restockFigures(settings, rows), pipelineErrors };
}

/**
 * Each variant on engines of its own: the modes are compared under the same conditions, not the second
 * one on a DynamoDB Local still holding the first one's tables (the baseline's 200-order run is three
 * minutes of writes). Starting the engines costs a few seconds per variant.
 */
async function onFreshEngines<T>(run: (endpoints: { dynamoEndpoint: string; sqsEndpoint: string }) => Promise<T>): Promise<T> {
  const dynamo = await startDynamoLocal();
  try {
    const sqs = await startSqsSnsEmulator();
    try {
      return await run({ dynamoEndpoint: dynamo.endpoint, sqsEndpoint: sqs.endpoint });
    } finally {
      await sqs.stop().catch(() => undefined);
    }
  } finally {
    await dynamo.stop();
  }
}
