// Schemas of the queue bodies, applied by the Powertools batch parser before the core sees a record:
// a malformed message fails its record and becomes a poison message (→ DLQ).
import { z } from 'zod';
import type { OrderMessage } from '../core/model';

const platform = z.enum(['salla', 'zid']);
const contact = z.object({ name: z.string().optional(), phone: z.string().optional(), email: z.string().optional() });

export const orderMessageSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('ORDER'),
    platform,
    storeId: z.string().min(1),
    orderId: z.string().min(1),
    reference: z.string().optional(),
    locale: z.enum(['ar', 'en']),
    customer: contact,
    lines: z
      .array(
        z.object({
          lineId: z.string().min(1),
          productId: z.string().min(1),
          sku: z.string().min(1),
          quantity: z.number().int().positive().max(1000),
          name: z.string().optional(),
        }),
      )
      .min(1),
    receivedAt: z.iso.datetime(),
  }),
  z.object({
    kind: z.literal('CANCEL'),
    platform,
    storeId: z.string().min(1),
    orderId: z.string().min(1),
    reason: z.enum(['cancelled', 'refunded', 'voided']),
    receivedAt: z.iso.datetime(),
  }),
  z.object({ kind: z.literal('RESUME'), storeId: z.string().min(1), orderId: z.string().min(1) }),
]) satisfies z.ZodType<OrderMessage>;

export const reorderPollSchema = z.object({ sku: z.string().min(1), reorderId: z.string().min(1), pollId: z.string().optional() });

export type OrderMessageBody = z.infer<typeof orderMessageSchema>;
export type ReorderPollBody = z.infer<typeof reorderPollSchema>;
