// Use case: codes are available and units wait for them: reserve codes for the oldest units first.
import { randomUUID } from 'node:crypto';
import type { CoreDeps } from './deps';
import type { OrderMessage } from './model';

const PAGE = 25;
const LEASE_MS = 60_000;
/** Re-runs after releasing the lease, to catch backorders written while we held it (no lost wake-up). */
const MAX_PASSES = 3;

export interface FillReport {
  reserved: number;
  outOfStock: boolean;
  skipped?: 'LEASE_HELD';
}

/** One filler per SKU (a lease) walks the FIFO oldest first and stops at the first stock-out. */
export async function fillBackorders(deps: CoreDeps, sku: string): Promise<FillReport> {
  const total: FillReport = { reserved: 0, outOfStock: false };
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    if (!(await deps.inventory.hasBackorders(sku))) return total;
    const owner = randomUUID();
    if (!(await deps.leases.acquire(sku, owner, LEASE_MS))) return pass === 0 ? { ...total, skipped: 'LEASE_HELD' } : total;
    let result: FillReport;
    try {
      result = await fillUnderLease(deps, sku);
    } finally {
      await deps.leases.release(sku, owner);
    }
    total.reserved += result.reserved;
    total.outOfStock = result.outOfStock;
    if (result.outOfStock) return total;
  }
  return total;
}

async function fillUnderLease(deps: CoreDeps, sku: string): Promise<FillReport> {
  let reserved = 0;
  for (;;) {
    const page = await deps.inventory.oldestBackorders(sku, PAGE);
    if (page.length === 0) return { reserved, outOfStock: false };
    const resume: OrderMessage[] = [];
    const seen = new Set<string>();
    for (const entry of page) {
      const unit = await deps.orders.getUnit(entry);
      if (!unit || unit.state !== 'BACKORDERED') {
        // Cancelled or filled already: the FIFO entry is stale.
        await deps.inventory.removeBackorderEntry(entry);
        continue;
      }
      const claim = await deps.inventory.claim(unit, 'BACKORDERED');
      if (claim.result === 'OUT_OF_STOCK') {
        await deps.orderQueue.sendMany(resume);
        return { reserved, outOfStock: true };
      }
      if (claim.result === 'UNIT_TAKEN') {
        await deps.inventory.removeBackorderEntry(entry);
        continue;
      }
      reserved++;
      const key = `${entry.storeId}/${entry.orderId}`;
      if (!seen.has(key)) {
        seen.add(key);
        resume.push({ kind: 'RESUME', storeId: entry.storeId, orderId: entry.orderId });
      }
    }
    // Sent in FIFO order after each page, so the oldest customers get their codes first.
    await deps.orderQueue.sendMany(resume);
    deps.log.info('Backorders reserved', { sku, reserved, page: page.length });
  }
}
