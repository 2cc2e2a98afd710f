// What the restock section sets up: one SKU at 0 stock bought from the fake Reloadly at a stated
// latency, bursts of paid one-unit orders, and the two reorder sizings side by side in the same run.
import type { SkuConfig } from '#core/model';

/** The supplier every variant buys from: its fake runs inside the pipeline process. */
export const SUPPLIER = 'reloadly';
/** A product the fake Reloadly sells (its local demoProducts) and the price it accepts. */
export const SUPPLIER_PRODUCT = { productId: '3001', unitPrice: 50 };
/** The "fake Reloadly, 200 ms latency": every answer of the fake, token included, waits this long. */
export const SUPPLIER_LATENCY_MS = 200;
/**
 * Cards per Reloadly sub-order: ReloadlySupplier's `maxPerOrder` default (reloadly-supplier.ts, not
 * exported there). A reorder of q cards is ceil(q / 10) sub-orders, placed one after another.
 */
export const SUB_ORDER_LIMIT = 10;
/** Requests one sub-order costs, in sequence: look it up by reference, POST /orders, read its cards. */
export const CALLS_PER_SUB_ORDER = 3;
/** The OAuth token, fetched once per container before the first gift-card call. */
export const TOKEN_CALLS = 1;
/** What the target allows beyond the supplier's own time. */
export const TARGET_MARGIN_MS = 3_000;
/** The sweep on AWS (a scheduled rule every minute). */
export const AWS_SWEEP_INTERVAL_MS = 60_000;

export type SizingMode = 'fixed' | 'demand';

export interface ModeSettings {
  mode: SizingMode;
  /** How the mode is named in the report. */
  label: string;
  /** Function settings (functions/wiring/config.ts env vars) this mode sets; the rest keep their defaults. */
  env: Record<string, string>;
  /** The local stand-in of the scheduled sweep. */
  sweepIntervalMs: number;
}

export interface RestockSettings {
  supplier: string;
  supplierLatencyMs: number;
  subOrderLimit: number;
  sku: SkuConfig & { maxReorderQuantity?: number };
  /** Units of the burst (one-unit paid orders sent at once); each burst runs once per mode. */
  bursts: number[];
  modes: ModeSettings[];
  /** A burst not fully delivered by then is reported unfinished instead of waited for. */
  burstTimeoutMs: number;
  /** Longest wait after the last code for the SKU to come to rest (no reorder in flight, stock at the threshold). */
  settleCapMs: number;
  /** One-unit orders of another, stocked SKU sent first, so the burst meets a warm order path. */
  warmUpOrders: number;
  reorderPollDelaySeconds: number;
  deliveryConcurrency: number;
}

/** BENCH_RESTOCK_ONLY=demand:200 (mode and/or burst) runs one variant, for looking into one row. */
function narrowed(settings: RestockSettings, only = process.env.BENCH_RESTOCK_ONLY): RestockSettings {
  if (!only) return settings;
  const [mode, burst] = only.split(':');
  return {
    ...settings,
    modes: mode ? settings.modes.filter((m) => m.mode === mode) : settings.modes,
    bursts: burst ? [Number(burst)] : settings.bursts,
  };
}

export function restockSettings(quick: boolean): RestockSettings {
  return narrowed({
    supplier: SUPPLIER,
    supplierLatencyMs: SUPPLIER_LATENCY_MS,
    subOrderLimit: SUB_ORDER_LIMIT,
    sku: {
      sku: 'BENCH-RESTOCK',
      name: 'Restock benchmark SKU',
      threshold: 5,
      reorderQuantity: 20,
      supplier: SUPPLIER,
      supplierProductId: SUPPLIER_PRODUCT.productId,
      unitPrice: SUPPLIER_PRODUCT.unitPrice,
      maxReorderQuantity: 500,
    },
    // Quick: one small burst, still both modes, so the ratio shows in under 2 minutes.
    bursts: quick ? [20] : [40, 200],
    modes: [
      // Today's rule: reorderQuantity when below the threshold, one reorder at a time, then a 10 s
      // cooldown after which only the sweep looks again. A 10 s sweep (AWS: 60 s) keeps the 200 burst
      // within minutes; on AWS the baseline is slower still.
      { mode: 'fixed', label: 'baseline (fixed quantity, 10 s sweep)', env: { REORDER_SIZING: 'fixed', REORDER_COOLDOWN_SECONDS: '10' }, sweepIntervalMs: 10_000 },
      // The new rule with its default cooldown, and the sweep as deployed: it must not lean on the sweep.
      { mode: 'demand', label: 'demand sizing (60 s sweep, as on AWS)', env: { REORDER_SIZING: 'demand' }, sweepIntervalMs: AWS_SWEEP_INTERVAL_MS },
    ],
    burstTimeoutMs: quick ? 60_000 : 300_000,
    settleCapMs: quick ? 20_000 : 90_000,
    warmUpOrders: quick ? 20 : 40,
    reorderPollDelaySeconds: 2,
    deliveryConcurrency: 10,
  });
}
