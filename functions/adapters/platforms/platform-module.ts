// A store platform as a module: its webhook adapter, config, per-store secret, the status it must be
// answered when we cannot take an order yet, what the merchant sets up, and its local demo hooks.
// platforms/registry.ts lists them; routes, stack outputs, queue schemas and local wiring derive from it.
import type * as z from 'zod/mini';
import type { AdapterModule, RunningFake } from '#adapters/module-kit';
import type { Locale } from '#core/model';
import type { PlatformAdapter, StoreWebhookSecret } from '#core/ports/platform';

/** A sample delivery exactly as the platform would send it. */
export interface SampleDelivery {
  raw: string;
  headers: Record<string, string>;
  /** Units of the demo product it orders. */
  units?: number;
}

export interface PlatformLocal {
  /** The demo store `npm start` and the tests configure, and the product its sample order buys. */
  readonly demo: { storeId: string; secret: StoreWebhookSecret; productId: string; describe: string };
  /** A paid order for the demo store with a fresh id, signed as the platform signs it. */
  sampleOrder(orderId: string, overrides?: { quantity?: number }): SampleDelivery;
  /** Headers of an authenticated delivery of `raw` for a store whose secret is `secret`. */
  signedHeaders(raw: string, secret: StoreWebhookSecret): Record<string, string>;
  /** Starts a fake of the platform's admin API and OAuth server; `env` points the API clients at it. */
  startFake?(options?: { latencyMs?: number; failureRate?: number }): Promise<RunningFake>;
}

export interface PlatformModule<Config = unknown> extends AdapterModule<Config> {
  /** Shown to merchants: "Salla". */
  readonly title: string;
  /** The per-store webhook secret, Secrets Manager `<WEBHOOK_SECRET_PREFIX><name>/<storeId>`. */
  readonly webhookSecret: { readonly schema: z.ZodMiniType<StoreWebhookSecret>; readonly example: string };
  create(config: Config, shared: { defaultLocale: Locale }): PlatformAdapter;
  /**
   * What to answer when the order cannot be taken yet (queue or a dependency down): a status the
   * platform retries on and does not count against the webhook.
   */
  readonly retryLaterStatus: 429 | 503;
  /** Where the merchant pastes the webhook URL, the events to subscribe, and what the platform calls a store id. */
  readonly setup: { readonly webhookUrlHelp: string; readonly events: readonly string[]; readonly storeIdLabel: string };
  /** Never bundled into a function (lib/bundling.ts keeps `./local` external). */
  readonly local?: () => Promise<PlatformLocal>;
}

/** Typed identity keeping the literal name: checks a module object against the contract where it is written. */
export const definePlatform = <const Name extends string, Config>(module: PlatformModule<Config> & { readonly name: Name }) => module;
