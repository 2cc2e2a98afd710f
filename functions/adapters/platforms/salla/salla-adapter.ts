// Salla webhooks: authenticate (the Signature or Token strategy the store is pinned to) and decide what an event asks of us.
// Secondary adapter behind core/ports.ts `PlatformAdapter`; the webhook function is its only caller.
import { parseSallaAuthorizeEvent } from './api/authorize-event';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Contact, Locale, PlatformOrder, WebhookIntent } from '#core/model';
import type { PlatformAdapter, StoreWebhookSecret, WebhookRequest } from '#core/ports/platform';
import { parseOrThrow } from '../shared/issues';
import { pickLocale } from '../shared/locale';
import { toE164 } from '../shared/phone';
import { isRecord, safeToken } from '../shared/schema';
import { safeEqual } from '../shared/timing-safe';
import { CANCEL_STATUSES, createSallaPaidRule, statusSlug, type PaidDecision } from './paid-rule';
import {
  sallaOrderIdSchema,
  sallaEnvelopeSchema,
  sallaOrderHeadSchema,
  sallaOrderSchema,
  type SallaEnvelope,
  type SallaOrder,
  type SallaOrderHead,
} from './schema';

export interface SallaAdapterOptions {
  /** SALLA_PAID_STATUSES */
  paidStatuses: string[];
  /** SALLA_UNPAID_PAYMENT_METHODS */
  unpaidPaymentMethods: string[];
  /** DEFAULT_LOCALE: used when the payload names no language. */
  defaultLocale: Locale;
}

/** Order events whose meaning depends on whether the order is paid. */
export const SALLA_ORDER_EVENTS: ReadonlySet<string> = new Set([
  'order.created',
  'order.updated',
  'order.status.updated',
  'order.payment.updated',
]);

const SIGNATURE_HEX = /^[0-9a-fA-F]{64}$/;

/** HMAC-SHA256 of the raw body keyed with the webhook secret, as Salla computes `X-Salla-Signature`. */
export function sallaSignatureOf(rawBody: string | Buffer, secret: string): Buffer {
  return createHmac('sha256', secret).update(rawBody).digest();
}

/** `X-Salla-Signature` check. Malformed headers (not 64 hex chars) are rejected without throwing. */
export function verifySallaSignature(rawBody: Buffer, header: string | undefined, secret: string): boolean {
  if (typeof header !== 'string' || secret === '') return false;
  const hex = header.trim();
  if (!SIGNATURE_HEX.test(hex)) return false;
  const received = Buffer.from(hex, 'hex');
  const expected = sallaSignatureOf(rawBody, secret);
  return received.length === expected.length && timingSafeEqual(received, expected);
}

/** Token strategy: `Authorization: <secret>` (a `Bearer ` prefix is tolerated). Length does not leak. */
export function verifySallaToken(header: string | undefined, secret: string): boolean {
  if (typeof header !== 'string' || secret === '') return false;
  const token = header.trim().replace(/^bearer\s+/i, '');
  return safeEqual(token, secret);
}

/** The order object of an order event: `data`, or `data.order` for the status-change shape of order.status.updated. */
function orderLocation(data: unknown): { value: unknown; path: string[] } {
  if (isRecord(data) && isRecord(data.order) && data.order.id !== undefined && !Array.isArray(data.items)) {
    return { value: data.order, path: ['data', 'order'] };
  }
  return { value: data, path: ['data'] };
}

export type SallaStrategy = 'signature' | 'token';

/** The strategy a store's secret pins; undefined for a value that is neither (such a store accepts nothing). */
export function pinnedSallaStrategy(secret: StoreWebhookSecret): SallaStrategy | undefined {
  if (secret.strategy !== undefined && typeof secret.strategy !== 'string') return undefined;
  const configured = secret.strategy?.trim().toLowerCase();
  if (configured === undefined || configured === '' || configured === 'signature') return 'signature';
  return configured === 'token' ? 'token' : undefined;
}

export class SallaAdapter implements PlatformAdapter {
  readonly platform = 'salla' as const;
  private readonly isPaid: (event: string, order: SallaOrderHead) => PaidDecision;

  constructor(private readonly options: SallaAdapterOptions) {
    this.isPaid = createSallaPaidRule(options);
  }

  storeIdOf(body: unknown): string | undefined {
    if (!isRecord(body)) return undefined;
    const merchant = body.merchant;
    if (typeof merchant === 'number' && Number.isSafeInteger(merchant) && merchant >= 0) return String(merchant);
    if (typeof merchant === 'string' && merchant.trim() !== '') return merchant.trim();
    return undefined;
  }

  verifySignedBody(request: WebhookRequest, secret: StoreWebhookSecret): boolean {
    const key = secret.secret;
    return typeof key === 'string' && key !== '' && verifySallaSignature(request.rawBody, request.headers['x-salla-signature'], key);
  }

  /**
   * The store's configuration pins the strategy (`strategy` in its secret: `signature`, the default, or
   * `token`); the request cannot choose it. A request that declares another strategy in
   * `X-Salla-Security-Strategy` (any case) is rejected even with a valid credential for it, so one
   * captured Token request is no way in to a store that signs.
   */
  verify(request: WebhookRequest, secret: StoreWebhookSecret): boolean {
    const key = secret.secret;
    const pinned = pinnedSallaStrategy(secret);
    if (typeof key !== 'string' || key === '' || !pinned) return false;
    const declared = request.headers['x-salla-security-strategy']?.trim().toLowerCase();
    // The pinned check runs whatever the header says, so the answer's timing does not tell the pin.
    const passed = pinned === 'signature' ? verifySallaSignature(request.rawBody, request.headers['x-salla-signature'], key) : verifySallaToken(request.headers['authorization'], key);
    return passed && (declared === undefined || declared === '' || declared === pinned);
  }

  interpret(body: unknown): WebhookIntent {
    const envelope = parseOrThrow(sallaEnvelopeSchema, body, 'Salla webhook envelope is invalid');
    switch (envelope.event) {
      case 'order.cancelled':
        return this.cancel(envelope, 'cancelled');
      case 'order.refunded':
        return this.cancel(envelope, 'refunded');
      case 'app.store.authorize': {
        const { storeId, tokens } = parseSallaAuthorizeEvent(body);
        return { type: 'AUTHORIZE', platform: 'salla', storeId, tokens };
      }
      default:
        if (SALLA_ORDER_EVENTS.has(envelope.event)) return this.orderEvent(envelope);
        return { type: 'IGNORE', reason: `event ${safeToken(envelope.event)} is not handled` };
    }
  }

  private cancel(envelope: SallaEnvelope, reason: 'cancelled' | 'refunded'): WebhookIntent {
    const { value, path } = orderLocation(envelope.data);
    const order = parseOrThrow(sallaOrderIdSchema, value, `Salla ${envelope.event} payload is invalid`, path);
    return { type: 'CANCEL', platform: 'salla', storeId: envelope.merchant, orderId: order.id, reason };
  }

  private orderEvent(envelope: SallaEnvelope): WebhookIntent {
    const { value, path } = orderLocation(envelope.data);
    const message = `Salla ${envelope.event} payload is invalid`;
    const head = parseOrThrow(sallaOrderHeadSchema, value, message, path);

    const slug = statusSlug(head.status);
    const cancelReason = slug !== undefined ? CANCEL_STATUSES[slug] : undefined;
    if (cancelReason && envelope.event !== 'order.created') {
      return { type: 'CANCEL', platform: 'salla', storeId: envelope.merchant, orderId: head.id, reason: cancelReason };
    }

    const decision = this.isPaid(envelope.event, head);
    if (!decision.paid) return { type: 'IGNORE', reason: `order not paid: ${decision.reason}` };

    const order = parseOrThrow(sallaOrderSchema, value, message, path);
    return { type: 'PAID_ORDER', order: this.toPlatformOrder(envelope.merchant, order) };
  }

  private toPlatformOrder(storeId: string, order: SallaOrder): PlatformOrder {
    const c = order.customer;
    const customer: Contact = {};
    const name = c.full_name ?? ([c.first_name, c.last_name].filter(Boolean).join(' ') || undefined);
    if (name) customer.name = name;
    const phone = toE164(c.mobile, c.mobile_code);
    if (phone) customer.phone = phone;
    // Dropped, never guessed at: the delivery holds the order if nothing else reaches the customer.
    else if (c.mobile !== undefined && c.mobile !== '') customer.invalidPhone = true;
    if (c.email) customer.email = c.email;

    return {
      platform: 'salla',
      storeId,
      orderId: order.id,
      ...(order.reference_id ? { reference: order.reference_id } : {}),
      locale: pickLocale([c.lang, order.lang, order.language], this.options.defaultLocale),
      customer,
      lines: order.items.map((item) => {
        const productId = (item.product?.id ?? item.product_id) as string; // presence checked by the schema
        const sku = item.sku ?? item.product?.sku;
        const name = item.name ?? item.product?.name;
        return {
          lineId: item.id,
          productId,
          ...(item.product_sku_id ? { variantId: item.product_sku_id } : {}),
          ...(sku ? { sku } : {}),
          quantity: item.quantity,
          ...(name ? { name } : {}),
          ...(item.amounts?.price_without_tax?.amount !== undefined ? { unitPrice: item.amounts.price_without_tax.amount } : {}),
        };
      }),
    };
  }
}
