// Use case: react to inventory changes seen on the table's stream.
import { fillBackorders, type FillDeps, type FillReport } from './fill-backorders';
import type { ReorderPollMessage } from './ports/queues';
import { maybeReorder, pollReorder, wakeReorder, type ReorderDecision, type ReorderDeps } from './reorder';

/** What happened to a SKU in a batch of stream records. */
export interface SkuActivity {
  /** Available stock went down (claims, revocations): maybe reorder. */
  stockTaken: boolean;
  /** Codes became available: wake the backorder filler. */
  stockAdded: boolean;
  /** A unit joined the backorder queue: wake the filler (stock may have landed just before). */
  backorderAdded: boolean;
}

/** What reacting to inventory changes uses: the filler's and the reorder's dependencies. */
export type InventoryDeps = FillDeps & ReorderDeps;

export async function onSkuActivity(deps: InventoryDeps, sku: string, activity: SkuActivity): Promise<void> {
  // The fill runs in the poll function: a stock-out's fill pages took seconds under a burst, and in
  // the stream they held up the next batch, so no decision saw the backorders arriving meanwhile. The
  // decision counts what is available before what waits, so a fill running alongside can only make
  // the need look smaller (the next decision tops up), never buy twice.
  const work: Array<Promise<void>> = [];
  if (activity.stockAdded || activity.backorderAdded) work.push(deps.pollQueue.schedule({ sku, fill: true }, 0));
  if (activity.stockTaken || activity.backorderAdded) work.push(decideFor(deps, sku, activity.backorderAdded));
  const failed = (await Promise.allSettled(work)).find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failed) throw failed.reason;
}

/** The filler, woken by the stream through the poll queue. */
export async function onFillMessage(deps: InventoryDeps, sku: string): Promise<FillReport> {
  const fill = await fillBackorders(deps, sku);
  if (fill.reserved > 0) deps.log.info('Backorders filled', { sku, ...fill });
  return fill;
}

async function decideFor(deps: InventoryDeps, sku: string, thorough: boolean): Promise<void> {
  // The stream only decides and starts: the supplier calls run in the poll function.
  const decision = await maybeReorder(deps, sku, { placeVia: 'queue', thorough });
  // Nearly every claim lands here with stock above the threshold: logging that at INFO was a sixth
  // of the log volume per order (CloudWatch Logs bills by the byte), so only decisions that act do.
  const level = decision === 'ABOVE_THRESHOLD' || decision === 'IN_FLIGHT' ? 'debug' : 'info';
  deps.log[level]('Reorder decision', { sku, decision });
}

/** Steps after which the supplier's codes may have just been stored. */
const MAY_HAVE_STORED: ReadonlySet<ReorderDecision> = new Set(['COMPLETED', 'PENDING', 'FAILED', 'STUCK', 'LATE_CHECK_PENDING', 'LATE_CHECK_DONE']);

/**
 * A poll-queue message: a reorder's next step, or the wake after a pause. Codes a step stored go to
 * the waiting customers at once, from here: the stream would wake the filler too, a second later.
 */
export async function onReorderMessage(deps: InventoryDeps, message: Exclude<ReorderPollMessage, { fill: true }>): Promise<ReorderDecision> {
  let filled = false;
  const fill = async () => {
    filled = true;
    const report = await fillBackorders(deps, message.sku);
    if (report.reserved > 0) deps.log.info('Backorders filled', { sku: message.sku, ...report });
  };
  // Right after the step that stored them, not after the follow-up decision (a second or more under load).
  const afterStep = async (step: ReorderDecision) => {
    if (MAY_HAVE_STORED.has(step)) await fill();
  };
  const decision =
    'wake' in message ? await wakeReorder(deps, message.sku, afterStep) : await pollReorder(deps, message.sku, message.reorderId, message.pollId, message.lateCheck, afterStep);
  // A late check stores codes without a step of its own.
  if (!filled && MAY_HAVE_STORED.has(decision)) await fill();
  return decision;
}

/**
 * The safety net, every minute: indexes are eventually consistent and messages can be lost, so any
 * SKU with both backorders and stock is filled, and stale reorders are reconciled.
 */
export async function sweep(deps: InventoryDeps): Promise<{ skus: number; filled: number; failed: number }> {
  let filled = 0;
  let failed = 0;
  const skus = await deps.catalog.listSkus();
  // A different first SKU each minute, so one slow or failing SKU cannot starve the ones after it.
  const offset = skus.length ? Math.floor(deps.clock.now().getTime() / 60_000) % skus.length : 0;
  for (const sku of [...skus.slice(offset), ...skus.slice(0, offset)]) {
    try {
      filled += (await fillBackorders(deps, sku)).reserved;
      await maybeReorder(deps, sku, { placeVia: 'queue', thorough: true });
    } catch (err) {
      failed++;
      deps.log.error('Sweep failed for SKU', { sku, error: (err as Error).message });
    }
  }
  return { skus: skus.length, filled, failed };
}
