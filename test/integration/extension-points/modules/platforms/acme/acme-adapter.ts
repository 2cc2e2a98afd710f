// Acme webhooks: authenticated by the store's shared secret in a header, paid when the order says so.
// Secondary adapter behind `PlatformAdapter`; the webhook function is its only caller.
import * as z from 'zod/mini';
import { parseOrThrow } from '#adapters/platforms/shared/issues';
import { pickLocale } from '#adapters/platforms/shared/locale';
import { toE164 } from '#adapters/platforms/shared/phone';
import { idSchema, isRecord, optionalPhonePart, optionalText, quantitySchema, safeToken } from '#adapters/platforms/shared/schema';
import { safeEqual } from '#adapters/platforms/shared/timing-safe';
import type { Contact, Locale, PlatformOrder, WebhookIntent } from '#core/model';
import type { PlatformAdapter, StoreWebhookSecret, WebhookRequest } from '#core/ports/platform';

/** Header Acme puts the store's shared secret in (names arrive lower-cased). */
export const ACME_SECRET_HEADER = 'x-acme-webhook-secret';

const envelopeSchema = z.looseObject({
  event: z.string().check(z.trim(), z.minLength(1)),
  store_id: idSchema,
  order: z.unknown(),
});

// Parsed before the full order, so an unpaid order is ignored without its lines being checked.
const orderHeadSchema = z.looseObject({ id: idSchema, paid: z.optional(z.unknown()) });

const orderSchema = z.extend(orderHeadSchema, {
  /** What the customer calls the order, e.g. "A-1042". */
  number: optionalText,
  language: optionalText,
  customer: z.looseObject({ name: optionalText, phone: optionalPhonePart, email: optionalText }),
  lines: z
    .array(z.looseObject({ id: idSchema, product_id: idSchema, sku: optionalText, quantity: quantitySchema, name: optionalText }))
    .check(z.minLength(1)),
});

const CANCEL_EVENTS: Readonly<Record<string, 'cancelled' | 'refunded'>> = { 'order.cancelled': 'cancelled', 'order.refunded': 'refunded' };
const ORDER_EVENTS: ReadonlySet<string> = new Set(['order.created', 'order.updated']);

export class AcmeAdapter implements PlatformAdapter {
  readonly platform = 'acme' as const;

  constructor(private readonly defaultLocale: Locale) {}

  storeIdOf(body: unknown): string | undefined {
    if (!isRecord(body)) return undefined;
    const id = idSchema.safeParse(body.store_id);
    return id.success ? id.data : undefined;
  }

  verify(request: WebhookRequest, secret: StoreWebhookSecret): boolean {
    if (typeof secret.secret !== 'string' || secret.secret === '') return false;
    // Compared even when the header is missing, so the timing does not say which case it was.
    return safeEqual(request.headers[ACME_SECRET_HEADER]?.trim() ?? '', secret.secret);
  }

  interpret(body: unknown): WebhookIntent {
    const envelope = parseOrThrow(envelopeSchema, body, 'Acme webhook envelope is invalid');
    const message = `Acme ${safeToken(envelope.event)} payload is invalid`;
    const cancelReason = Object.hasOwn(CANCEL_EVENTS, envelope.event) ? CANCEL_EVENTS[envelope.event] : undefined;
    if (cancelReason) {
      const head = parseOrThrow(orderHeadSchema, envelope.order, message, ['order']);
      return { type: 'CANCEL', platform: this.platform, storeId: envelope.store_id, orderId: head.id, reason: cancelReason };
    }
    if (!ORDER_EVENTS.has(envelope.event)) return { type: 'IGNORE', reason: `event ${safeToken(envelope.event)} is not handled` };
    const head = parseOrThrow(orderHeadSchema, envelope.order, message, ['order']);
    // Only the boolean: a string "true" is a malformed payload from our point of view, never a payment.
    if (head.paid !== true) return { type: 'IGNORE', reason: 'order not paid: paid is not true' };
    return { type: 'PAID_ORDER', order: this.toPlatformOrder(envelope.store_id, parseOrThrow(orderSchema, envelope.order, message, ['order'])) };
  }

  private toPlatformOrder(storeId: string, order: z.output<typeof orderSchema>): PlatformOrder {
    const customer: Contact = {};
    if (order.customer.name) customer.name = order.customer.name;
    const phone = toE164(order.customer.phone);
    if (phone) customer.phone = phone;
    if (order.customer.email) customer.email = order.customer.email;
    return {
      platform: this.platform,
      storeId,
      orderId: order.id,
      ...(order.number ? { reference: order.number } : {}),
      locale: pickLocale([order.language], this.defaultLocale),
      customer,
      lines: order.lines.map((line) => ({
        lineId: line.id,
        productId: line.product_id,
        quantity: line.quantity,
        ...(line.sku ? { sku: line.sku } : {}),
        ...(line.name ? { name: line.name } : {}),
      })),
    };
  }
}
