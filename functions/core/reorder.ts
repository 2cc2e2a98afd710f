// Use case: keep each SKU above its threshold by reordering from its supplier, never twice at once
// and never buying the same reorder twice (our reorder id is the supplier's client reference).
import { randomUUID } from 'node:crypto';
import type { CoreDeps } from './deps';
import { SupplierError } from './errors';
import type { SkuConfig } from './model';
import type { SupplierFulfilment } from './ports/supplier';
import type { ActiveReorder } from './ports/reorders';

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
  | 'FAILED';

const iso = (ms: number) => new Date(ms).toISOString();
const nowMs = (deps: ReorderDeps) => deps.clock.now().getTime();

/** What reordering uses. */
export type ReorderDeps = Pick<CoreDeps, 'catalog' | 'reorders' | 'stock' | 'pollQueue' | 'alerts' | 'supplier' | 'clock' | 'log' | 'settings'>;

/** While a poll is scheduled the reorder is not stale; if that message is lost, the lease runs out. */
const pollLease = (deps: ReorderDeps) => iso(nowMs(deps) + (deps.settings.reorderPollDelaySeconds + deps.settings.reorderLeaseSeconds) * 1000);

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
  const reorder: ActiveReorder = {
    reorderId: `${sku}-${iso(now).replace(/[-:.TZ]/g, '')}-${randomUUID().slice(0, 8)}`,
    state: 'PLACING',
    leaseUntil: iso(now + deps.settings.reorderLeaseSeconds * 1000),
    quantity: config.reorderQuantity,
    createdAt: iso(now),
  };
  const started = await deps.reorders.startReorder(sku, { ...reorder, supplier: config.supplier });
  if (!started) return 'LOST_RACE';
  deps.log.info('Reorder placed', { sku, reorderId: reorder.reorderId, quantity: reorder.quantity, available });
  return advanceReorder(deps, config, reorder);
}

/**
 * A reorder whose holder crashed, or whose poll message was lost, is reconciled by reference once its
 * lease has expired: never re-bought.
 */
async function takeOverIfStale(deps: ReorderDeps, config: SkuConfig, active: ActiveReorder): Promise<ReorderDecision> {
  const now = nowMs(deps);
  if (active.leaseUntil >= iso(now)) return 'IN_FLIGHT';
  const leaseUntil = iso(now + deps.settings.reorderLeaseSeconds * 1000);
  if (!(await deps.reorders.renewLease(config.sku, active.reorderId, iso(now), leaseUntil))) return 'IN_FLIGHT';
  deps.log.warn('Taking over a stale reorder', { sku: config.sku, reorderId: active.reorderId });
  return advanceReorder(deps, config, { ...active, leaseUntil });
}

/**
 * Called by the poll queue. Only the latest scheduled poll of the reorder acts: a duplicate or
 * superseded message would otherwise start a second polling chain against the supplier.
 */
export async function pollReorder(deps: ReorderDeps, sku: string, reorderId: string, pollId?: string): Promise<ReorderDecision> {
  const config = await deps.catalog.getSkuConfig(sku);
  const { active } = await deps.reorders.getReorderStatus(sku);
  if (!config || active?.reorderId !== reorderId) return 'COMPLETED';
  if (pollId && active.pollId !== pollId) return 'STALE_POLL';
  return advanceReorder(deps, config, active);
}

/**
 * One step: ask the supplier (idempotent by reference), store whatever codes arrived, then finish,
 * or schedule the next look. No waiting: a pending supplier order is polled through a delayed message.
 */
async function advanceReorder(deps: ReorderDeps, config: SkuConfig, reorder: ActiveReorder): Promise<ReorderDecision> {
  const supplier = await deps.supplier(config.supplier!);
  if (!supplier) return fail(deps, config, reorder, `Supplier "${config.supplier}" is not configured`);
  const request = { reference: reorder.reorderId, productId: config.supplierProductId!, quantity: reorder.quantity, unitPrice: config.unitPrice };
  let fulfilment: SupplierFulfilment;
  try {
    fulfilment = await supplier.placeOrResume(request);
  } catch (err) {
    if (err instanceof SupplierError && !err.retryable) return fail(deps, config, reorder, `${err.kind}: ${err.message}`);
    const ageSeconds = (nowMs(deps) - Date.parse(reorder.createdAt ?? iso(nowMs(deps)))) / 1000;
    if (ageSeconds > deps.settings.reorderMaxAgeSeconds) {
      return fail(deps, config, reorder, `supplier kept failing for ${Math.round(ageSeconds / 60)} min: ${(err as Error).message}`);
    }
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
    await schedulePoll(deps, config.sku, reorder, { state: 'PENDING', ...progress });
    return 'PENDING';
  }
  await deps.reorders.updateReorder(config.sku, reorder.reorderId, { state: 'COMPLETED', ...progress });
  await deps.reorders.finishReorder(config.sku, reorder.reorderId, {
    state: 'COMPLETED',
    blockedUntil: iso(nowMs(deps) + deps.settings.reorderCooldownSeconds * 1000),
  });
  return 'COMPLETED';
}

/** Records progress with a fresh poll id and lease, then sends the one poll message carrying that id. */
async function schedulePoll(
  deps: ReorderDeps,
  sku: string,
  reorder: ActiveReorder,
  progress: { state: 'PENDING'; codesReceived?: number; supplierOrderIds?: string[] },
): Promise<void> {
  const pollId = randomUUID();
  await deps.reorders.updateReorder(sku, reorder.reorderId, { ...progress, leaseUntil: pollLease(deps), pollId });
  await deps.pollQueue.schedule({ sku, reorderId: reorder.reorderId, pollId }, deps.settings.reorderPollDelaySeconds);
}

async function fail(deps: ReorderDeps, config: SkuConfig, reorder: ActiveReorder, reason: string): Promise<ReorderDecision> {
  deps.log.error('Reorder failed', { sku: config.sku, reorderId: reorder.reorderId, reason });
  await deps.reorders.finishReorder(config.sku, reorder.reorderId, {
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
