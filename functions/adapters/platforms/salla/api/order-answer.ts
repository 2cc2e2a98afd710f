// The answer of Salla's GET /orders/{id} (`{ status, success, data: order }`) and its snapshot. The
// order is the same object the webhooks carry, so the webhook schemas and paid rule apply unchanged.
import * as z from 'zod/mini';
import type { StoreOrderSnapshot } from '#core/ports/store-api';
import { optionalText } from '../../shared/schema';
import { statusSlug, type PaidDecision } from '../paid-rule';
import { sallaItemSchema, sallaOrderHeadSchema, type SallaOrderHead } from '../schema';

/** `{ amount, currency }`; Salla sends numbers, a numeric string is accepted. */
const moneySchema = z.looseObject({
  amount: z.pipe(
    z.transform((v: unknown) => (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v)),
    z.number(),
  ),
  currency: optionalText,
});

export const sallaApiOrderSchema = z.extend(sallaOrderHeadSchema, {
  currency: optionalText,
  /** Not in the documented order; read when present. */
  payment_status: optionalText,
  amounts: z.nullish(z.looseObject({ total: z.nullish(moneySchema) })),
  // An order with no lines is still an answer about the order: lines are not required here.
  items: z.nullish(z.array(sallaItemSchema)),
});
export type SallaApiOrder = z.output<typeof sallaApiOrderSchema>;

export const sallaOrderAnswerSchema = z.looseObject({ data: sallaApiOrderSchema });

/** The snapshot of an order; `isPaid` is the webhook paid rule. */
export function toSallaSnapshot(order: SallaApiOrder, isPaid: (order: SallaOrderHead) => PaidDecision): StoreOrderSnapshot {
  const total = order.amounts?.total;
  const currency = total?.currency ?? order.currency;
  const slug = statusSlug(order.status);
  return {
    orderId: order.id,
    paid: isPaid(order).paid,
    ...(order.payment_status ? { paymentStatus: order.payment_status.toLowerCase() } : {}),
    ...(order.payment_method ? { paymentMethod: order.payment_method.toLowerCase() } : {}),
    ...(slug ? { status: slug } : {}),
    lines: (order.items ?? []).map((item) => ({
      lineId: item.id,
      productId: (item.product?.id ?? item.product_id) as string, // presence checked by the schema
      ...(item.product_sku_id ? { variantId: item.product_sku_id } : {}),
      quantity: item.quantity,
    })),
    ...(total && currency ? { total: { amount: total.amount, currency } } : {}),
  };
}
