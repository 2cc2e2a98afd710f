// When a Salla order counts as paid. Configurable (SALLA_PAID_STATUSES, SALLA_UNPAID_PAYMENT_METHODS)
// because merchants rename and add statuses; the exact rule is in docs/platforms.md.
import { safeToken } from '../shared/schema';
import type { SallaOrderHead } from './schema';

export interface SallaPaidRule {
  /** Status slugs that mean the payment is confirmed, e.g. completed, in_progress. */
  paidStatuses: readonly string[];
  /** Payment methods that are never paid at creation (bank transfer awaits review, COD pays on delivery). */
  unpaidPaymentMethods: readonly string[];
}

export type PaidDecision = { paid: true; basis: 'status' | 'payment_method' } | { paid: false; reason: string };

/** Slugs that can never mean "paid", whatever the configuration says. */
export const NEVER_PAID_STATUSES: ReadonlySet<string> = new Set([
  'payment_pending',
  'waiting_for_payment_confirmation',
  'payment_failed',
  'under_review',
  'canceled',
  'cancelled',
  'restoring',
  'restored',
  'refunded',
  'deleted',
  'draft',
]);

/** Slugs that withdraw an order: an update to one of them is a cancellation. */
export const CANCEL_STATUSES: Readonly<Record<string, 'cancelled' | 'refunded'>> = {
  canceled: 'cancelled',
  cancelled: 'cancelled',
  restored: 'refunded',
  refunded: 'refunded',
};

/** The status slug of an order: `status.slug` (the original slug, also for merchant-customised statuses). */
export function statusSlug(status: unknown): string | undefined {
  if (typeof status === 'object' && status !== null && 'slug' in status) {
    const slug = (status as { slug?: unknown }).slug;
    if (typeof slug === 'string' && slug.trim() !== '') return slug.trim().toLowerCase();
  }
  return undefined;
}

const normalise = (values: readonly string[]): Set<string> =>
  new Set(values.map((v) => v.trim().toLowerCase()).filter(Boolean));

export function createSallaPaidRule(rule: SallaPaidRule): (event: string, order: SallaOrderHead) => PaidDecision {
  const paidStatuses = normalise(rule.paidStatuses);
  const unpaidMethods = normalise(rule.unpaidPaymentMethods);
  // A misconfiguration must not turn "under review" into "paid".
  for (const slug of NEVER_PAID_STATUSES) paidStatuses.delete(slug);

  return (event, order) => {
    if (order.draft === true) return { paid: false, reason: 'draft order' };
    if (order.is_pending_payment === true) return { paid: false, reason: 'payment is pending' };

    const slug = statusSlug(order.status);
    if (slug && paidStatuses.has(slug)) return { paid: true, basis: 'status' };

    // Online payments (card, mada, Apple Pay...) are captured at checkout, so a new order paid that
    // way is paid even while its status is not one of the paid slugs yet.
    if (event === 'order.created') {
      const method = order.payment_method?.toLowerCase();
      if (!method) return { paid: false, reason: 'no payment method' };
      if (unpaidMethods.has(method)) return { paid: false, reason: `payment method ${safeToken(method)} needs confirmation` };
      if (!slug) return { paid: false, reason: 'no status slug' };
      if (NEVER_PAID_STATUSES.has(slug)) return { paid: false, reason: `status ${safeToken(slug)} is not paid` };
      return { paid: true, basis: 'payment_method' };
    }
    return { paid: false, reason: slug ? `status ${safeToken(slug)} is not a paid status` : 'no status slug' };
  };
}
