// Meta's status webhooks (sent, delivered, read, failed) for the messages we sent: the signature
// check and the statuses they carry. Meta adds fields over time, so the schema keeps what it needs and
// ignores the rest; one unreadable status is skipped rather than failing the whole delivery, which Meta
// would then retry for days.
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod/mini';
import { parseOrThrow } from '#adapters/platforms/shared/issues';

export const SIGNATURE_HEADER = 'x-hub-signature-256';

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

/** HMAC-SHA256 of the raw body keyed with the app secret, as Meta computes `X-Hub-Signature-256`. */
export function whatsAppSignatureOf(rawBody: string | Buffer, appSecret: string): Buffer {
  return createHmac('sha256', appSecret).update(rawBody).digest();
}

/** `X-Hub-Signature-256: sha256=<hex>` over the exact bytes received. Malformed headers are rejected without throwing. */
export function verifyWhatsAppSignature(rawBody: string | Buffer, header: string | undefined, appSecret: string): boolean {
  if (typeof header !== 'string' || appSecret === '') return false;
  const hex = SIGNATURE.exec(header.trim())?.[1];
  if (!hex) return false;
  const received = Buffer.from(hex, 'hex');
  const expected = whatsAppSignatureOf(rawBody, appSecret);
  return received.length === expected.length && timingSafeEqual(received, expected);
}

export const MESSAGE_STATUSES = ['sent', 'delivered', 'read', 'failed'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export interface StatusUpdate {
  /** The wamid our send returned. */
  providerMessageId: string;
  status: MessageStatus;
  /** `biz_opaque_callback_data`: the message ref we sent. Absent for messages sent by other tools. */
  ref?: string;
  /** Meta's error code of a failed message (131026, 131049, …). */
  errorCode?: string;
  /** When Meta says it happened, ISO 8601. */
  timestamp: string;
}

const envelopeSchema = z.object({
  object: z.string(),
  entry: z.array(
    z.object({
      changes: z.array(z.object({ field: z.optional(z.string()), value: z.optional(z.object({ statuses: z.optional(z.array(z.unknown())) })) })),
    }),
  ),
});

const statusSchema = z.object({
  id: z.string().check(z.minLength(1)),
  status: z.enum(MESSAGE_STATUSES),
  // Meta sends epoch seconds as a string; a number is accepted too.
  timestamp: z.union([z.string().check(z.regex(/^\d{1,12}$/)), z.number().check(z.int(), z.nonnegative())]),
  biz_opaque_callback_data: z.optional(z.string()),
  errors: z.optional(z.array(z.object({ code: z.optional(z.union([z.number(), z.string()])) }))),
});

function toUpdate(status: z.infer<typeof statusSchema>): StatusUpdate {
  const update: StatusUpdate = {
    providerMessageId: status.id,
    status: status.status,
    timestamp: new Date(Number(status.timestamp) * 1000).toISOString(),
  };
  if (status.biz_opaque_callback_data) update.ref = status.biz_opaque_callback_data;
  const code = status.errors?.find((e) => e.code !== undefined)?.code;
  if (code !== undefined) update.errorCode = String(code);
  return update;
}

/**
 * The status updates of one webhook body (already JSON-parsed). Other changes (inbound messages,
 * template reviews) yield nothing. A body that is not a webhook at all throws InvalidPayloadError.
 */
export function parseStatusCallbacks(body: unknown): StatusUpdate[] {
  const envelope = parseOrThrow(envelopeSchema, body, 'WhatsApp webhook body is invalid');
  if (envelope.object !== 'whatsapp_business_account') return [];
  return envelope.entry
    .flatMap((entry) => entry.changes)
    .filter((change) => change.field === undefined || change.field === 'messages')
    .flatMap((change) => change.value?.statuses ?? [])
    .flatMap((raw) => {
      const parsed = statusSchema.safeParse(raw);
      return parsed.success ? [toUpdate(parsed.data)] : [];
    });
}
