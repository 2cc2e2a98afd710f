// The results file: envelope (machine, commit, date, settings) around what each section measured.
import type { BurstBenchResult } from '../burst/run-burst-bench';
import type { ClaimBenchResult } from '../claim/run-claim-bench';
import type { ColdStartBenchResult } from '../cold-start/run-cold-start-bench';
import type { CostEstimate } from '../cost/estimate';
import type { E2eBenchResult } from '../e2e/run-e2e-bench';
import type { ImportBenchResult } from '../import/run-import-bench';
import type { PathsBenchResult } from '../paths/run-paths-bench';
import type { RestockBenchResult } from '../restock/run-restock-bench';
import type { ScaleBenchResult } from '../scale/run-scale-model';
import type { MachineInfo } from './machine';
import type { ClaimRow, FunctionRow } from './types';

export const SECTIONS = ['cold-start', 'claim', 'e2e', 'requestsPerOrder', 'burst', 'restock', 'import', 'scale'] as const;
export type SectionName = (typeof SECTIONS)[number];

export interface BenchResults {
  machine: MachineInfo;
  commit: string;
  /** Uncommitted changes to tracked files when the run started. */
  dirty: boolean;
  date: string;
  mode: 'full' | 'quick';
  sections: SectionName[];
  durationsMs: Partial<Record<SectionName, number>>;
  claim?: ClaimRow[];
  claimDetails?: Omit<ClaimBenchResult, 'claim'>;
  e2e?: E2eBenchResult;
  functions?: FunctionRow[];
  coldStartDetails?: Omit<ColdStartBenchResult, 'functions'>;
  cost?: CostEstimate;
  restock?: RestockBenchResult;
  import?: ImportBenchResult;
  burst?: BurstBenchResult;
  /** The delivery path (lean) beside the path before its requests were cut (classic): requests and CPU per order. */
  requestsPerOrder?: PathsBenchResult;
  /** The scale model (pure computation from `cost`'s request mix), for the deployed stack on AWS. */
  scale?: ScaleBenchResult;
}
