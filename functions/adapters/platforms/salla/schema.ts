// Zod schemas for Salla webhooks (docs.salla.dev "Order" store events). Tolerant by design: unknown
// fields pass through, ids may be numbers or strings, `created_at` is kept as whatever Salla sent.
import * as z from 'zod/mini';
import { idSchema, optionalAmount, optionalPhonePart, optionalText, quantitySchema } from '../shared/schema';

/** Every Salla delivery: `{ event, merchant, created_at, data }`. `merchant` is the store id. */
export const sallaEnvelopeSchema = z.looseObject({
  event: z.string().check(z.trim(), z.minLength(1)),
  merchant: idSchema,
  // Several formats seen ("2021-06-02 22:17:06", "Sun Jun 26 2022 12:21:48 GMT+0300", ISO): not parsed.
  created_at: z.optional(z.unknown()),
  data: z.unknown(),
});
export type SallaEnvelope = z.output<typeof sallaEnvelopeSchema>;

/** What the paid decision needs; parsed before the full order so unpaid orders are never rejected for missing lines. */
export const sallaOrderHeadSchema = z.looseObject({
  id: idSchema,
  // `{ id, name, slug, customized }` in order payloads; a plain (Arabic) name string in some events.
  status: z.optional(z.unknown()),
  payment_method: optionalText,
  draft: z.nullish(z.boolean()),
  is_pending_payment: z.nullish(z.boolean()),
});
export type SallaOrderHead = z.output<typeof sallaOrderHeadSchema>;

export const sallaCustomerSchema = z.looseObject({
  id: z.nullish(idSchema),
  full_name: optionalText,
  first_name: optionalText,
  last_name: optionalText,
  /** National number without the country code, usually a JSON number (501806978). */
  mobile: optionalPhonePart,
  /** "+966" */
  mobile_code: optionalPhonePart,
  email: optionalText,
  /** The customer's storefront language ("ar"/"en"), seen in 2025 order payloads. */
  lang: optionalText,
});

export const sallaProductSchema = z.looseObject({
  id: z.nullish(idSchema),
  /** product, service, group_products, codes, digital, food, donating, booking */
  type: optionalText,
  sku: optionalText,
  name: optionalText,
});

export const sallaItemSchema = z
  .looseObject({
    id: idSchema,
    name: optionalText,
    sku: optionalText,
    quantity: quantitySchema,
    product: z.nullish(sallaProductSchema),
    product_id: z.nullish(idSchema),
    /** The variant (Salla "SKU" record) bought when the product has options. */
    product_sku_id: z.nullish(idSchema),
    /** `price_without_tax.amount`: one unit's price, for the payment check's threshold. */
    amounts: z.nullish(z.looseObject({ price_without_tax: z.nullish(z.looseObject({ amount: optionalAmount })) })),
  })
  .check(
    z.superRefine((item, ctx) => {
      if (!item.product?.id && !item.product_id) {
        ctx.addIssue({ code: 'custom', path: ['product', 'id'], message: 'required (or product_id)' });
      }
    }),
  );

/** A paid order must carry enough to deliver: customer and at least one line. */
export const sallaOrderSchema = z.extend(sallaOrderHeadSchema, {
  reference_id: z.nullish(idSchema),
  customer: sallaCustomerSchema,
  items: z.array(sallaItemSchema).check(z.minLength(1)),
  lang: optionalText,
  language: optionalText,
});
export type SallaOrder = z.output<typeof sallaOrderSchema>;

/** order.cancelled / order.refunded only need the order id. */
export const sallaOrderIdSchema = z.looseObject({ id: idSchema });
