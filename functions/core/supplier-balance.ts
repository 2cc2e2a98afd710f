// The balance check before buying: a reorder the supplier balance cannot pay for goes to the next
// supplier, and a balance that pays for only a few more reorders is alerted before anything fails.
import type { SkuConfig, SupplierOffer } from './model';
import { iso, nowMs, type ReorderDeps } from './reorder-steps';

/** One LOW_BALANCE alert per supplier per hour, across every container. */
const ALERT_QUIET_MS = 3_600_000;

export async function checkBalance(deps: ReorderDeps, config: SkuConfig, offer: SupplierOffer, quantity: number): Promise<'OK' | 'INSUFFICIENT'> {
  if (offer.unitPrice === undefined) return 'OK';
  const balance = await deps.balances.current(offer.supplier);
  if (!balance) return 'OK';
  const cost = quantity * offer.unitPrice;
  const reserve = deps.settings.lowBalanceReorders * config.reorderQuantity * offer.unitPrice;
  if (balance.amount < cost) {
    await alertLowBalance(deps, config, offer, balance, `cannot pay for ${quantity} × ${config.sku} (${money(cost, balance.currency)}): nothing was bought from it`);
    return 'INSUFFICIENT';
  }
  if (balance.amount - cost < reserve) {
    await alertLowBalance(deps, config, offer, balance, `pays for fewer than ${deps.settings.lowBalanceReorders} more reorders of ${config.reorderQuantity} × ${config.sku} after this one`);
  }
  return 'OK';
}

const money = (amount: number, currency: string) => `${amount.toFixed(2)} ${currency}`;

async function alertLowBalance(deps: ReorderDeps, config: SkuConfig, offer: SupplierOffer, balance: { amount: number; currency: string }, what: string): Promise<void> {
  const now = nowMs(deps);
  deps.log.warn('Supplier balance low', { supplier: offer.supplier, sku: config.sku, balance: balance.amount, currency: balance.currency });
  if (!(await deps.supplierHealth.claimLowBalanceAlert(offer.supplier, iso(now), iso(now - ALERT_QUIET_MS)))) return;
  await deps.alerts.publish({
    type: 'LOW_BALANCE',
    sku: config.sku,
    message: `The ${offer.supplier} balance of ${money(balance.amount, balance.currency)} ${what}. Top it up; until then reorders go to the next supplier the SKU lists, if any.`,
    details: { supplier: offer.supplier, balance: balance.amount, currency: balance.currency },
  });
}
