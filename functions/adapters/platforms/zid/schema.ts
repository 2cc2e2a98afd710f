// Zod schemas for Zid order webhooks (docs.zid.sa "Order" schema; zidsa/sdk-python fixtures).
// Tolerant: unknown fields pass through, ids may be numbers or strings.
import * as z from 'zod/mini';
import { idSchema, optionalAmount, optionalPhonePart, optionalText, quantitySchema } from '../shared/schema';

/** What the paid/cancel decision needs; parsed before the full order. */
export const zidOrderHeadSchema = z.looseObject({
  id: idSchema,
  store_id: z.nullish(idSchema),
  /** `{ code, name }`; code: new, preparing, ready, indelivery, delivered, cancelled (also canceled). */
  order_status: z.pipe(
    z.nullish(z.union([z.looseObject({ code: optionalText }), z.string()])),
    z.transform((s) => (typeof s === 'string' ? s.trim() || undefined : s?.code)?.toLowerCase()),
  ),
  /** paid, pending, unpaid, refunded, voided */
  payment_status: z.optional(z.pipe(optionalText, z.transform((s) => s?.toLowerCase()))),
});

/** Names are plain strings in orders; `{ ar, en }` objects in catalogue payloads. Accept both. */
const nameSchema = z.optional(
  z.pipe(
    z.unknown(),
    z.transform((v): string | undefined => {
      if (typeof v === 'string') return v.trim() || undefined;
      if (typeof v === 'object' && v !== null) {
        const { ar, en } = v as { ar?: unknown; en?: unknown };
        for (const candidate of [ar, en]) if (typeof candidate === 'string' && candidate.trim()) return candidate.trim();
      }
      return undefined;
    }),
  ),
);

export const zidCustomerSchema = z.looseObject({
  id: z.nullish(idSchema),
  name: optionalText,
  email: optionalText,
  /** "966500000005", "+966500000005", "0500000005"... */
  mobile: optionalPhonePart,
});

export const zidProductSchema = z.looseObject({
  /** Product UUID (a variant has its own id; `parent_id` is the product it belongs to). */
  id: idSchema,
  /** The order line id. */
  order_product_id: idSchema,
  name: nameSchema,
  sku: optionalText,
  quantity: quantitySchema,
  /** One unit before tax (`net_price`), else `price`: for the payment check's threshold. */
  net_price: optionalAmount,
  price: optionalAmount,
});

export const zidOrderSchema = z.extend(zidOrderHeadSchema, {
  /** Customer-facing order code, e.g. "zrDH30DWiX". */
  code: optionalText,
  customer: zidCustomerSchema,
  products: z.array(zidProductSchema).check(z.minLength(1)),
  /** The storefront language of the order ("ar"/"en"). */
  language: optionalText,
});
export type ZidOrder = z.output<typeof zidOrderSchema>;
