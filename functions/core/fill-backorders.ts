// Use case: codes are available and units wait for them: reserve codes for the oldest units first.
import { randomUUID } from 'node:crypto';
import type { CoreDeps } from './deps';
import type { OrderMessage } from './model';
import type { BackorderEntry } from './ports/backorders';
import type { ClaimOutcome } from './ports/claims';
import type { OrderUnit } from './ports/orders';

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
    const outcomes = await settlePage(deps, page);
    const resume: OrderMessage[] = [];
    const handled: BackorderEntry[] = [];
    for (const entry of page) {
      const outcome = outcomes.get(entry);
      // Not tried (behind a stock-out), out of stock, or still waiting for a lost race: stays.
      if (outcome === undefined || outcome === 'OUT_OF_STOCK' || outcome === 'WAITING') continue;
      handled.push(entry);
      if (outcome === 'STALE') continue;
      if (outcome === 'CLAIMED') reserved++;
      if (!resume.some((m) => m.kind === 'RESUME' && m.storeId === entry.storeId && m.orderId === entry.orderId)) {
        resume.push({ kind: 'RESUME', storeId: entry.storeId, orderId: entry.orderId });
      }
    }
    // Sent in FIFO order after each page, so the oldest customers get their codes first.
    await deps.orderQueue.sendMany(resume);
    await deps.backorders.removeBackorderEntries(handled);
    const results = [...outcomes.values()];
    const claimed = results.filter((o) => o === 'CLAIMED').length;
    if (claimed > 0) deps.log.info('Backorders reserved', { sku, reserved: claimed, page: page.length });
    if (results.includes('OUT_OF_STOCK')) return { reserved, outOfStock: true };
    // A page where nothing moved (every unit still waiting for a lost race) would loop: the next pass retries.
    if (handled.length === 0) return { reserved, outOfStock: false };
  }
}

/** CLAIMED: a code reserved now; RESERVED: reserved before, its RESUME is due; STALE: delivered, cancelled or gone. */
type EntryOutcome = 'CLAIMED' | 'RESERVED' | 'STALE' | 'OUT_OF_STOCK' | 'WAITING';

/**
 * An entry a claim marked was reserved by an earlier pass that stopped before its RESUME: read and
 * resumed, never claimed for again, stock or not. The others are claimed for in one call, oldest first
 * as far as the stock goes (side by side where it covers them); the entries after a stock-out are not
 * tried and have no outcome.
 */
async function settlePage(deps: FillDeps, page: BackorderEntry[]): Promise<Map<BackorderEntry, EntryOutcome>> {
  const waiting = page.filter((entry) => !entry.reserved);
  const [earlier, claims] = await Promise.all([
    Promise.all(page.filter((entry) => entry.reserved).map(async (entry) => [entry, outcomeOf(await deps.orders.getUnit(entry))] as const)),
    waiting.length > 0 ? deps.claims.claimWaiting(waiting) : [],
  ]);
  const settled = new Map<BackorderEntry, EntryOutcome>(earlier);
  await Promise.all(claims.map(async (claim, i) => settled.set(waiting[i], await afterClaim(deps, waiting[i], claim))));
  return settled;
}

async function afterClaim(deps: FillDeps, entry: BackorderEntry, claim: ClaimOutcome): Promise<EntryOutcome> {
  switch (claim.result) {
    case 'CLAIMED':
    case 'OUT_OF_STOCK':
      return claim.result;
    case 'UNIT_TAKEN':
      // Someone else moved the unit (the claim returns it as it is now), or it is gone.
      return outcomeOf(claim.unit);
    case 'ORDER_CANCELLED': {
      // The unit follows its order, and only a lost race there needs a second read.
      const unit = await deps.orders.getUnit(entry);
      if (unit?.state !== 'BACKORDERED') return outcomeOf(unit);
      return (await deps.backorders.cancelBackorder(unit)) ? 'STALE' : outcomeOf(await deps.orders.getUnit(entry));
    }
  }
}

const outcomeOf = (unit: OrderUnit | undefined): EntryOutcome => (unit?.state === 'RESERVED' ? 'RESERVED' : unit?.state === 'BACKORDERED' ? 'WAITING' : 'STALE');
