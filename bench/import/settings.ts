// What the import section measures: a supplier-sized file through the CLI's parser and chunking into
// the stock store, beside the per-code intake as the baseline (at a size it finishes in seconds).
import type { IntakeMode } from '#adapters/dynamo/code-intake';

export interface ImportRun {
  mode: IntakeMode;
  codes: number;
}

export interface ImportSettings {
  runs: ImportRun[];
  /** Written (batched) and not measured before the first run: DynamoDB Local's JVM is about a third slower cold. */
  warmUpCodes: number;
  /** The re-run: the same file again, every code already held. */
  rerunCodes: number;
  /** Quiet time after which the stream's reaction to an import is taken as finished. */
  streamQuietMs: number;
  /** The target of the batched 100,000-code file. */
  targetSeconds: number;
  sku: string;
}

export function importSettings(quick: boolean): ImportSettings {
  const baseline = quick ? 1_000 : 5_000;
  const file = quick ? 10_000 : 100_000;
  return {
    // The same size side by side gives the ratio; the full file gives the target figure.
    runs: [
      { mode: 'per-code', codes: baseline },
      { mode: 'batched', codes: baseline },
      { mode: 'batched', codes: file },
    ],
    warmUpCodes: quick ? 1_000 : 5_000,
    rerunCodes: baseline,
    streamQuietMs: 2_000,
    targetSeconds: 60,
    sku: 'BENCH-IMPORT',
  };
}
