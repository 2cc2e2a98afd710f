// Secondary adapter: the StoreApi port over Zid's manager API (https://api.zid.sa/v1). Reads an
// order to re-verify a webhook's "paid", and moves a delivered order to `delivered`.
import type { MarkDeliveredOptions, StoreApi, StoreOrderSnapshot } from '#core/ports/store-api';
import { StoreApiError } from '#core/errors';
import { issuePaths } from '../../shared/issues';
import type { RateLimitState } from '../../shared/rate-limit';
import { StoreHttp } from '../../shared/store-http';
import type { StoreTokenProvider } from '../../shared/store-tokens';
import { toZidSnapshot, zidOrderAnswerSchema } from './order-answer';

export const ZID_API_BASE_URL = 'https://api.zid.sa/v1';

/** Both come from the merchant's OAuth answer: `access_token` and `authorization`. */
export interface ZidStoreTokens {
  /** `X-Manager-Token`: the store's access token. */
  managerToken: string;
  /** `Authorization: Bearer …`: the authorization (partner) token. */
  authorization: string;
}

export interface ZidStoreApiOptions {
  tokens: StoreTokenProvider<ZidStoreTokens>;
  /** ZID_API_BASE_URL. Default https://api.zid.sa/v1. */
  baseUrl?: string;
  /** `Accept-Language` of every call (names in answers). Default `en`, as Zid's own SDK. */
  language?: string;
  /** Default 10 000 ms. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

/** The port's options plus Zid's tracking fields. Zid has no note on a status change: `note` is not sent. */
export interface ZidMarkDeliveredOptions extends MarkDeliveredOptions {
  trackingNumber?: string;
  trackingUrl?: string;
}

export const ZID_DELIVERED_STATUS = 'delivered';

/** The form fields of change-order-status. */
export function zidStatusForm(options: ZidMarkDeliveredOptions = {}): URLSearchParams {
  const form = new URLSearchParams({ order_status: options.statusOverride?.trim() || ZID_DELIVERED_STATUS });
  if (options.trackingNumber?.trim()) form.set('tracking_number', options.trackingNumber.trim());
  if (options.trackingUrl?.trim()) form.set('tracking_url', options.trackingUrl.trim());
  return form;
}

export class ZidStoreApi implements StoreApi {
  readonly platform = 'zid' as const;
  private readonly http: StoreHttp<ZidStoreTokens>;
  private readonly language: string;

  constructor(options: ZidStoreApiOptions) {
    this.language = options.language ?? 'en';
    this.http = new StoreHttp(
      { platform: 'zid', baseUrl: options.baseUrl ?? ZID_API_BASE_URL, timeoutMs: options.timeoutMs, fetch: options.fetch, now: options.now },
      options.tokens,
    );
  }

  async getOrder(storeId: string, orderId: string): Promise<StoreOrderSnapshot> {
    const op = `get order ${orderId}`;
    const answer = await this.http.call(storeId, {
      method: 'GET',
      path: `/managers/store/orders/${encodeURIComponent(orderId)}/view`,
      op,
      headers: (tokens) => this.headers(tokens),
    });
    const parsed = zidOrderAnswerSchema.safeParse(this.http.json(storeId, op, answer));
    if (!parsed.success) {
      // A 2xx in a shape we do not know: retrying returns the same shape, someone must look.
      const paths = issuePaths(parsed.error).slice(0, 5).join('; ');
      throw new StoreApiError(`${this.http.what(storeId, op)}: unexpected answer (${paths})`, 'UNAVAILABLE', false);
    }
    return toZidSnapshot(parsed.data.order);
  }

  async markDelivered(storeId: string, orderId: string, options: ZidMarkDeliveredOptions = {}): Promise<{ status: number }> {
    const answer = await this.http.call(storeId, {
      method: 'POST',
      path: `/managers/store/orders/${encodeURIComponent(orderId)}/change-order-status`,
      op: `change status of order ${orderId}`,
      headers: (tokens) => ({ ...this.headers(tokens), 'Content-Type': 'application/x-www-form-urlencoded' }),
      body: zidStatusForm(options).toString(),
    });
    return { status: answer.status };
  }

  /** What Zid's last answer for this store said about its quota (X-RateLimit-*). */
  rateLimit(storeId: string): RateLimitState | undefined {
    return this.http.rateLimit(storeId);
  }

  private headers(tokens: ZidStoreTokens): Record<string, string> {
    return {
      Authorization: `Bearer ${tokens.authorization}`,
      'X-Manager-Token': tokens.managerToken,
      'Accept-Language': this.language,
      Accept: 'application/json',
    };
  }
}
