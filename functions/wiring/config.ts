// Environment contract shared by the Lambda functions, parsed once at cold start; CDK and local/ set it.
// Each adapter module (platform, supplier, channel) has its own config, parsed when it is used
// (adapters/module-kit.ts), so a function never loads or validates the modules it does not use.
// zod/mini (functional API): tree-shakes to the few validators used here; the classic `zod` API does not.
import * as z from 'zod/mini';
import { DEFAULT_ORDER_LIMITS, ORDER_LIMIT_CEILING } from '#core/limits';

/** A whole number from an env string, with optional bounds and a default. */
const int = (fallback: number, ...checks: z.core.$ZodCheck<number>[]) =>
  z._default(z.coerce.number().check(z.int(), ...checks), fallback);

const required = () => z.string().check(z.minLength(1));

export const configSchema = z.object({
  TABLE_NAME: required(),
  ORDERS_QUEUE_URL: required(),
  /** Delayed messages that make the restock function look at a pending supplier order again. */
  REORDER_POLL_QUEUE_URL: required(),
  ALERTS_TOPIC_ARN: required(),
  /** Secrets Manager name prefix of per-store webhook secrets: `<prefix><platform>/<storeId>`. */
  WEBHOOK_SECRET_PREFIX: z._default(z.string(), 'streamsync/webhook/'),
  /**
   * Secrets Manager prefix of app-wide webhook secrets, `<prefix><platform>`: a Salla app signs every
   * store's webhooks (the install event included) with one secret. A store's own secret wins.
   */
  WEBHOOK_APP_SECRET_PREFIX: z._default(z.string(), 'streamsync/webhook-app/'),
  /**
   * Secret lookups for store ids a webhook container never found: this many at once, then one per
   * WEBHOOK_STORE_LOOKUP_INTERVAL_MS; over it the platform is told to retry later. A miss is remembered
   * for a minute. Bounds what random store ids in forged webhooks cost (docs/security.md).
   */
  WEBHOOK_STORE_LOOKUP_BURST: int(20, z.minimum(1), z.maximum(100_000)),
  WEBHOOK_STORE_LOOKUP_INTERVAL_MS: int(5000, z.minimum(1), z.maximum(3_600_000)),
  /**
   * Secrets Manager name of the 32-byte base64 key of the codes' HMAC ids (the id that makes a code
   * value unique). It decrypts nothing: every function that adds codes holds it.
   */
  CODE_ID_KEY_SECRET_NAME: z._default(z.string(), 'streamsync/code-id-key'),
  /**
   * The KMS keys that wrap the codes' data keys, by version: `<version>=<key ARN or alias>`, comma-separated
   * (`1=alias/streamsync-codes-v1,2=arn:aws:kms:…`). A sealed code names its version; `local` (the local
   * pipeline) wraps with a key from the local secrets instead of KMS.
   */
  CODE_KEYS: z._default(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,16}=[^,=\s]+(,[A-Za-z0-9_-]{1,16}=[^,=\s]+)*$/)), '1=alias/streamsync-codes-v1'),
  /** The version of CODE_KEYS new codes are sealed under; the others stay readable (docs/security.md, rotation). */
  CODE_KEY_VERSION: z._default(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,16}$/)), '1'),
  /** Secrets Manager name of the single key codes were sealed with before envelope encryption, if the table holds such codes. */
  LEGACY_CODE_KEY_SECRET_NAME: z.optional(z.string()),
  /** Secrets Manager prefix of supplier credentials: `<prefix><supplier>`. */
  SUPPLIER_SECRET_PREFIX: z._default(z.string(), 'streamsync/supplier/'),
  /**
   * The channel modules deployed (adapters/channels/registry.ts), comma-separated in the order a store
   * without its own chain tries them, e.g. `whatsapp,sms,email`: `sms` on AWS, `recorder` locally.
   */
  CHANNEL: z._default(z.string().check(z.regex(/^[a-z][a-z0-9-]*(,[a-z][a-z0-9-]*)*$/)), 'sms'),
  /**
   * Channels that send a one-time reveal link instead of the code, unless a store says otherwise (needs
   * REVEAL_BASE_URL); `none`: every channel sends the code itself.
   */
  REVEAL_LINK_CHANNELS: z._default(z.string().check(z.regex(/^(none|[a-z][a-z0-9-]*(,[a-z][a-z0-9-]*)*)$/)), 'whatsapp,email'),
  /** A store's own channel settings are read at most this often per container. */
  STORE_SETTINGS_CACHE_SECONDS: int(60, z.minimum(0), z.maximum(3600)),
  /** The webhook keeps a product's mapping this long per container (mappings found only; 0: read every order). */
  PRODUCT_MAP_CACHE_SECONDS: int(30, z.minimum(0), z.maximum(3600)),
  AVAILABLE_SHARDS: int(8, z.minimum(1), z.maximum(64)),
  /** Larger bodies get 413 unread. Above SQS's 256 KiB on purpose: a big paid order is held and told, not refused. */
  MAX_WEBHOOK_BYTES: int(1_048_576, z.positive(), z.maximum(6_000_000)),
  /**
   * Velocity limit for SKUs without their own (`sku set --velocity`): codes of one SKU one customer
   * (phone or e-mail) may get per window; over it the order is held for the merchant. 0 turns it off.
   */
  VELOCITY_MAX_CODES: int(20, z.minimum(0), z.maximum(100)),
  VELOCITY_WINDOW_HOURS: int(24, z.minimum(1), z.maximum(720)),
  /** How long an identical webhook delivery is recognised and answered 200 without enqueueing again. */
  DEDUPE_WINDOW_SECONDS: int(86_400, z.positive()),
  DEFAULT_LOCALE: z._default(z.enum(['ar', 'en']), 'ar'),
  REORDER_LEASE_SECONDS: int(120, z.positive()),
  REORDER_POLL_DELAY_SECONDS: int(60, z.minimum(0), z.maximum(900)),
  /** After a fatal supplier error (no balance, product gone) reordering of that SKU pauses this long. */
  REORDER_FAILURE_BACKOFF_SECONDS: int(900, z.minimum(0)),
  /** Pause after a completed reorder (a lagging index must not make its codes look missing); a decision runs when it ends. */
  REORDER_COOLDOWN_SECONDS: int(2, z.minimum(0), z.maximum(900)),
  /** `demand` sizes reorders by what waits; `fixed` is the old rule (reorderQuantity, one at a time), the benchmark's baseline. */
  REORDER_SIZING: z._default(z.enum(['demand', 'fixed']), 'demand'),
  /** Most units on order at once for a SKU that sets no maxReorderQuantity of its own. */
  REORDER_MAX_QUANTITY: int(500, z.positive(), z.maximum(100_000)),
  /** LOW_BALANCE when a supplier's balance after a purchase pays for fewer than this many of the SKU's reorders. */
  LOW_BALANCE_REORDERS: int(3, z.minimum(0), z.maximum(1000)),
  /** A supplier balance is read at most this often per container. */
  SUPPLIER_BALANCE_CACHE_SECONDS: int(30, z.minimum(0), z.maximum(3600)),
  REORDER_MAX_AGE_SECONDS: int(3600, z.positive()),
  /** After a reorder is given up, its supplier order is still looked up for late cards this long, this often. */
  LATE_CHECK_WINDOW_SECONDS: int(86_400, z.positive()),
  LATE_CHECK_INTERVAL_SECONDS: int(900, z.minimum(0), z.maximum(900)),
  /** A sender's hold on one unit: longer than a send can take, shorter than the orders queue's visibility timeout. */
  SEND_LEASE_SECONDS: int(60, z.positive(), z.maximum(900)),
  /** Units delivered per invocation; a larger order continues in a follow-up message, far from the Lambda timeout. */
  DELIVERY_UNITS_PER_INVOCATION: int(100, z.positive(), z.maximum(1000)),
  /** Tries of a transiently failing channel within one invocation, the first retry after CHANNEL_RETRY_DELAY_MS. */
  CHANNEL_ATTEMPTS: int(3, z.positive(), z.maximum(10)),
  CHANNEL_RETRY_DELAY_MS: int(250, z.minimum(0), z.maximum(10_000)),
  /** `classic` keeps the delivery path before its requests were cut (the benchmark's baseline). */
  DELIVERY_PATH: z._default(z.enum(['lean', 'classic']), 'lean'),
  /** A failed order message is retried after this many seconds, doubling per receive (the queue's backoff). */
  RETRY_BASE_SECONDS: int(10, z.minimum(0), z.maximum(900)),
  /** Order limits checked at the webhook (core/limits.ts): a paid order over them is held, not enqueued. */
  MAX_UNITS_PER_LINE: int(DEFAULT_ORDER_LIMITS.maxUnitsPerLine, z.positive(), z.maximum(ORDER_LIMIT_CEILING.maxUnitsPerLine)),
  MAX_LINES_PER_ORDER: int(DEFAULT_ORDER_LIMITS.maxLinesPerOrder, z.positive(), z.maximum(ORDER_LIMIT_CEILING.maxLinesPerOrder)),
  MAX_UNITS_PER_ORDER: int(DEFAULT_ORDER_LIMITS.maxUnitsPerOrder, z.positive(), z.maximum(ORDER_LIMIT_CEILING.maxUnitsPerOrder)),
  /**
   * Origin of the reveal route (`GET /c/{token}`: the HTTP API's URL) that one-time links point at.
   * Unset: links cannot be issued, and messages carry the code itself.
   */
  REVEAL_BASE_URL: z.optional(z.url({ protocol: /^https?$/ })),
  /** How long a reveal link opens after it was sent (30 days); the customer sees the code once within it. */
  REVEAL_LINK_TTL_HOURS: int(720, z.positive(), z.maximum(24 * 365)),
  /** Local only: secrets come from this JSON instead of Secrets Manager ({ "<name>": "<value>" }). */
  LOCAL_SECRETS_JSON: z.optional(z.string()),
  /** Delivered orders for the write-back function (telling the store); unset: nothing is written back. */
  WRITE_BACK_QUEUE_URL: z.optional(z.string().check(z.minLength(1))),
  /** Secrets Manager prefix of each store's platform API tokens: `<prefix><platform>/<storeId>`. */
  STORE_TOKEN_SECRET_PREFIX: z._default(z.string(), 'streamsync/store-tokens/'),
  /** Secrets Manager prefix of each platform app's OAuth client: `<prefix><platform>` = `{"clientId","clientSecret"}`. */
  PLATFORM_APP_SECRET_PREFIX: z._default(z.string(), 'streamsync/platform-app/'),
  /** Retryable write-back failures (5xx, timeouts) before it is given up and the merchant alerted. */
  WRITE_BACK_MAX_ATTEMPTS: int(8, z.positive(), z.maximum(50)),
  /** First write-back retry after this many seconds, doubling each time (at most 15 minutes). */
  WRITE_BACK_RETRY_BASE_SECONDS: int(30, z.minimum(1), z.maximum(900)),
  /** Share of a store's API budget the write-back may use, in percent (burst and rate): the rest is for payment checks and other apps. */
  WRITE_BACK_BURST_PERCENT: int(50, z.positive(), z.maximum(100)),
  WRITE_BACK_RATE_PERCENT: int(80, z.positive(), z.maximum(100)),
  /**
   * Orders with a line whose SKU price (the merchant's `unitPrice`; none counts as dear) is at least
   * this are re-read from the store's API before a code leaves; a store's `verifyPaymentAbove`
   * overrides it. Not 0 by default: Salla's entry plan leaks 1 request a second, far below a flash
   * sale's order rate.
   */
  VERIFY_PAYMENT_ABOVE: z._default(z.coerce.number().check(z.nonnegative()), 500),
});

export type Config = z.infer<typeof configSchema>;

/** Parses `env` with `schema`; errors name the fields, never their values. */
export function parseEnv<S extends z.ZodMiniType>(schema: S, env: NodeJS.ProcessEnv, what: string): z.output<S> {
  // An empty variable means "not set": the default applies, never 0 or an empty list.
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const parsed = z.safeParse(schema, set);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join('.')).join(', ');
    throw new Error(`Invalid ${what}: ${fields}`);
  }
  return parsed.data;
}

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): Config => parseEnv(configSchema, env, 'function configuration');

export const orderLimitsOf = (config: Pick<Config, 'MAX_UNITS_PER_LINE' | 'MAX_LINES_PER_ORDER' | 'MAX_UNITS_PER_ORDER'>) => ({
  maxUnitsPerLine: config.MAX_UNITS_PER_LINE,
  maxLinesPerOrder: config.MAX_LINES_PER_ORDER,
  maxUnitsPerOrder: config.MAX_UNITS_PER_ORDER,
});
