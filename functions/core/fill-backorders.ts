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
    // With stock for the whole page every unit gets a code, so claiming them side by side keeps the
    // FIFO; near a stock-out they go one by one, oldest first, and stop at the first miss.
    const enough = (await deps.stock.countAvailable(sku, page.length)) >= page.length;
    const outcomes: EntryOutcome[] = [];
    if (enough) outcomes.push(...(await Promise.all(page.map((entry) => settleEntry(deps, entry)))));
    else {
      for (const entry of page) {
        const outcome = await settleEntry(deps, entry);
        outcomes.push(outcome);
        if (outcome === 'OUT_OF_STOCK') break;
      }
    }
    const resume: OrderMessage[] = [];
    const handled: BackorderEntry[] = [];
    for (const [i, outcome] of outcomes.entries()) {
      const entry = page[i];
      if (outcome === 'OUT_OF_STOCK' || outcome === 'WAITING') continue;
      handled.push(entry);
      if (outcome === 'STALE') continue;
      if (outcome === 'CLAIMED') reserved++;
      if (!resume.some((m) => m.kind === 'RESUME' && m.storeId === entry.storeId && m.orderId === entry.orderId)) {
        resume.push({ kind: 'RESUME', storeId: entry.storeId, orderId: entry.orderId });
      }
    }
    // Sent in FIFO order after each page, so the oldest customers get their codes first.
    await deps.orderQueue.sendMany(resume);
    await Promise.all(handled.map((entry) => deps.backorders.removeBackorderEntry(entry)));
    const claimed = outcomes.filter((o) => o === 'CLAIMED').length;
    if (claimed > 0) deps.log.info('Backorders reserved', { sku, reserved: claimed, page: page.length, parallel: enough });
    if (outcomes.includes('OUT_OF_STOCK')) return { reserved, outOfStock: true };
    // A page where nothing moved (every unit still waiting for a lost race) would loop: the next pass retries.
    if (handled.length === 0) return { reserved, outOfStock: false };
  }
}

/** CLAIMED: a code reserved now; RESERVED: reserved before, its RESUME is due; STALE: delivered, cancelled or gone. */
type EntryOutcome = 'CLAIMED' | 'RESERVED' | 'STALE' | 'OUT_OF_STOCK' | 'WAITING';

async function settleEntry(deps: FillDeps, entry: BackorderEntry): Promise<EntryOutcome> {
  let unit = await deps.orders.getUnit(entry);
  if (unit?.state === 'BACKORDERED') {
    const claim = await deps.claims.claim(unit, 'BACKORDERED');
    if (claim.result === 'OUT_OF_STOCK') return 'OUT_OF_STOCK';
    if (claim.result === 'CLAIMED') return 'CLAIMED';
    // Someone else moved the unit (the claim returns it as it is now), or the order was cancelled:
    // the unit follows it, and only a lost race there needs a read.
    if (claim.result === 'UNIT_TAKEN') unit = claim.unit;
    else if (await deps.backorders.cancelBackorder(unit)) unit = { ...unit, state: 'CANCELLED' };
    else unit = await deps.orders.getUnit(entry);
  }
  if (unit?.state === 'RESERVED') return 'RESERVED';
  return unit?.state === 'BACKORDERED' ? 'WAITING' : 'STALE';
}
