// Use case: codes are available and units wait for them: reserve codes for the oldest units first.
import { randomUUID } from 'node:crypto';
import type { CoreDeps } from './deps';
import type { OrderMessage } from './model';
import type { BackorderEntry } from './ports/backorders';

const PAGE = 25;
const LEASE_MS = 60_000;
/** Re-runs after releasing the lease, to catch backorders or codes that arrived meanwhile (no lost wake-up). */
const MAX_PASSES = 3;

export interface FillReport {
  reserved: number;
  outOfStock: boolean;
  skipped?: 'LEASE_HELD';
}

/** One filler per SKU (a lease) walks the FIFO oldest first and stops at the first stock-out. */
/** What filling backorders uses. */
export type FillDeps = Pick<CoreDeps, 'orders' | 'claims' | 'backorders' | 'stock' | 'leases' | 'orderQueue' | 'log'>;

export async function fillBackorders(deps: FillDeps, sku: string): Promise<FillReport> {
  const total: FillReport = { reserved: 0, outOfStock: false };
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    if (!(await deps.backorders.hasBackorders(sku))) return total;
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
    // A stock-out seen on a lagging index, or codes that landed while a skipped waker found the
    // lease held: only stop when the SKU really has nothing left.
    if (result.outOfStock && (await deps.stock.countAvailable(sku, 1)) === 0) return total;
  }
  return total;
}

/**
 * A FIFO entry stays until its unit is delivered, cancelled, or its RESUME message is on the queue,
 * so a crash anywhere in between leaves it for the next pass, which resumes the RESERVED unit.
 */
async function fillUnderLease(deps: FillDeps, sku: string): Promise<FillReport> {
  let reserved = 0;
  for (;;) {
    const page = await deps.backorders.oldestBackorders(sku, PAGE);
    if (page.length === 0) return { reserved, outOfStock: false };
    const resume: OrderMessage[] = [];
    const handled: BackorderEntry[] = [];
    const queueResume = (entry: BackorderEntry) => {
      handled.push(entry);
      if (!resume.some((m) => m.kind === 'RESUME' && m.storeId === entry.storeId && m.orderId === entry.orderId)) {
        resume.push({ kind: 'RESUME', storeId: entry.storeId, orderId: entry.orderId });
      }
    };
    let outOfStock = false;
    for (const entry of page) {
      let unit = await deps.orders.getUnit(entry);
      if (unit?.state === 'BACKORDERED') {
        const claim = await deps.claims.claim(unit, 'BACKORDERED');
        if (claim.result === 'OUT_OF_STOCK') {
          outOfStock = true;
          break;
        }
        if (claim.result === 'CLAIMED') {
          reserved++;
          queueResume(entry);
          continue;
        }
        // Someone else moved the unit (the claim returns it as it is now), or the order was cancelled:
        // the unit follows it, and only a lost race there needs a read.
        if (claim.result === 'UNIT_TAKEN') unit = claim.unit;
        else if (await deps.backorders.cancelBackorder(unit)) unit = { ...unit, state: 'CANCELLED' };
        else unit = await deps.orders.getUnit(entry);
      }
      if (unit?.state === 'RESERVED') queueResume(entry);
      // Delivered, cancelled or gone: the entry is stale.
      else if (unit?.state !== 'BACKORDERED') handled.push(entry);
    }
    // Sent in FIFO order after each page, so the oldest customers get their codes first.
    await deps.orderQueue.sendMany(resume);
    for (const entry of handled) await deps.backorders.removeBackorderEntry(entry);
    if (reserved > 0) deps.log.info('Backorders reserved', { sku, reserved, page: page.length });
    if (outOfStock) return { reserved, outOfStock: true };
  }
}
