// Use case: keep each SKU above its threshold by reordering from its supplier, never twice at once and
// never buying the same reorder twice (our reorder id is the supplier's client reference). Only the
// lease holder calls the supplier; a reorder the supplier never finishes is given up after its maximum
// age on every path, and its late cards are still collected.
import { randomUUID } from 'node:crypto';
import type { CoreDeps } from './deps';
import { SupplierError } from './errors';
import type { SkuConfig } from './model';
import type { ActiveReorder, ReorderRecord } from './ports/reorders';
import type { SupplierFulfilment, SupplierOrderRequest } from './ports/supplier';

export type ReorderDecision =
  | 'NO_SUPPLIER'
  | 'ABOVE_THRESHOLD'
  | 'IN_FLIGHT'
  | 'LOST_RACE'
  | 'BLOCKED'
  | 'STALE_POLL'
  | 'COMPLETED'
  | 'PENDING'
  | 'RETRY_SCHEDULED'
  | 'FAILED'
  | 'STUCK'
  | 'LATE_CHECK_PENDING'
  | 'LATE_CHECK_DONE';

/** What reordering uses. */
export type ReorderDeps = Pick<CoreDeps, 'catalog' | 'reorders' | 'stock' | 'pollQueue' | 'alerts' | 'supplier' | 'clock' | 'log' | 'settings'>;

const iso = (ms: number) => new Date(ms).toISOString();
const nowMs = (deps: ReorderDeps) => deps.clock.now().getTime();
const leaseUntil = (deps: ReorderDeps) => iso(nowMs(deps) + deps.settings.reorderLeaseSeconds * 1000);
/** While a poll is scheduled the reorder is not stale; if that message is lost, the lease runs out. */
const pollLease = (deps: ReorderDeps) => iso(nowMs(deps) + (deps.settings.reorderPollDelaySeconds + deps.settings.reorderLeaseSeconds) * 1000);

/** A reorder as its holder works on it: the lease token it holds now. */
type Held = ActiveReorder & { holder: string };

/** Reorders when available stock is below the threshold and no reorder is in flight. */
export async function maybeReorder(deps: ReorderDeps, sku: string): Promise<ReorderDecision> {
  const config = await deps.catalog.getSkuConfig(sku);
  if (!config?.supplier || !config.supplierProductId) return 'NO_SUPPLIER';
  const { active, blockedUntil } = await deps.reorders.getReorderStatus(sku);
  if (active) return takeOverIfStale(deps, config, active);
  // After a reorder: a short cooldown, so a lagging index cannot make the new codes look missing.
  // After a fatal supplier failure: a long one, instead of alerting on every sale.
  if (blockedUntil && blockedUntil > deps.clock.now().toISOString()) return 'BLOCKED';
  const available = await deps.stock.countAvailable(sku, config.threshold);
  if (available >= config.threshold) return 'ABOVE_THRESHOLD';

  const now = nowMs(deps);
  const holder = randomUUID();
  const reorder: ActiveReorder = {
    reorderId: `${sku}-${iso(now).replace(/[-:.TZ]/g, '')}-${randomUUID().slice(0, 8)}`,
    state: 'PLACING',
    leaseUntil: leaseUntil(deps),
    quantity: config.reorderQuantity,
    createdAt: iso(now),
  };
  const started = await deps.reorders.startReorder(sku, { ...reorder, pollId: holder, supplier: config.supplier, productId: config.supplierProductId, unitPrice: config.unitPrice });
  if (!started) return 'LOST_RACE';
  deps.log.info('Reorder placed', { sku, reorderId: reorder.reorderId, quantity: reorder.quantity, available });
  return advanceReorder(deps, config, { ...reorder, holder });
}

/**
 * A reorder whose holder crashed, or whose poll message was lost, is taken over once its lease has
 * expired and reconciled by reference: never re-bought.
 */
async function takeOverIfStale(deps: ReorderDeps, config: SkuConfig, active: ActiveReorder): Promise<ReorderDecision> {
  const now = iso(nowMs(deps));
  if (active.leaseUntil >= now) return 'IN_FLIGHT';
  const holder = randomUUID();
  if (!(await deps.reorders.takeLease(config.sku, active.reorderId, { now, holder, leaseUntil: leaseUntil(deps) }))) return 'IN_FLIGHT';
  deps.log.warn('Taking over a stale reorder', { sku: config.sku, reorderId: active.reorderId });
  return advanceReorder(deps, config, { ...active, holder });
}

/**
 * Called by the poll queue. The message carries the token its scheduler handed over; taking the lease
 * with it rotates the token, so a duplicate or superseded message finds it gone (STALE_POLL) and can
 * never start a second caller. A late message after the lease expired may take over, alone.
 */
export async function pollReorder(deps: ReorderDeps, sku: string, reorderId: string, pollId?: string, lateCheck = false): Promise<ReorderDecision> {
  if (lateCheck && pollId) return lateCheckReorder(deps, sku, reorderId, pollId);
  const config = await deps.catalog.getSkuConfig(sku);
  const { active } = await deps.reorders.getReorderStatus(sku);
  if (!config || active?.reorderId !== reorderId) return 'COMPLETED';
  const holder = randomUUID();
  if (!(await deps.reorders.takeLease(sku, reorderId, { presented: pollId, now: iso(nowMs(deps)), holder, leaseUntil: leaseUntil(deps) }))) return 'STALE_POLL';
  return advanceReorder(deps, config, { ...active, holder });
}

const requestOf = (config: SkuConfig, reorder: ActiveReorder): SupplierOrderRequest => ({
  reference: reorder.reorderId,
  productId: config.supplierProductId!,
  quantity: reorder.quantity,
  unitPrice: config.unitPrice,
});

const ageSeconds = (deps: ReorderDeps, reorder: ActiveReorder) => (nowMs(deps) - Date.parse(reorder.createdAt ?? iso(nowMs(deps)))) / 1000;

/**
 * One step by the holder: ask the supplier (idempotent by reference), store whatever codes arrived,
 * then finish, or hand the lease to the next poll. No waiting: a pending order is polled through a
 * delayed message. Past its maximum age a reorder is given up, whatever the supplier says.
 */
async function advanceReorder(deps: ReorderDeps, config: SkuConfig, reorder: Held): Promise<ReorderDecision> {
  if (ageSeconds(deps, reorder) > deps.settings.reorderMaxAgeSeconds) return giveUp(deps, config, reorder, 'the supplier never finished it');
  const supplier = await deps.supplier(config.supplier!);
  if (!supplier) return fail(deps, config, reorder, `Supplier "${config.supplier}" is not configured`);
  let fulfilment: SupplierFulfilment;
  try {
    fulfilment = await supplier.placeOrResume(requestOf(config, reorder));
  } catch (err) {
    if (err instanceof SupplierError && !err.retryable) return fail(deps, config, reorder, `${err.kind}: ${err.message}`);
    // Unknown outcome (timeout, 5xx): keep the reorder and look it up by reference later.
    deps.log.warn('Supplier call failed, will retry by reference', { sku: config.sku, reorderId: reorder.reorderId, error: (err as Error).message });
    await schedulePoll(deps, config.sku, reorder, { state: 'PENDING' });
    return 'RETRY_SCHEDULED';
  }

  const stored = fulfilment.codes.length > 0 ? await deps.stock.addCodes(config.sku, fulfilment.codes, `supplier:${supplier.name}:${reorder.reorderId}`) : undefined;
  if (stored) deps.log.info('Supplier codes stored', { sku: config.sku, reorderId: reorder.reorderId, ...stored });
  const progress = { codesReceived: fulfilment.codes.length, supplierOrderIds: fulfilment.supplierOrderIds };

  if (fulfilment.status === 'FAILED') return fail(deps, config, reorder, fulfilment.failureReason ?? 'supplier reported the order failed');
  if (fulfilment.status === 'PENDING') {
    if (ageSeconds(deps, reorder) > deps.settings.reorderMaxAgeSeconds) return giveUp(deps, config, reorder, `still pending after ${fulfilment.codes.length} of ${reorder.quantity} code(s)`);
    await schedulePoll(deps, config.sku, reorder, { state: 'PENDING', ...progress });
    return 'PENDING';
  }
  const earlier = stored && stored.duplicates > 0 ? ((await deps.reorders.getReorder(config.sku, reorder.reorderId))?.codesReceived ?? 0) : 0;
  await deps.reorders.updateReorder(config.sku, reorder.reorderId, reorder.holder, { state: 'COMPLETED', ...progress });
  await deps.reorders.finishReorder(config.sku, reorder.reorderId, reorder.holder, {
    state: 'COMPLETED',
    blockedUntil: iso(nowMs(deps) + deps.settings.reorderCooldownSeconds * 1000),
  });
  // Codes this reorder stored on an earlier poll come back as duplicates too: only the rest were in stock already.
  const resold = Math.max(0, (stored?.duplicates ?? 0) - earlier);
  if (fulfilment.codes.length - resold < reorder.quantity) await reportShortfall(deps, config, reorder, fulfilment.codes.length, resold);
  return 'COMPLETED';
}

/**
 * The supplier finished with fewer new codes than were paid for (short, or codes we hold already).
 * Stock tops up by the next reorder; the merchant is told, to claim the difference from the supplier.
 */
async function reportShortfall(deps: ReorderDeps, config: SkuConfig, reorder: Held, received: number, resold: number): Promise<void> {
  const fewer = Math.max(0, reorder.quantity - received);
  const fresh = received - resold;
  deps.log.warn('Supplier delivered fewer new codes than ordered', { sku: config.sku, reorderId: reorder.reorderId, quantity: reorder.quantity, received, alreadyInStock: resold });
  await deps.alerts.publish({
    type: 'SUPPLIER_SHORT',
    sku: config.sku,
    message:
      `Reorder ${reorder.reorderId} of ${reorder.quantity} × ${config.sku} from ${config.supplier} brought ${fresh} new code(s)` +
      `${fewer ? `: ${fewer} fewer than ordered` : ''}${resold ? `${fewer ? ',' : ':'} ${resold} already in stock (not stored again, never sold twice)` : ''}. ` +
      'Claim the difference from the supplier; the next reorder tops the stock up.',
    details: { reorderId: reorder.reorderId, supplier: config.supplier, ordered: reorder.quantity, received, alreadyInStock: resold },
  });
}

/** Records progress, hands the lease to the next poll (a fresh token), then sends the one message carrying it. */
async function schedulePoll(deps: ReorderDeps, sku: string, reorder: Held, progress: { state: 'PENDING'; codesReceived?: number; supplierOrderIds?: string[] }): Promise<void> {
  const next = randomUUID();
  await deps.reorders.updateReorder(sku, reorder.reorderId, reorder.holder, { ...progress, leaseUntil: pollLease(deps), nextHolder: next });
  await deps.pollQueue.schedule({ sku, reorderId: reorder.reorderId, pollId: next }, deps.settings.reorderPollDelaySeconds);
}

async function fail(deps: ReorderDeps, config: SkuConfig, reorder: Held, reason: string): Promise<ReorderDecision> {
  deps.log.error('Reorder failed', { sku: config.sku, reorderId: reorder.reorderId, reason });
  await deps.reorders.finishReorder(config.sku, reorder.reorderId, reorder.holder, {
    state: 'FAILED',
    failureReason: reason,
    blockedUntil: iso(nowMs(deps) + deps.settings.reorderFailureBackoffSeconds * 1000),
  });
  await deps.alerts.publish({
    type: 'SUPPLIER_FAILED',
    sku: config.sku,
    message: `Reorder ${reorder.reorderId} of ${reorder.quantity} × ${config.sku} from ${config.supplier} failed: ${reason}. Stock will not be topped up until this is fixed.`,
    details: { reorderId: reorder.reorderId, supplier: config.supplier },
  });
  return 'FAILED';
}

/**
 * The watchdog: the reorder is ended as STUCK and the lease released, so the SKU can reorder (under a
 * new reference) after the short cooldown. Cards the supplier delivers later are still looked up and
 * stored by a late-check chain, never bought again.
 */
async function giveUp(deps: ReorderDeps, config: SkuConfig, reorder: Held, why: string): Promise<ReorderDecision> {
  const minutes = Math.round(ageSeconds(deps, reorder) / 60);
  const reason = `given up after ${minutes} min: ${why}`;
  const lateCheckId = randomUUID();
  deps.log.error('Reorder given up: the supplier is stuck', { sku: config.sku, reorderId: reorder.reorderId, reason });
  await deps.reorders.finishReorder(config.sku, reorder.reorderId, reorder.holder, {
    state: 'STUCK',
    failureReason: reason,
    blockedUntil: iso(nowMs(deps) + deps.settings.reorderCooldownSeconds * 1000),
    lateCheckId,
    lateCheckUntil: iso(nowMs(deps) + deps.settings.lateCheckWindowSeconds * 1000),
  });
  await deps.alerts.publish({
    type: 'SUPPLIER_STUCK',
    sku: config.sku,
    message:
      `Reorder ${reorder.reorderId} of ${reorder.quantity} × ${config.sku} from ${config.supplier} was ${reason}. ` +
      `The SKU may reorder again; cards the supplier delivers later for this order are still collected.`,
    details: { reorderId: reorder.reorderId, supplier: config.supplier, ageMinutes: minutes },
  });
  await deps.pollQueue.schedule({ sku: config.sku, reorderId: reorder.reorderId, pollId: lateCheckId, lateCheck: true }, deps.settings.lateCheckIntervalSeconds);
  return 'STUCK';
}

/** A late check of a given-up reorder: lookup only (`check` never places), codes stored idempotently. */
async function lateCheckReorder(deps: ReorderDeps, sku: string, reorderId: string, token: string): Promise<ReorderDecision> {
  const record = await deps.reorders.getReorder(sku, reorderId);
  if (!record || record.lateCheckId !== token) return 'STALE_POLL';
  const next = record.lateCheckUntil && record.lateCheckUntil > iso(nowMs(deps)) ? randomUUID() : undefined;
  // Passing the token first keeps one chain, even when the message is delivered twice.
  if (!(await deps.reorders.passLateCheck(sku, reorderId, token, next))) return 'STALE_POLL';
  const supplier = await deps.supplier(record.supplier);
  if (!supplier) return 'LATE_CHECK_DONE';
  const fulfilment = await supplier.check(lateRequestOf(record));
  if (fulfilment.codes.length > 0) {
    const stored = await deps.stock.addCodes(sku, fulfilment.codes, `supplier:${supplier.name}:${reorderId}:late`);
    if (stored.inserted > 0) deps.log.warn('Late supplier codes stored for a reorder given up on', { sku, reorderId, ...stored });
  }
  if (fulfilment.status !== 'PENDING' || !next) return 'LATE_CHECK_DONE';
  await deps.pollQueue.schedule({ sku, reorderId, pollId: next, lateCheck: true }, deps.settings.lateCheckIntervalSeconds);
  return 'LATE_CHECK_PENDING';
}

const lateRequestOf = (record: ReorderRecord): SupplierOrderRequest => ({ reference: record.reorderId, productId: record.productId, quantity: record.quantity, unitPrice: record.unitPrice });
