// A store platform as a module: its webhook adapter, config, per-store secret, the status it must be
// answered when we cannot take an order yet, what the merchant sets up, and its local demo hooks.
// platforms/registry.ts lists them; routes, stack outputs, queue schemas and local wiring derive from it.
import type * as z from 'zod/mini';
import type { AdapterModule, RunningFake } from '#adapters/module-kit';
import type { Locale } from '#core/model';
import type { PlatformAdapter, StoreWebhookSecret } from '#core/ports/platform';
import type { StoreApi } from '#core/ports/store-api';
import type { IssuedStoreTokens, StoreTokenVault, TokenLock } from '#core/ports/store-tokens';
import type { RateBudget } from '#core/ports/write-back';

/** What a platform's API client needs to get a store's token: the stored tokens, the refresh lock, the app's credentials. */
export interface StoreApiServices {
  vault: StoreTokenVault;
  lock: TokenLock;
  /** The app's OAuth client (secret `<PLATFORM_APP_SECRET_PREFIX><platform>`, `{"clientId","clientSecret"}`): refreshes need it. */
  appCredentials(): Promise<{ clientId: string; clientSecret: string } | undefined>;
  /** Who refreshes, for the lock (the container's id). */
  owner: string;
}

/** The platform's admin API: write-back and payment checks use it, with the store's own tokens. */
export interface PlatformStoreApi<Config> {
  create(config: Config, services: StoreApiServices): StoreApi;
  /** The documented per-store limit of the platform's entry plan: a bucket of `burst`, leaking `perSecond`. */
  readonly budget: RateBudget;
}

/** A sample delivery exactly as the platform would send it. */
export interface SampleDelivery {
  raw: string;
  headers: Record<string, string>;
  /** Units of the demo product it orders. */
  units?: number;
}

/** A paid order as the store holds it, for the store fake: the ids the webhook carried. */
export interface StoreFakeOrder {
  orderId: string;
  lines: Array<{ lineId: string; productId: string; variantId?: string; quantity: number; unitPrice?: number }>;
}

/** The platform's API fake with what the local pipeline needs of it. */
export interface RunningStoreFake extends RunningFake {
  /** The app's OAuth client the fake's token endpoint accepts. */
  readonly client: { clientId: string; clientSecret: string };
  /** Installs the app in a store: the tokens it would hand over, as stored. */
  install(storeId: string): IssuedStoreTokens;
  /** Records a paid order in the store, as it is when its webhook is sent. */
  placeOrder(storeId: string, order: StoreFakeOrder): void;
  /** The order's status code in the store (Salla slug, Zid code), or undefined when the store has no such order. */
  statusOf(storeId: string, orderId: string): string | undefined;
  /** Status changes as the store received them (time, store, order, status). */
  statusChanges(): Array<{ at: number; storeId: string; orderId: string; status: string }>;
  stats(): { rateLimited: number; requests: Record<string, number>; refreshes?: number; invalidGrants?: number };
  setOptions(partial: Record<string, unknown>): void;
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
  /** The same fake behind the contract the local pipeline uses (installs, orders, statuses). */
  startStoreFake?(options?: Record<string, unknown>): Promise<RunningStoreFake>;
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
  /** Its admin API (orders read, status change) with OAuth tokens per store. */
  readonly storeApi?: PlatformStoreApi<Config>;
  /** Never bundled into a function (lib/bundling.ts keeps `./local` external). */
  readonly local?: () => Promise<PlatformLocal>;
}

/** Typed identity keeping the literal name: checks a module object against the contract where it is written. */
export const definePlatform = <const Name extends string, Config>(module: PlatformModule<Config> & { readonly name: Name }) => module;
