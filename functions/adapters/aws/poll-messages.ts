// Schema of the reorder-poll queue's bodies, applied by the poll function's batch parser.
import * as z from 'zod/mini';
import type { ReorderPollMessage } from '#core/ports/queues';

const nonEmpty = () => z.string().check(z.minLength(1));

export const reorderPollSchema = z.union([
  z.object({ sku: nonEmpty(), wake: z.literal(true) }),
  z.object({ sku: nonEmpty(), fill: z.literal(true) }),
  z.object({ sku: nonEmpty(), reorderId: nonEmpty(), pollId: z.optional(z.string()), lateCheck: z.optional(z.boolean()) }),
]) satisfies z.ZodMiniType<ReorderPollMessage>;

export type ReorderPollBody = z.infer<typeof reorderPollSchema>;
