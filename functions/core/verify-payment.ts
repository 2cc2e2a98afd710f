// Use case: before a code leaves, ask the store itself whether the order is paid and holds these
// lines. A webhook's word is only as good as its credential: a leaked Token or Basic Auth password
// must not be a way to free codes. Nothing is cached: each order is asked about once, at its first
// delivery, and a forged order is never remembered as paid.
import { StoreApiError } from './errors';
import type { OrderLine, SkuConfig, StoreSettings } from './model';
import type { StoreApis } from './ports/write-back';
import type { StoreOrderSnapshot } from './ports/store-api';

export interface PaymentCheckSettings {
  /** The deployment's default threshold (a line at or above this unit price is checked); undefined: off unless a store sets one. */
  defaultAbove?: number;
}

export type PaymentVerdict =
  | { result: 'SKIPPED'; reason: string }
  | { result: 'VERIFIED' }
  /** The store says otherwise: held for the merchant, never a code. */
  | { result: 'MISMATCH'; detail: string }
  /** The store could not answer (down, rate limited, token trouble): the order waits and is asked again. */
  | { result: 'UNAVAILABLE'; detail: string; retryable: boolean };

/**
 * True when any line is dear enough to check, or its SKU asks for it. What makes a line dear is the
 * merchant's own figure for the SKU (`value`, else `unitPrice`); the webhook's price can add a check, never remove
 * one (a forged order would carry a price of 1). A SKU with no price of its own is always checked.
 */
export function needsCheck(lines: readonly OrderLine[], threshold: number | undefined, skus: ReadonlyMap<string, SkuConfig | undefined>): boolean {
  if (lines.some((l) => skus.get(l.sku)?.verifyPayment === 'always')) return true;
  if (threshold === undefined) return false;
  return lines.some((l) => {
    const sku = skus.get(l.sku);
    if (sku?.verifyPayment === 'never') return false;
    const trusted = sku?.value ?? sku?.unitPrice;
    return trusted === undefined || trusted >= threshold || (l.unitPrice !== undefined && l.unitPrice >= threshold);
  });
}

export const thresholdFor = (settings: PaymentCheckSettings, store: StoreSettings | undefined): number | undefined => store?.verifyPaymentAbove ?? settings.defaultAbove;

/** Compares the webhook's mapped lines with the store's: every line we would deliver must be there, with the quantity paid for. */
export function compareLines(lines: readonly OrderLine[], snapshot: StoreOrderSnapshot): string | undefined {
  if (!snapshot.paid) return `the store says the order is not paid (${[snapshot.status, snapshot.paymentStatus, snapshot.paymentMethod].filter(Boolean).join(', ') || 'no payment'})`;
  const theirs = new Map(snapshot.lines.map((l) => [l.lineId, l]));
  for (const line of lines) {
    const their = theirs.get(line.lineId);
    if (!their) return `line ${line.lineId} is not in the store's order`;
    if (their.productId !== line.productId) return `line ${line.lineId} is product ${their.productId} in the store, ${line.productId} in the webhook`;
    // A variant decides the SKU (its mapping wins): a cheap variant paid for must not pass as a dear one.
    if ((their.variantId ?? line.variantId) !== undefined && their.variantId !== line.variantId) {
      return `line ${line.lineId} is variant ${their.variantId ?? 'none'} in the store, ${line.variantId ?? 'none'} in the webhook`;
    }
    const ordered = line.ordered ?? line.quantity;
    if (their.quantity !== ordered) return `line ${line.lineId} has quantity ${their.quantity} in the store, ${ordered} in the webhook`;
  }
  return undefined;
}

export async function verifyPayment(apis: StoreApis, order: { platform: string; storeId: string; orderId: string }, lines: readonly OrderLine[]): Promise<PaymentVerdict> {
  const api = apis.api(order.platform);
  if (!api) return { result: 'SKIPPED', reason: `${order.platform} has no store API` };
  let snapshot: StoreOrderSnapshot;
  try {
    snapshot = await api.getOrder(order.storeId, order.orderId);
  } catch (err) {
    if (!(err instanceof StoreApiError)) throw err;
    // The store never installed the app: nothing to ask. `stores list` shows the check as off for it.
    if (err.kind === 'NO_TOKENS') return { result: 'SKIPPED', reason: err.message };
    // The store has no such order: the webhook made it up.
    if (err.kind === 'NOT_FOUND') return { result: 'MISMATCH', detail: 'the store has no such order' };
    return { result: 'UNAVAILABLE', detail: err.message, retryable: err.retryable };
  }
  const mismatch = compareLines(lines, snapshot);
  return mismatch ? { result: 'MISMATCH', detail: mismatch } : { result: 'VERIFIED' };
}
