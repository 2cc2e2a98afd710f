// Schemas of the queue bodies, applied by the batch processor's parser (sqs-json-parser.ts) before the
// core sees a record: a malformed message fails its record and becomes a poison message (→ DLQ).
import * as z from 'zod/mini';
import type { OrderMessage } from '#core/model';
import { PLATFORM_NAMES } from '#adapters/platforms/registry';

const platform = z.enum(PLATFORM_NAMES);
const contact = z.object({ name: z.optional(z.string()), phone: z.optional(z.string()), email: z.optional(z.string()) });
const nonEmpty = () => z.string().check(z.minLength(1));

export const orderMessageSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('ORDER'),
    platform,
    storeId: nonEmpty(),
    orderId: nonEmpty(),
    reference: z.optional(z.string()),
    locale: z.enum(['ar', 'en']),
    customer: contact,
    lines: z
      .array(
        z.object({
          lineId: nonEmpty(),
          productId: nonEmpty(),
          sku: nonEmpty(),
          quantity: z.number().check(z.int(), z.positive(), z.maximum(1000)),
          name: z.optional(z.string()),
        }),
      )
      .check(z.minLength(1)),
    receivedAt: z.iso.datetime(),
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
]) satisfies z.ZodMiniType<OrderMessage>;

export const reorderPollSchema = z.object({ sku: nonEmpty(), reorderId: nonEmpty(), pollId: z.optional(z.string()) });

export type OrderMessageBody = z.infer<typeof orderMessageSchema>;
export type ReorderPollBody = z.infer<typeof reorderPollSchema>;
