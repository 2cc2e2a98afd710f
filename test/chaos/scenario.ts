// A chaos scenario: a pipeline set-up, a run that places orders and injects faults, and the time it
// may take to settle. Every scenario is judged by the same verify(); `check` adds its own promises.
import type { PipelineOptions } from '#local/pipeline';
import type { Figures } from './verify';
import type { World } from './world';

export interface Scenario {
  name: string;
  /** The faults, in words: the reliability table's "faults injected" column. */
  faults: string;
  /** Fast scenarios (well under a minute) also run in `npm test`. */
  fast: boolean;
  /** How long the pipeline may take to settle after `run` returns. */
  settleMs: number;
  pipeline?: Partial<PipelineOptions>;
  /** Function timeouts in ms (default CHAOS_TIMEOUTS), enforced as Lambda does; keep them below the send lease. */
  timeouts?: Record<string, number>;
  run(world: World): Promise<void>;
  /** Scenario-specific failures, after the common verdict. */
  check?(world: World, figures: Figures): Promise<string[]>;
  /** A figure worth quoting beside the common ones, e.g. "messages per unit 1.00". */
  note?(world: World, figures: Figures): Promise<string> | string;
}

/** Restock settings that make supplier scenarios run in seconds instead of minutes (the logic is the same). */
export const FAST_RESTOCK_ENV = {
  REORDER_POLL_DELAY_SECONDS: '1',
  REORDER_COOLDOWN_SECONDS: '1',
  REORDER_FAILURE_BACKOFF_SECONDS: '3',
  REORDER_LEASE_SECONDS: '15',
  LATE_CHECK_INTERVAL_SECONDS: '2',
  LATE_CHECK_WINDOW_SECONDS: '120',
};

/**
 * The deployed proportions, scaled down: the send lease outlives the delivery function's timeout and
 * ends before the message comes back, so a killed sender's unit is taken over by its message's retry.
 */
export const CHAOS_PIPELINE: Partial<PipelineOptions> = { visibilityTimeoutSeconds: 10, sendLeaseSeconds: 6 };
export const CHAOS_TIMEOUTS: Record<string, number> = { delivery: 5000 };

export const RELOADLY = (productId: string) => ({ name: 'reloadly', productId, unitPrice: 10 });
