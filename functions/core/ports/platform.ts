// Port of the webhook side: a store platform authenticates and interprets its webhooks.
import type { WebhookIntent } from '../model';

/** Raw HTTP request as the webhook saw it. Header names are lower-case. */
export interface WebhookRequest {
  headers: Record<string, string | undefined>;
  rawBody: Buffer;
}

/** Credentials a store configured for its webhook. Salla: `secret`; Zid: `username` + `password`. */
export interface StoreWebhookSecret {
  secret?: string;
  username?: string;
  password?: string;
  /**
   * How this store's webhooks authenticate, where its platform offers several (Salla: `signature`, the
   * default, or `token`). Configuration, never read from the request.
   */
  strategy?: string;
}

/** A store platform (Salla, Zid): authenticates and interprets its webhooks. */
export interface PlatformAdapter {
  readonly platform: string;
  /** The store id from an already JSON-parsed body, before authentication. */
  storeIdOf(body: unknown): string | undefined;
  /** Timing-safe check of the request against the store's secret. */
  verify(request: WebhookRequest, secret: StoreWebhookSecret): boolean;
  /**
   * True when `request` passes by a signature over its own body, not by a credential any captured
   * request carries (a token, Basic Auth). Installs (tokens) are only taken that way. Absent: never.
   */
  verifySignedBody?(request: WebhookRequest, secret: StoreWebhookSecret): boolean;
  /** Decide what the event means. Throws `InvalidPayloadError` when the shape is wrong. */
  interpret(body: unknown): WebhookIntent;
}

export interface WebhookSecretStore {
  /** undefined when the store is not configured. */
  get(platform: string, storeId: string): Promise<StoreWebhookSecret | undefined>;
}
