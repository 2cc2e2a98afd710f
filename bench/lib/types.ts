// The shape of bench/results/latest.json: what each section returns and the run's envelope.

export interface BenchOptions {
  /** `--quick`: fewer steps and shorter phases, the whole suite under 2 minutes. */
  quick: boolean;
  /** Progress lines for the terminal (never figures the results depend on). */
  log: (line: string) => void;
}

export interface ClaimRow {
  strategy: string;
  claimers: number;
  stockSize: number;
  claims: number;
  claimsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Failed conditional writes (lost races) per successful claim. */
  wastedWritesPerClaim: number;
  /** Index/table reads per successful claim. */
  readsPerClaim: number;
  /** Codes handed to more than one claimer (must be 0 for every strategy but `unsafe`). */
  doubleClaims: number;
}

export interface FunctionRow {
  name: string;
  entry: string;
  bundleBytes: number;
  /** Median of fresh-process module load + init, in ms. */
  initMs: number;
  initSamplesMs: number[];
}
