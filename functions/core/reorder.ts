// Use case: keep each SKU stocked for what waits and above its threshold, buying from the first of its
// suppliers that can deliver, never twice for the same demand and never the same reorder twice (our
// reorder id is the supplier's client reference). The stream and the sweep only decide and start; the
// supplier calls run in the poll function, so a slow supplier never holds up the next decision.
import { randomUUID } from 'node:crypto';
import { supplierOffers, type SkuConfig, type SupplierOffer } from './model';
import { REORDER_LANES, type ActiveReorder, type ReorderStart, type ReorderStatus } from './ports/reorders';
import { sizeReorder, type ReorderSize } from './reorder-sizing';
import { advanceReorder, iso, lateCheckReorder, leaseUntil, nowMs, schedulePoll, type Held, type ReorderDecision, type ReorderDeps } from './reorder-steps';
import { checkBalance } from './supplier-balance';

export type { ReorderDecision, ReorderDeps } from './reorder-steps';

export interface DecideOptions {
  /** `queue`: start the reorder and hand its supplier calls to the poll queue. @default 'inline' */
  placeVia?: 'inline' | 'queue';
  /** Count the backlog even when stock looks above the threshold (a backorder was added, a wake, the sweep). */
  thorough?: boolean;
  /** The reorder that failed at another supplier, when this decision replaces it. */
  failoverFrom?: string;
  /** This decision is the scheduled wake at the end of a pause. */
  waking?: boolean;
  /** After each supplier step made here, before the next decision: where stored codes go to waiting customers. */
  afterStep?: AfterStep;
}

export type AfterStep = (step: ReorderDecision) => Promise<void>;

/** A size, and the counts it came from (logged with the reorder). */
type SizedReorder = ReorderSize & { seen: { available: number; backlog?: number; outstanding?: number; settling?: number } };

/** Parallel reorders smaller than this would cost more supplier calls than they save in time. */
const MIN_PARALLEL_PART = 10;

/** How long a reorder that fell short keeps the SKU's follow-ups at the batch size. */
const SHORT_MEMORY_MS = 60 * 60_000;

/** Counts of the stock against a backlog that grew meanwhile, before the decision leaves it to the next one. */
const RECOUNTS = 3;

/** A decision that lost to a concurrent start looks again: the winner may not have seen the newest backorders. */
const ATTEMPTS = 3;

export async function maybeReorder(deps: ReorderDeps, sku: string, options: DecideOptions = {}): Promise<ReorderDecision> {
  let decision: ReorderDecision = 'LOST_RACE';
  for (let attempt = 0; attempt < ATTEMPTS && decision === 'LOST_RACE'; attempt++) decision = await decide(deps, sku, options);
  return decision;
}

/** The scheduled decision at the end of a pause: whatever still waits is bought now, not at the next sweep. */
export const wakeReorder = (deps: ReorderDeps, sku: string, afterStep?: AfterStep) => maybeReorder(deps, sku, { thorough: true, waking: true, afterStep });

async function decide(deps: ReorderDeps, sku: string, options: DecideOptions): Promise<ReorderDecision> {
  const config = await deps.catalog.getSkuConfig(sku);
  if (!config || supplierOffers(config).length === 0) return 'NO_SUPPLIER';
  const status = await deps.reorders.getReorderStatus(sku);
  const now = iso(nowMs(deps));
  const stale = status.active.find((reorder) => reorder.leaseUntil < now);
  if (stale) return takeOverIfStale(deps, config, stale, options);
  const fixed = deps.settings.reorderSizing === 'fixed';
  if (fixed && status.active.length > 0) return 'IN_FLIGHT';
  // After a reorder: a short pause, so a lagging index cannot make the new codes look missing. The
  // decision runs again when it ends: waiting customers do not wait for the sweep. Nor for the pause:
  // what they need beyond the codes that may be missing from the index is bought now.
  const paused = status.blockedUntil !== undefined && status.blockedUntil > now;
  if (paused) {
    if (fixed) return 'BLOCKED';
    await wakeAt(deps, sku, status, options);
  }
  const size = fixed ? await fixedSize(deps, config) : await demandSize(deps, config, status, options, paused);
  if (size.quantity <= 0) return paused ? 'BLOCKED' : status.active.length > 0 ? 'IN_FLIGHT' : 'ABOVE_THRESHOLD';
  const freeLanes = fixed ? [0] : Array.from({ length: REORDER_LANES }, (_, n) => n).filter((n) => !status.active.some((a) => a.lane === n));
  if (freeLanes.length === 0) return 'IN_FLIGHT';

  const offer = await pickOffer(deps, config, status, size.quantity);
  if (!offer) return 'BLOCKED';
  if (size.cappedFrom) await reportCapped(deps, config, size);
  // A need of several batches is bought as several reorders side by side (each is the supplier's
  // sub-orders in sequence), one lane kept free for the follow-up the next backorders may need.
  const parts = splitQuantity(size.quantity, Math.max(1, Math.min(freeLanes.length - 1, Math.floor(size.quantity / Math.max(config.reorderQuantity, MIN_PARALLEL_PART)))));
  const started: Held[] = [];
  for (const [i, quantity] of parts.entries()) {
    const start: ReorderStart = {
      reorderId: `${sku}-${now.replace(/[-:.TZ]/g, '')}-${randomUUID().slice(0, 8)}`,
      lane: freeLanes[i],
      state: 'PLACING',
      leaseUntil: leaseUntil(deps),
      quantity,
      createdAt: now,
      supplier: offer.supplier,
      productId: offer.productId,
      unitPrice: offer.unitPrice,
      pollId: randomUUID(),
      ...(options.failoverFrom ? { failoverFrom: options.failoverFrom } : {}),
    };
    // Each start counts as a start: the next part expects the version this one left.
    if (!(await deps.reorders.startReorder(sku, start, status.version + i))) break;
    deps.log.info('Reorder placed', { sku, reorderId: start.reorderId, quantity, lane: start.lane, supplier: offer.supplier, part: `${i + 1}/${parts.length}`, ...size.seen, failoverFrom: options.failoverFrom });
    started.push({ ...start, holder: start.pollId });
  }
  if (started.length === 0) return 'LOST_RACE';
  if (started.length === 1 && parts.length === 1) return handOverOrAdvance(deps, config, started[0], fixed ? { ...options, placeVia: 'inline' } : options);
  // Several parts run in parallel in the poll function, whoever decided.
  for (const reorder of started) await handOverOrAdvance(deps, config, reorder, { placeVia: 'queue' });
  return started.length === parts.length ? 'PLACED' : 'LOST_RACE';
}

/** `total` in `parts` as even as possible, larger first: 45 in 3 → 15, 15, 15; 46 → 16, 15, 15. */
export function splitQuantity(total: number, parts: number): number[] {
  const base = Math.floor(total / parts);
  return Array.from({ length: parts }, (_, i) => base + (i < total % parts ? 1 : 0));
}

/** The old rule, kept as the benchmark's baseline: below the threshold buy `reorderQuantity`, one reorder at a time. */
async function fixedSize(deps: ReorderDeps, config: SkuConfig): Promise<SizedReorder> {
  const available = await deps.stock.countAvailable(config.sku, config.threshold);
  return { quantity: available >= config.threshold ? 0 : config.reorderQuantity, seen: { available } };
}

/**
 * What waits plus the threshold, minus what is here and on its way. Nearly every decision sees stock
 * above the threshold and stops after one bounded count; the backlog is counted only when stock is low
 * or units were just backordered.
 */
async function demandSize(deps: ReorderDeps, config: SkuConfig, status: ReorderStatus, options: DecideOptions, paused: boolean): Promise<SizedReorder> {
  const { sku, threshold } = config;
  let available = await deps.stock.countAvailable(sku, threshold);
  if (available >= threshold && !options.thorough && (status.active.length === 0 || paused)) return { quantity: 0, seen: { available } };
  const cap = config.maxReorderQuantity ?? deps.settings.reorderMaxQuantity;
  let backlog = await deps.backorders.countBackorders(sku, cap + threshold);
  // A count that stopped at its bound says "at least this many": with units waiting, how far above the
  // threshold matters, so it is counted again up to what they need. The backlog is read after each
  // count: the filler reserving meanwhile can then only make the need look smaller (the next decision
  // tops up), never buy for units it just served. Backorders arriving meanwhile raise the bound again: a
  // count capped below the newer backlog once bought a sliver while 40 codes sat in stock.
  let bound = threshold;
  const cappedBelowNeed = () => backlog > 0 && available >= bound && threshold + backlog > bound;
  for (let round = 0; round < RECOUNTS && cappedBelowNeed(); round++) {
    bound = threshold + backlog;
    available = await deps.stock.countAvailable(sku, bound);
    backlog = await deps.backorders.countBackorders(sku, cap + threshold);
  }
  // Still capped below what waits after the last round: there is at least that much stock, so the
  // filler serves them and the next decision (every wave of backorders makes one) counts again.
  if (cappedBelowNeed()) return { quantity: 0, seen: { available, backlog } };
  const outstanding = status.active.reduce((sum, a) => sum + Math.max(0, a.quantity - (a.codesReceived ?? 0)), 0);
  // Read only when it can matter: with customers waiting (a follow-up's size).
  const recent = backlog > 0 ? await deps.reorders.recentReorders(sku) : [];
  const finishedSince = (ms: number) => recent.filter((r) => r.finishedAt !== undefined && r.finishedAt >= iso(nowMs(deps) - ms));
  // In the pause: the codes of the reorders that finished in it, which the available count may not show yet.
  const settling = paused && backlog > 0 ? finishedSince(deps.settings.reorderCooldownSeconds * 1000).reduce((sum, r) => sum + r.codesReceived, 0) : undefined;
  const shortLately = finishedSince(SHORT_MEMORY_MS).some((r) => r.codesReceived < r.quantity);
  const size = sizeReorder({
    threshold,
    reorderQuantity: config.reorderQuantity,
    cap,
    available,
    backlog,
    outstanding,
    inFlight: status.active.length,
    waking: options.waking,
    ...(paused && { paused: { settling: settling ?? 0 } }),
    shortLately,
  });
  return { ...size, seen: { available, backlog, outstanding, ...(settling !== undefined && { settling }) } };
}

/** The first supplier in the SKU's list that is not paused and whose balance pays for the reorder. */
async function pickOffer(deps: ReorderDeps, config: SkuConfig, status: ReorderStatus, quantity: number): Promise<SupplierOffer | undefined> {
  const now = iso(nowMs(deps));
  for (const offer of supplierOffers(config)) {
    const pausedUntil = status.supplierBlockedUntil[offer.supplier];
    if (pausedUntil && pausedUntil > now) continue;
    if ((await checkBalance(deps, config, offer, quantity)) === 'INSUFFICIENT') continue;
    return offer;
  }
  return undefined;
}

async function reportCapped(deps: ReorderDeps, config: SkuConfig, size: ReorderSize): Promise<void> {
  const cap = config.maxReorderQuantity ?? deps.settings.reorderMaxQuantity;
  deps.log.warn('Reorder capped by the SKU budget', { sku: config.sku, wanted: size.cappedFrom, quantity: size.quantity, cap });
  await deps.alerts.publish({
    type: 'REORDER_CAPPED',
    sku: config.sku,
    message:
      `${config.sku} needs at least ${size.cappedFrom} code(s) but at most ${cap} may be on order at once; ${size.quantity} ordered now. ` +
      'The rest is ordered as these land. Raise maxReorderQuantity if this demand is expected.',
    details: { wanted: size.cappedFrom, ordered: size.quantity, cap },
  });
}

/** Schedules the decision for the end of the pause: once per pause, or again from a wake that came early. */
async function wakeAt(deps: ReorderDeps, sku: string, status: ReorderStatus, options: DecideOptions): Promise<void> {
  const until = status.blockedUntil!;
  if (!options.waking && !(await deps.reorders.scheduleWake(sku, until))) return;
  const delaySeconds = Math.max(1, Math.ceil((Date.parse(until) - nowMs(deps)) / 1000));
  await deps.pollQueue.schedule({ sku, wake: true }, delaySeconds);
}

/**
 * A reorder whose holder crashed, or whose poll message was lost, is taken over once its lease has
 * expired and reconciled by reference: never re-bought.
 */
async function takeOverIfStale(deps: ReorderDeps, config: SkuConfig, active: ActiveReorder, options: DecideOptions): Promise<ReorderDecision> {
  const holder = randomUUID();
  if (!(await deps.reorders.takeLease(config.sku, active, { now: iso(nowMs(deps)), holder, leaseUntil: leaseUntil(deps) }))) return 'IN_FLIGHT';
  deps.log.warn('Taking over a stale reorder', { sku: config.sku, reorderId: active.reorderId });
  // Its holder may have reached the supplier before it went silent, whatever the record says.
  return handOverOrAdvance(deps, config, { ...active, holder, attempted: true }, options);
}

/**
 * Called by the poll queue. The message carries the token its scheduler handed over; taking the lease
 * with it rotates the token, so a duplicate or superseded message finds it gone (STALE_POLL) and can
 * never start a second caller. A late message after the lease expired may take over, alone.
 */
export async function pollReorder(deps: ReorderDeps, sku: string, reorderId: string, pollId?: string, lateCheck = false, afterStep?: AfterStep): Promise<ReorderDecision> {
  if (lateCheck && pollId) return lateCheckReorder(deps, sku, reorderId, pollId);
  const config = await deps.catalog.getSkuConfig(sku);
  const active = (await deps.reorders.getReorderStatus(sku)).active.find((reorder) => reorder.reorderId === reorderId);
  if (!config || !active) return 'COMPLETED';
  const holder = randomUUID();
  if (!(await deps.reorders.takeLease(sku, active, { presented: pollId, now: iso(nowMs(deps)), holder, leaseUntil: leaseUntil(deps) }))) return 'STALE_POLL';
  return handOverOrAdvance(deps, config, { ...active, holder }, { placeVia: 'inline', afterStep });
}

/** The holder either hands the supplier calls to an immediate poll, or makes them now and follows on. */
async function handOverOrAdvance(deps: ReorderDeps, config: SkuConfig, reorder: Held, options: DecideOptions): Promise<ReorderDecision> {
  if (options.placeVia === 'queue') {
    await schedulePoll(deps, config.sku, reorder, { state: reorder.state === 'PENDING' ? 'PENDING' : 'PLACING' }, 0);
    return 'PLACED';
  }
  const decision = await advanceReorder(deps, config, reorder);
  // Codes just stored go to the customers waiting for them before anything else is decided.
  await options.afterStep?.(decision);
  await followOn(deps, config.sku, reorder, decision, options.afterStep);
  return decision;
}

/**
 * After a reorder ends: a failed or stuck one is replaced at the next supplier now (new reference), and
 * a completed one leaves a decision scheduled for the end of its pause, for whatever still waits.
 */
async function followOn(deps: ReorderDeps, sku: string, reorder: Held, decision: ReorderDecision, afterStep: AfterStep | undefined): Promise<void> {
  const fixed = deps.settings.reorderSizing === 'fixed';
  if (decision === 'FAILED' || decision === 'STUCK') {
    const next = await maybeReorder(deps, sku, { thorough: true, failoverFrom: reorder.reorderId, afterStep });
    deps.log.info('Reorder decision after a failed reorder', { sku, failed: reorder.reorderId, decision: next });
  } else if (decision === 'COMPLETED' && !fixed) {
    await maybeReorder(deps, sku, { thorough: true, afterStep });
  }
}
