// The restock figures from a variant's raw timestamps and counts, the target each burst is held to,
// and the demand/baseline ratios. Pure, so the arithmetic is unit-tested and a `--render` re-derives
// the targets and ratios with the current formulas.
import { round, summarize, type LatencySummary } from '../lib/stats';
import type { VariantRaw } from './protocol';
import { CALLS_PER_SUB_ORDER, TARGET_MARGIN_MS, TOKEN_CALLS, type RestockSettings, type SizingMode } from './settings';

/**
 * Supplier requests, one after another, that buying `units` cards takes at best: the token, then per
 * sub-order of at most `subOrderLimit` cards a lookup by reference, the POST and the cards read.
 */
export function sequentialSupplierCalls(units: number, subOrderLimit: number): number {
  return TOKEN_CALLS + CALLS_PER_SUB_ORDER * Math.ceil(units / subOrderLimit);
}

/** The target for a burst: the supplier's own time for the sub-orders it needs, plus 3 s. */
export const targetP99Ms = (units: number, latencyMs: number, subOrderLimit: number) => latencyMs * sequentialSupplierCalls(units, subOrderLimit) + TARGET_MARGIN_MS;

export interface RestockMeasured {
  mode: SizingMode;
  burst: number;
  /** The sizing the functions used; null: this build has no sizing setting (both modes ran today's rule). */
  sizing: string | null;
  cooldownSeconds: number;
  sweepIntervalS: number;
  orders: number;
  ackErrors: number;
  delivered: number;
  /** Orders still without a code when the burst timed out. */
  undelivered: number;
  /** Paid webhook sent → code message recorded, over the delivered orders. */
  paymentToCode: LatencySummary;
  /** First webhook sent → first unit backordered: what the order path takes before restocking can start. */
  firstBackorderMs: number | null;
  /** First backorder → the first reorder record (the decision to buy), by its createdAt. */
  backorderToFirstReorderMs: number | null;
  /** First backorder → the supplier's first request (the token), and → its first POST /orders. */
  backorderToFirstCallMs: number | null;
  backorderToFirstPostMs: number | null;
  supplierRequests: number;
  supplierPosts: number;
  requestsByEndpoint: Record<string, number>;
  cardsBought: number;
  /** Cards bought minus units ordered (the SKU started at 0 stock). */
  boughtBeyondDemand: number;
  reorders: number;
  reorderQuantities: number[];
  /** Counts taken at rest (nothing in flight, stock at the threshold); otherwise more may still be bought. */
  settled: boolean;
  availableAfter: number;
  /** First webhook sent → last code recorded. */
  burstMs: number | null;
  /**
   * First webhook sent → last webhook acknowledged: how long the machine took just to take the burst in
   * (CPU-bound here, where DynamoDB Local and every function share two cores), a floor under the p99.
   */
  lastAckMs?: number | null;
}

export interface RestockRow extends RestockMeasured {
  sequentialCalls: number;
  targetP99Ms: number;
  meetsLatencyTarget: boolean;
  meetsWasteTarget: boolean;
}

const latest = (stamps: number[]) => (stamps.length ? Math.max(...stamps) : null);
const since = (from: number | null, to: number | null) => (from === null || to === null ? null : round(to - from, 0));

export function measuredFigures(raw: VariantRaw, sweepIntervalMs: number): RestockMeasured {
  const delivered = raw.orders.filter((o) => o.codeAt !== null);
  const lastCode = latest(delivered.map((o) => o.codeAt!));
  const requests = raw.supplier.requests;
  // The unit's own stamp; the "on its way" notice only if no unit carries one.
  const firstBackorder = raw.firstBackorderAt ?? raw.firstNoticeAt;
  const created = raw.reorders.map((r) => Date.parse(r.createdAt)).filter(Number.isFinite);
  const firstReorder = created.length ? Math.min(...created) : null;
  return {
    mode: raw.mode,
    burst: raw.burst,
    sizing: raw.effective.sizing,
    cooldownSeconds: raw.effective.cooldownSeconds,
    sweepIntervalS: sweepIntervalMs / 1000,
    orders: raw.orders.length,
    ackErrors: raw.orders.filter((o) => !o.acked).length,
    delivered: delivered.length,
    undelivered: raw.orders.length - delivered.length,
    paymentToCode: summarize(delivered.map((o) => o.codeAt! - o.sentAt)),
    firstBackorderMs: since(raw.burstStartedAt, firstBackorder),
    backorderToFirstReorderMs: since(firstBackorder, firstReorder),
    backorderToFirstCallMs: since(firstBackorder, raw.supplier.firstRequestAt),
    backorderToFirstPostMs: since(firstBackorder, raw.supplier.firstPostAt),
    supplierRequests: Object.values(requests).reduce((sum, n) => sum + n, 0),
    supplierPosts: requests['POST /orders'] ?? 0,
    requestsByEndpoint: requests,
    cardsBought: raw.supplier.cardsIssued,
    boughtBeyondDemand: raw.supplier.cardsIssued - raw.burst,
    reorders: raw.reorders.length,
    reorderQuantities: raw.reorders.map((r) => r.quantity),
    settled: raw.settled,
    availableAfter: raw.availableAfter,
    burstMs: since(raw.burstStartedAt, lastCode),
    lastAckMs: since(raw.burstStartedAt, latest(raw.orders.flatMap((o) => (o.ackAt === null ? [] : [o.ackAt])))),
  };
}

/** The targets: p99 within the supplier's own time + 3 s with every order delivered; beyond demand at most the threshold, at rest. */
export function withTargets(row: RestockMeasured, settings: Pick<RestockSettings, 'supplierLatencyMs' | 'subOrderLimit' | 'sku'>): RestockRow {
  const target = targetP99Ms(row.burst, settings.supplierLatencyMs, settings.subOrderLimit);
  return {
    ...row,
    sequentialCalls: sequentialSupplierCalls(row.burst, settings.subOrderLimit),
    targetP99Ms: target,
    meetsLatencyTarget: row.undelivered === 0 && row.paymentToCode.p99Ms <= target,
    meetsWasteTarget: row.settled && row.boughtBeyondDemand <= settings.sku.threshold,
  };
}

export interface RestockComparison {
  burst: number;
  targetP99Ms: number;
  demandP99Ms: number;
  baselineP99Ms: number;
  /** Demand ÷ baseline: below 1 is faster. */
  p99Ratio: number;
  maxRatio: number;
  demandMeetsTargets: boolean;
}

/** One line per burst that ran in both modes. */
export function compareModes(rows: RestockRow[]): RestockComparison[] {
  const bursts = [...new Set(rows.map((r) => r.burst))];
  return bursts.flatMap((burst) => {
    const demand = rows.find((r) => r.burst === burst && r.mode === 'demand');
    const baseline = rows.find((r) => r.burst === burst && r.mode === 'fixed');
    if (!demand || !baseline) return [];
    return [
      {
        burst,
        targetP99Ms: demand.targetP99Ms,
        demandP99Ms: demand.paymentToCode.p99Ms,
        baselineP99Ms: baseline.paymentToCode.p99Ms,
        p99Ratio: round(demand.paymentToCode.p99Ms / baseline.paymentToCode.p99Ms, 3),
        maxRatio: round(demand.paymentToCode.maxMs / baseline.paymentToCode.maxMs, 3),
        demandMeetsTargets: demand.meetsLatencyTarget && demand.meetsWasteTarget,
      },
    ];
  });
}
