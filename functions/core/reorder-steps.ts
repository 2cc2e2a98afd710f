// The holder's work on one reorder: ask the supplier (idempotent by our reference), store what arrived,
// then finish, or hand the lease to the next poll. Only a lane's lease holder gets here.
import { randomUUID } from 'node:crypto';
import type { CoreDeps } from './deps';
import { SupplierError } from './errors';
import { supplierOffers, type SkuConfig, type SupplierOffer } from './model';
import type { ActiveReorder, ReorderRecord } from './ports/reorders';
import type { SupplierFulfilment, SupplierOrderRequest } from './ports/supplier';

export type ReorderDecision =
  | 'NO_SUPPLIER'
  | 'ABOVE_THRESHOLD'
  | 'IN_FLIGHT'
  | 'LOST_RACE'
  | 'BLOCKED'
  | 'STALE_POLL'
  | 'PLACED'
  | 'COMPLETED'
  | 'PENDING'
  | 'RETRY_SCHEDULED'
  | 'FAILED'
  | 'STUCK'
  | 'LATE_CHECK_PENDING'
  | 'LATE_CHECK_DONE';

/** What reordering uses. */
export type ReorderDeps = Pick<
  CoreDeps,
  'catalog' | 'reorders' | 'stock' | 'backorders' | 'pollQueue' | 'alerts' | 'supplier' | 'balances' | 'supplierHealth' | 'clock' | 'log' | 'settings'
>;

export const iso = (ms: number) => new Date(ms).toISOString();
export const nowMs = (deps: ReorderDeps) => deps.clock.now().getTime();
export const leaseUntil = (deps: ReorderDeps) => iso(nowMs(deps) + deps.settings.reorderLeaseSeconds * 1000);
/** While a poll is scheduled the reorder is not stale; if that message is lost, the lease runs out. */
const pollLease = (deps: ReorderDeps, delaySeconds: number) => iso(nowMs(deps) + (delaySeconds + deps.settings.reorderLeaseSeconds) * 1000);

/** A reorder as its holder works on it: the lease token it holds now. */
export type Held = ActiveReorder & { holder: string };

/** The offer a reorder buys: its own (recorded at start), else the SKU's first supplier. */
export function offerOf(config: SkuConfig, reorder: ActiveReorder): SupplierOffer | undefined {
  if (reorder.supplier && reorder.productId) return { supplier: reorder.supplier, productId: reorder.productId, unitPrice: reorder.unitPrice };
  return supplierOffers(config)[0];
}

const requestOf = (offer: SupplierOffer, reorder: ActiveReorder): SupplierOrderRequest => ({
  reference: reorder.reorderId,
  productId: offer.productId,
  quantity: reorder.quantity,
  unitPrice: offer.unitPrice,
});

const ageSeconds = (deps: ReorderDeps, reorder: ActiveReorder) => (nowMs(deps) - Date.parse(reorder.createdAt ?? iso(nowMs(deps)))) / 1000;

/**
 * One step by the holder. No waiting: a pending order is polled through a delayed message. Past its
 * maximum age a reorder is given up, whatever the supplier says.
 */
export async function advanceReorder(deps: ReorderDeps, config: SkuConfig, reorder: Held): Promise<ReorderDecision> {
  const offer = offerOf(config, reorder);
  if (!offer) return fail(deps, config, reorder, 'the SKU no longer lists a supplier');
  if (ageSeconds(deps, reorder) > deps.settings.reorderMaxAgeSeconds) return giveUp(deps, config, reorder, offer, 'the supplier never finished it');
  const supplier = await deps.supplier(offer.supplier);
  if (!supplier) return fail(deps, config, reorder, `Supplier "${offer.supplier}" is not configured`);
  // Recorded before the first call: a holder that crashes after it leaves the next one looking up.
  // (A PENDING reorder has been sent before, whether or not it carries the mark.)
  const firstAttempt = reorder.state === 'PLACING' && !reorder.attempted;
  if (firstAttempt) await deps.reorders.updateReorder(config.sku, reorder, reorder.holder, { state: reorder.state, attempted: true });
  let fulfilment: SupplierFulfilment;
  try {
    fulfilment = await supplier.placeOrResume({ ...requestOf(offer, reorder), firstAttempt });
  } catch (err) {
    if (err instanceof SupplierError && !err.retryable) return fail(deps, config, reorder, `${err.kind}: ${err.message}`);
    // Unknown outcome (timeout, 5xx): keep the reorder and look it up by reference later.
    deps.log.warn('Supplier call failed, will retry by reference', { sku: config.sku, reorderId: reorder.reorderId, error: (err as Error).message });
    await deps.supplierHealth.recordError(offer.supplier, (err as Error).message, iso(nowMs(deps))).catch(() => undefined);
    await schedulePoll(deps, config.sku, reorder, { state: 'PENDING' });
    return 'RETRY_SCHEDULED';
  }

  const stored = fulfilment.codes.length > 0 ? await deps.stock.addCodes(config.sku, fulfilment.codes, `supplier:${supplier.name}:${reorder.reorderId}`) : undefined;
  if (stored) deps.log.info('Supplier codes stored', { sku: config.sku, reorderId: reorder.reorderId, ...stored });
  const progress = { codesReceived: fulfilment.codes.length, supplierOrderIds: fulfilment.supplierOrderIds };

  if (fulfilment.status === 'FAILED') return fail(deps, config, reorder, fulfilment.failureReason ?? 'supplier reported the order failed');
  if (fulfilment.status === 'PENDING') {
    if (ageSeconds(deps, reorder) > deps.settings.reorderMaxAgeSeconds) return giveUp(deps, config, reorder, offer, `still pending after ${fulfilment.codes.length} of ${reorder.quantity} code(s)`);
    await schedulePoll(deps, config.sku, reorder, { state: 'PENDING', ...progress });
    return 'PENDING';
  }
  const earlier = stored && stored.duplicates > 0 ? ((await deps.reorders.getReorder(config.sku, reorder.reorderId))?.codesReceived ?? 0) : 0;
  await deps.reorders.updateReorder(config.sku, reorder, reorder.holder, { state: 'COMPLETED', ...progress });
  await deps.reorders.finishReorder(config.sku, reorder, reorder.holder, {
    state: 'COMPLETED',
    blockedUntil: iso(nowMs(deps) + deps.settings.reorderCooldownSeconds * 1000),
  });
  // Codes this reorder stored on an earlier poll come back as duplicates too: only the rest were in stock already.
  const resold = Math.max(0, (stored?.duplicates ?? 0) - earlier);
  if (fulfilment.codes.length - resold < reorder.quantity) await reportShortfall(deps, config, reorder, offer, fulfilment.codes.length, resold);
  return 'COMPLETED';
}

/**
 * The supplier finished with fewer new codes than were paid for (short, or codes we hold already).
 * The next decision tops the stock up; the merchant is told, to claim the difference from the supplier.
 */
async function reportShortfall(deps: ReorderDeps, config: SkuConfig, reorder: Held, offer: SupplierOffer, received: number, resold: number): Promise<void> {
  const fewer = Math.max(0, reorder.quantity - received);
  const fresh = received - resold;
  deps.log.warn('Supplier delivered fewer new codes than ordered', { sku: config.sku, reorderId: reorder.reorderId, quantity: reorder.quantity, received, alreadyInStock: resold });
  await deps.alerts.publish({
    type: 'SUPPLIER_SHORT',
    sku: config.sku,
    message:
      `Reorder ${reorder.reorderId} of ${reorder.quantity} × ${config.sku} from ${offer.supplier} brought ${fresh} new code(s)` +
      `${fewer ? `: ${fewer} fewer than ordered` : ''}${resold ? `${fewer ? ',' : ':'} ${resold} already in stock (not stored again, never sold twice)` : ''}. ` +
      'Claim the difference from the supplier; the next reorder tops the stock up.',
    details: { reorderId: reorder.reorderId, supplier: offer.supplier, ordered: reorder.quantity, received, alreadyInStock: resold },
  });
}

/** Records progress, hands the lease to the next poll (a fresh token), then sends the one message carrying it. */
export async function schedulePoll(
  deps: ReorderDeps,
  sku: string,
  reorder: Held,
  progress: { state: 'PENDING' | 'PLACING'; codesReceived?: number; supplierOrderIds?: string[] },
  delaySeconds = deps.settings.reorderPollDelaySeconds,
): Promise<void> {
  const next = randomUUID();
  await deps.reorders.updateReorder(sku, reorder, reorder.holder, { ...progress, leaseUntil: pollLease(deps, delaySeconds), nextHolder: next });
  await deps.pollQueue.schedule({ sku, reorderId: reorder.reorderId, pollId: next }, delaySeconds);
}

/** The next supplier in the SKU's list after `name`, if any: where reorders go while `name` is paused. */
export const nextOffer = (config: SkuConfig, name: string | undefined): SupplierOffer | undefined => {
  const offers = supplierOffers(config);
  const index = offers.findIndex((o) => o.supplier === name);
  return index >= 0 ? offers[index + 1] : undefined;
};

/** A fatal answer: the supplier is paused for this SKU; with another supplier listed, reorders go there. */
async function fail(deps: ReorderDeps, config: SkuConfig, reorder: Held, reason: string): Promise<ReorderDecision> {
  const supplier = offerOf(config, reorder)?.supplier ?? reorder.supplier ?? 'unknown';
  const until = iso(nowMs(deps) + deps.settings.reorderFailureBackoffSeconds * 1000);
  const next = nextOffer(config, supplier);
  deps.log.error('Reorder failed', { sku: config.sku, reorderId: reorder.reorderId, supplier, reason, failoverTo: next?.supplier });
  await deps.reorders.finishReorder(config.sku, reorder, reorder.holder, { state: 'FAILED', failureReason: reason, blockSupplier: { supplier, until } });
  const what = `Reorder ${reorder.reorderId} of ${reorder.quantity} × ${config.sku} from ${supplier} failed: ${reason}.`;
  await deps.alerts.publish(
    next
      ? {
          type: 'SUPPLIER_FAILOVER',
          sku: config.sku,
          message: `${what} ${supplier} is paused for this SKU until ${until}; reorders go to ${next.supplier} (next in its list) meanwhile.`,
          details: { reorderId: reorder.reorderId, supplier, failoverTo: next.supplier, pausedUntil: until },
        }
      : {
          type: 'SUPPLIER_FAILED',
          sku: config.sku,
          message: `${what} Stock will not be topped up until this is fixed.`,
          details: { reorderId: reorder.reorderId, supplier },
        },
  );
  return 'FAILED';
}

/**
 * The watchdog: the reorder is ended as STUCK and its lane released, so the SKU can reorder (under a
 * new reference) after the short cooldown, from the next supplier when it lists one. Cards the stuck
 * supplier delivers later are still looked up and stored by a late-check chain, never bought again.
 */
async function giveUp(deps: ReorderDeps, config: SkuConfig, reorder: Held, offer: SupplierOffer, why: string): Promise<ReorderDecision> {
  const minutes = Math.round(ageSeconds(deps, reorder) / 60);
  const reason = `given up after ${minutes} min: ${why}`;
  const lateCheckId = randomUUID();
  const next = nextOffer(config, offer.supplier);
  deps.log.error('Reorder given up: the supplier is stuck', { sku: config.sku, reorderId: reorder.reorderId, reason, failoverTo: next?.supplier });
  const until = iso(nowMs(deps) + deps.settings.reorderFailureBackoffSeconds * 1000);
  await deps.reorders.finishReorder(config.sku, reorder, reorder.holder, {
    state: 'STUCK',
    failureReason: reason,
    blockedUntil: iso(nowMs(deps) + deps.settings.reorderCooldownSeconds * 1000),
    // With one supplier the SKU tries it again after the cooldown; with more, the next one takes over.
    ...(next ? { blockSupplier: { supplier: offer.supplier, until } } : {}),
    lateCheckId,
    lateCheckUntil: iso(nowMs(deps) + deps.settings.lateCheckWindowSeconds * 1000),
  });
  await deps.alerts.publish({
    type: 'SUPPLIER_STUCK',
    sku: config.sku,
    message:
      `Reorder ${reorder.reorderId} of ${reorder.quantity} × ${config.sku} from ${offer.supplier} was ${reason}. ` +
      (next ? `Reorders go to ${next.supplier} (next in its list) until ${until}; ` : 'The SKU may reorder again; ') +
      `cards ${offer.supplier} delivers later for this order are still collected.`,
    details: { reorderId: reorder.reorderId, supplier: offer.supplier, ageMinutes: minutes, failoverTo: next?.supplier },
  });
  await deps.pollQueue.schedule({ sku: config.sku, reorderId: reorder.reorderId, pollId: lateCheckId, lateCheck: true }, deps.settings.lateCheckIntervalSeconds);
  return 'STUCK';
}

/** A late check of a given-up reorder: lookup only (`check` never places), codes stored idempotently. */
export async function lateCheckReorder(deps: ReorderDeps, sku: string, reorderId: string, token: string): Promise<ReorderDecision> {
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
