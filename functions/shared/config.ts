// Environment contract of the Lambda functions, parsed once at cold start. CDK and local/ set it.
import { z } from 'zod';

const csv = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));

export const configSchema = z.object({
  TABLE_NAME: z.string().min(1),
  ORDERS_QUEUE_URL: z.string().min(1),
  /** Delayed messages that make the restock function look at a pending supplier order again. */
  REORDER_POLL_QUEUE_URL: z.string().min(1),
  ALERTS_TOPIC_ARN: z.string().min(1),
  /** Secrets Manager name prefix of per-store webhook secrets: `<prefix><platform>/<storeId>`. */
  WEBHOOK_SECRET_PREFIX: z.string().default('streamsync/webhook/'),
  /** Secrets Manager name of the 32-byte base64 key that encrypts codes and keys their HMAC ids. */
  CODE_KEY_SECRET_NAME: z.string().default('streamsync/code-key'),
  /** Secrets Manager prefix of supplier credentials: `<prefix><supplier>`. */
  SUPPLIER_SECRET_PREFIX: z.string().default('streamsync/supplier/'),
  /** `sns-sms` on AWS, `recorder` locally. */
  CHANNEL: z.enum(['sns-sms', 'recorder']).default('sns-sms'),
  RECORDER_URL: z.string().optional(),
  /** Overrides the supplier base URLs (the local fake). */
  RELOADLY_BASE_URL: z.string().optional(),
  RELOADLY_AUTH_URL: z.string().optional(),
  AVAILABLE_SHARDS: z.coerce.number().int().min(1).max(64).default(8),
  MAX_WEBHOOK_BYTES: z.coerce.number().int().positive().default(262_144),
  DEFAULT_LOCALE: z.enum(['ar', 'en']).default('ar'),
  /** Salla status slugs that mean "paid"; `SALLA_UNPAID_PAYMENT_METHODS` are never paid before review. */
  SALLA_PAID_STATUSES: csv('completed,in_progress,delivering,delivered,shipped'),
  SALLA_UNPAID_PAYMENT_METHODS: csv('bank,cod'),
  REORDER_LEASE_SECONDS: z.coerce.number().int().positive().default(120),
  REORDER_POLL_DELAY_SECONDS: z.coerce.number().int().min(0).max(900).default(60),
  /** After a fatal supplier error (no balance, product gone) reordering of that SKU pauses this long. */
  REORDER_FAILURE_BACKOFF_SECONDS: z.coerce.number().int().min(0).default(900),
  REORDER_COOLDOWN_SECONDS: z.coerce.number().int().min(0).default(10),
  REORDER_MAX_AGE_SECONDS: z.coerce.number().int().positive().default(3600),
  /** Local only: secrets come from this JSON instead of Secrets Manager ({ "<name>": "<value>" }). */
  LOCAL_SECRETS_JSON: z.string().optional(),
});

export type Config = z.infer<typeof configSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set": the default applies, never 0 or an empty list.
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const parsed = configSchema.safeParse(set);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join('.')).join(', ');
    throw new Error(`Invalid function configuration: ${fields}`);
  }
  return parsed.data;
}
