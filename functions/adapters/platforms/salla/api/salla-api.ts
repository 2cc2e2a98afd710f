// Secondary adapter: the StoreApi port over Salla's merchant API (https://api.salla.dev/admin/v2).
// Reads an order to re-verify a webhook's "paid", and moves a delivered order to `completed`.
import type { MarkDeliveredOptions, StoreApi, StoreOrderSnapshot } from '#core/ports/store-api';
import { StoreApiError } from '#core/errors';
import { issuePaths } from '../../shared/issues';
import type { RateLimitState } from '../../shared/rate-limit';
import { StoreHttp } from '../../shared/store-http';
import type { StoreTokenProvider } from '../../shared/store-tokens';
import { createSallaPaidRule, type SallaPaidRule } from '../paid-rule';
import { sallaOrderAnswerSchema, toSallaSnapshot } from './order-answer';

export const SALLA_API_BASE_URL = 'https://api.salla.dev/admin/v2';

export interface SallaStoreApiOptions {
  /** Bearer access token of each merchant. */
  tokens: StoreTokenProvider<string>;
  /** SALLA_PAID_STATUSES / SALLA_UNPAID_PAYMENT_METHODS, as the webhook adapter uses them. */
  paidRule: SallaPaidRule;
  /** SALLA_API_BASE_URL. Default https://api.salla.dev/admin/v2. */
  baseUrl?: string;
  /** Default 10 000 ms. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

/** The status a delivered digital order gets: Salla's own "completed" (تم التنفيذ). */
export const SALLA_DELIVERED_SLUG = 'completed';

// The paid rule is the webhook's; an API read is judged like a new order (status, else an online
// payment method captured at checkout), so an order delivered on order.created re-verifies as paid.
const SNAPSHOT_EVENT = 'order.created';

/** `{ slug }` or, for a numeric override, `{ status_id }` (a merchant's custom sub-status). */
export function sallaStatusBody(options: MarkDeliveredOptions = {}): Record<string, string | number> {
  const override = options.statusOverride?.trim();
  const target: Record<string, string | number> =
    override && /^\d+$/.test(override) ? { status_id: Number(override) } : { slug: override || SALLA_DELIVERED_SLUG };
  const note = options.note?.trim();
  return note ? { ...target, note } : target;
}

export class SallaStoreApi implements StoreApi {
  readonly platform = 'salla' as const;
  private readonly http: StoreHttp<string>;
  private readonly isPaid: ReturnType<typeof createSallaPaidRule>;

  constructor(options: SallaStoreApiOptions) {
    this.isPaid = createSallaPaidRule(options.paidRule);
    this.http = new StoreHttp(
      { platform: 'salla', baseUrl: options.baseUrl ?? SALLA_API_BASE_URL, timeoutMs: options.timeoutMs, fetch: options.fetch, now: options.now },
      options.tokens,
    );
  }

  async getOrder(storeId: string, orderId: string): Promise<StoreOrderSnapshot> {
    const op = `get order ${orderId}`;
    const answer = await this.http.call(storeId, {
      method: 'GET',
      path: `/orders/${encodeURIComponent(orderId)}`,
      op,
      headers: (token) => ({ Authorization: `Bearer ${token}`, Accept: 'application/json' }),
    });
    const parsed = sallaOrderAnswerSchema.safeParse(this.http.json(storeId, op, answer));
    if (!parsed.success) {
      // A 2xx in a shape we do not know: retrying returns the same shape, someone must look.
      const paths = issuePaths(parsed.error).slice(0, 5).join('; ');
      throw new StoreApiError(`${this.http.what(storeId, op)}: unexpected answer (${paths})`, 'UNAVAILABLE', false);
    }
    return toSallaSnapshot(parsed.data.data, (order) => this.isPaid(SNAPSHOT_EVENT, order));
  }

  async markDelivered(storeId: string, orderId: string, options: MarkDeliveredOptions = {}): Promise<{ status: number }> {
    const answer = await this.http.call(storeId, {
      method: 'POST',
      path: `/orders/${encodeURIComponent(orderId)}/status`,
      op: `update status of order ${orderId}`,
      headers: (token) => ({ Authorization: `Bearer ${token}`, Accept: 'application/json', 'Content-Type': 'application/json' }),
      body: JSON.stringify(sallaStatusBody(options)),
    });
    return { status: answer.status };
  }

  /** What Salla's last answer for this store said about its quota (X-RateLimit-*). */
  rateLimit(storeId: string): RateLimitState | undefined {
    return this.http.rateLimit(storeId);
  }
}
