// Schemas of the queue bodies, applied by the batch processor's parser (sqs-json-parser.ts) before the
// core sees a record: a malformed message fails its record, logged with why, and only a bug can make one.
import * as z from 'zod/mini';
import { ORDER_LIMIT_CEILING } from '#core/limits';
import type { OrderMessage } from '#core/model';
import type { WriteBackMessage } from '#core/ports/write-back';

// A module name's shape, not the registry's list: the webhook (the only producer) took the platform from
// its route, and the delivery bundle then carries no webhook adapter just to re-check the name.
const platform = z.string().check(z.regex(/^[a-z][a-z0-9-]{0,31}$/));
const contact = z.object({ name: z.optional(z.string()), phone: z.optional(z.string()), email: z.optional(z.string()), invalidPhone: z.optional(z.boolean()) });
const nonEmpty = () => z.string().check(z.minLength(1));
const locale = z.enum(['ar', 'en']);
const line = z.object({
  lineId: nonEmpty(),
  productId: nonEmpty(),
  sku: nonEmpty(),
  // The webhook holds anything over the configured limits; the schema only guards the ceiling.
  quantity: z.number().check(z.int(), z.positive(), z.maximum(ORDER_LIMIT_CEILING.maxUnitsPerLine)),
  name: z.optional(z.string()),
  variantId: z.optional(z.string()),
  ordered: z.optional(z.number().check(z.int(), z.positive())),
  unitPrice: z.optional(z.number().check(z.nonnegative())),
});

/** What every paid-order message carries: who bought, where, when. */
const paidOrder = {
  platform,
  storeId: nonEmpty(),
  orderId: nonEmpty(),
  reference: z.optional(z.string()),
  locale,
  customer: contact,
  receivedAt: z.iso.datetime(),
};

export const orderMessageSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('ORDER'),
    ...paidOrder,
    lines: z.array(line).check(z.minLength(1), z.maxLength(ORDER_LIMIT_CEILING.maxLinesPerOrder)),
    skipUnits: z.optional(z.number().check(z.int(), z.nonnegative())),
  }),
  z.object({
    kind: z.literal('CANCEL'),
    platform,
    storeId: nonEmpty(),
    orderId: nonEmpty(),
    reason: z.enum(['cancelled', 'refunded', 'voided']),
    receivedAt: z.iso.datetime(),
  }),
  z.object({ kind: z.literal('RESUME'), storeId: nonEmpty(), orderId: nonEmpty() }),
  z.object({
    kind: z.literal('CHANNEL_STATUS'),
    storeId: nonEmpty(),
    orderId: nonEmpty(),
    unitId: nonEmpty(),
    channel: nonEmpty(),
    providerMessageId: nonEmpty(),
    status: z.enum(['sent', 'delivered', 'read', 'failed']),
    at: z.iso.datetime(),
    errorCode: z.optional(z.string().check(z.maxLength(64))),
  }),
  z.object({
    kind: z.literal('HOLD'),
    ...paidOrder,
    reason: z.enum(['OVER_LIMIT', 'NO_CONTACT']),
    detail: z.string(),
    lines: z.array(z.extend(line, { quantity: z.number().check(z.int(), z.positive()) })),
    linesOmitted: z.number().check(z.int(), z.nonnegative()),
  }),
]) satisfies z.ZodMiniType<OrderMessage>;

export type OrderMessageBody = z.infer<typeof orderMessageSchema>;

const count = () => z.number().check(z.int(), z.nonnegative());

/** A delivered order for the write-back function: ids and a unit count, never a code. */
export const writeBackMessageSchema = z.object({
  platform,
  storeId: nonEmpty(),
  orderId: nonEmpty(),
  units: count(),
  attempt: z.optional(count()),
  slotAt: z.optional(count()),
}) satisfies z.ZodMiniType<WriteBackMessage>;

export type WriteBackMessageBody = z.infer<typeof writeBackMessageSchema>;

/** SQS's largest message body. */
export const MAX_MESSAGE_BYTES = 256 * 1024;
