// Zid webhooks: authenticate (HTTP Basic Auth) and decide what an order event asks of us.
// Secondary adapter behind core/ports.ts `PlatformAdapter`; the webhook function is its only caller.
import { InvalidPayloadError } from '#core/errors';
import type { Contact, Locale, PlatformOrder, WebhookIntent } from '#core/model';
import type { PlatformAdapter, StoreWebhookSecret, WebhookRequest } from '#core/ports/platform';
import { parseOrThrow } from '../shared/issues';
import { pickLocale } from '../shared/locale';
import { DEFAULT_COUNTRY_CODE, toE164 } from '../shared/phone';
import { isRecord, safeToken } from '../shared/schema';
import { verifyBasicAuth } from './basic-auth';
import { zidOrderHeadSchema, zidOrderSchema, type ZidOrder } from './schema';

export interface ZidAdapterOptions {
  /** DEFAULT_LOCALE: used when the order names no language. */
  defaultLocale: Locale;
  /** Country code for mobiles sent without one ("05..."). Default 966. */
  defaultCountryCode?: string;
}

/** Zid order events we act on. Other `order.*` events (and every non-order event) are ignored. */
export const ZID_ORDER_EVENTS: ReadonlySet<string> = new Set([
  'order.create',
  'order.status.update',
  'order.payment_status.update',
]);

const CANCELLED_ORDER_STATUSES: ReadonlySet<string> = new Set(['cancelled', 'canceled']);

/**
 * Where the order is in a delivery. Zid's docs do not settle whether webhooks wrap the order, so
 * three shapes are accepted: `{ event, data: order }`, `{ event, order }`, and the bare order object.
 */
export function locateZidOrder(body: Record<string, unknown>): { order: unknown; path: string[] } | undefined {
  if (isRecord(body.data)) return { order: body.data, path: ['data'] };
  if (isRecord(body.order)) return { order: body.order, path: ['order'] };
  if (body.id !== undefined) return { order: body, path: [] };
  return undefined;
}

function idString(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  return undefined;
}

export class ZidAdapter implements PlatformAdapter {
  readonly platform = 'zid' as const;

  constructor(private readonly options: ZidAdapterOptions) {}

  /** Top-level `store_id`, else the order's own `store_id`. */
  storeIdOf(body: unknown): string | undefined {
    if (!isRecord(body)) return undefined;
    const top = idString(body.store_id);
    if (top) return top;
    const located = locateZidOrder(body);
    return located && isRecord(located.order) ? idString(located.order.store_id) : undefined;
  }

  /** `Authorization: Basic base64(username:password)`; the interface carries no query string, so no token fallback. */
  verify(request: WebhookRequest, secret: StoreWebhookSecret): boolean {
    const { username, password } = secret;
    if (typeof username !== 'string' || typeof password !== 'string') return false;
    return verifyBasicAuth(request.headers['authorization'], username, password);
  }

  interpret(body: unknown): WebhookIntent {
    if (!isRecord(body)) throw new InvalidPayloadError('Zid webhook body is invalid', ['(root): expected object']);
    const event = body.event;
    if (event !== undefined && typeof event !== 'string') {
      throw new InvalidPayloadError('Zid webhook body is invalid', ['event: expected string']);
    }
    const eventName = event?.trim();
    if (eventName && !ZID_ORDER_EVENTS.has(eventName)) {
      return { type: 'IGNORE', reason: `event ${safeToken(eventName)} is not handled` };
    }

    const located = locateZidOrder(body);
    if (!located) throw new InvalidPayloadError('Zid webhook body is invalid', ['data: expected object']);
    const message = `Zid ${eventName ? safeToken(eventName) : 'order'} payload is invalid`;
    const head = parseOrThrow(zidOrderHeadSchema, located.order, message, located.path);
    const storeId = this.storeIdOf(body);
    if (!storeId) throw new InvalidPayloadError(message, ['store_id: required']);

    const cancel = (reason: 'cancelled' | 'refunded' | 'voided'): WebhookIntent => ({
      type: 'CANCEL',
      platform: 'zid',
      storeId,
      orderId: head.id,
      reason,
    });
    if (head.payment_status === 'refunded') return cancel('refunded');
    if (head.payment_status === 'voided') return cancel('voided');
    if (head.order_status && CANCELLED_ORDER_STATUSES.has(head.order_status)) return cancel('cancelled');

    if (head.payment_status === 'paid') {
      const order = parseOrThrow(zidOrderSchema, located.order, message, located.path);
      return { type: 'PAID_ORDER', order: this.toPlatformOrder(storeId, order) };
    }
    // order.payment_status.update fires when an order becomes paid or *unpaid*; unpaid after paid
    // means the payment was reversed (Zid folds pending/refunded/voided into "unpaid").
    if (eventName === 'order.payment_status.update' && head.payment_status === 'unpaid') return cancel('voided');
    return { type: 'IGNORE', reason: `order not paid: payment_status ${safeToken(head.payment_status ?? 'missing')}` };
  }

  private toPlatformOrder(storeId: string, order: ZidOrder): PlatformOrder {
    const c = order.customer;
    const customer: Contact = {};
    if (c.name) customer.name = c.name;
    const phone = toE164(c.mobile, this.options.defaultCountryCode ?? DEFAULT_COUNTRY_CODE);
    if (phone) customer.phone = phone;
    // Dropped, never guessed at: the delivery holds the order if nothing else reaches the customer.
    else if (c.mobile !== undefined && c.mobile !== '') customer.invalidPhone = true;
    if (c.email) customer.email = c.email;

    return {
      platform: 'zid',
      storeId,
      orderId: order.id,
      ...(order.code ? { reference: order.code } : {}),
      locale: pickLocale([order.language], this.options.defaultLocale),
      customer,
      lines: order.products.map((p) => ({
        lineId: p.order_product_id,
        productId: p.id,
        ...(p.sku ? { sku: p.sku } : {}),
        quantity: p.quantity,
        ...(p.name ? { name: p.name } : {}),
        ...((p.net_price ?? p.price) !== undefined ? { unitPrice: p.net_price ?? p.price } : {}),
      })),
    };
  }
}
