// Once the SKU is sold out every new order joins its backorder FIFO, one key per SKU whatever the code
// items' shards. Read off the code, not measured (the E2E phase always had stock).
import type { Limits } from './limits';

export const SOLD_OUT_PER_ORDER = {
  /** The FIFO entry's Put in the backorder transaction (functions/adapters/dynamo/backorder-queue.ts backorder). */
  wcu: 2,
  /** hasBackorders (Limit 1, consistent) before it. */
  rcu: 1,
} as const;

export interface SoldOutRow {
  ordersPerMin: number;
  key: string;
  wcu: number;
  rcu: number;
  headroom: number;
  capacityOrdersPerMin: number;
}

/**
 * Per order only: each new entry also wakes the restock stream, whose fill takes the fill lease and
 * counts the FIFO (reads of up to the reorder cap's entries) once per stream batch, on top of this.
 */
export function soldOutLoad(ratesPerMin: number[], limits: Limits): SoldOutRow[] {
  return ratesPerMin.map((ordersPerMin) => {
    const perSecond = ordersPerMin / 60;
    const wcu = perSecond * SOLD_OUT_PER_ORDER.wcu;
    const rcu = perSecond * SOLD_OUT_PER_ORDER.rcu;
    const headroom = Math.min(limits.partitionWcu / wcu, limits.partitionRcu / rcu);
    return { ordersPerMin, key: 'BACKORDER#<sku>', wcu: Math.round(wcu), rcu: Math.round(rcu), headroom: Math.round(headroom * 1000) / 1000, capacityOrdersPerMin: Math.round(ordersPerMin * headroom) };
  });
}
