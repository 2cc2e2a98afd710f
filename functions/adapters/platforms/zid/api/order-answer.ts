// The answer of Zid's GET /managers/store/orders/{id}/view (`{ status, order, message }`) and its
// snapshot. The order is the object the webhooks carry, so the webhook schemas apply unchanged.
import * as z from 'zod/mini';
import type { StoreOrderSnapshot } from '#core/ports/store-api';
import { optionalText } from '../../shared/schema';
import { zidOrderHeadSchema, zidProductSchema } from '../schema';

/** `order_total` is a decimal string ("100.00000000000000"); a number is accepted too. */
const decimal = z.optional(
  z.pipe(
    z.unknown(),
    z.transform((v) => {
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      return Number.isFinite(n) ? n : undefined;
    }),
  ),
);

export const zidApiOrderSchema = z.extend(zidOrderHeadSchema, {
  currency_code: optionalText,
  order_total: decimal,
  // An order with no lines is still an answer about the order: lines are not required here.
  products: z.nullish(z.array(zidProductSchema)),
});
export type ZidApiOrder = z.output<typeof zidApiOrderSchema>;

export const zidOrderAnswerSchema = z.looseObject({ order: zidApiOrderSchema });

/** The snapshot of an order. Paid is the webhook's signal: `payment_status == "paid"`. */
export function toZidSnapshot(order: ZidApiOrder): StoreOrderSnapshot {
  return {
    orderId: order.id,
    paid: order.payment_status === 'paid',
    ...(order.payment_status ? { paymentStatus: order.payment_status } : {}),
    ...(order.order_status ? { status: order.order_status } : {}),
    // Same ids as the webhook mapping: a variant is a product with its own id, so no variantId.
    lines: (order.products ?? []).map((p) => ({ lineId: p.order_product_id, productId: p.id, quantity: p.quantity })),
    ...(order.order_total !== undefined && order.currency_code ? { total: { amount: order.order_total, currency: order.currency_code } } : {}),
  };
}
