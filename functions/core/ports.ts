// Interfaces the core depends on. Adapters in functions/adapters implement them.
import type { CodeMaterial, Contact, Locale, Platform, WebhookIntent } from './model';

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
}

/** A store platform (Salla, Zid): authenticates and interprets its webhooks. */
export interface PlatformAdapter {
  readonly platform: Platform;
  /** The store id from an already JSON-parsed body, before authentication. */
  storeIdOf(body: unknown): string | undefined;
  /** Timing-safe check of the request against the store's secret. */
  verify(request: WebhookRequest, secret: StoreWebhookSecret): boolean;
  /** Decide what the event means. Throws `InvalidPayloadError` when the shape is wrong. */
  interpret(body: unknown): WebhookIntent;
}

export interface WebhookSecretStore {
  /** undefined when the store is not configured. */
  get(platform: Platform, storeId: string): Promise<StoreWebhookSecret | undefined>;
}

export type MessageKind = 'CODE' | 'BACKORDER';

/** A message to the customer, already rendered in their language. */
export interface CustomerMessage {
  to: Contact;
  locale: Locale;
  kind: MessageKind;
  /** Correlation for the channel's records: `<storeId>/<orderId>/<unitId>`. Never the code. */
  ref: string;
  subject: string;
  body: string;
}

/** A way to reach the customer (SMS, WhatsApp, e-mail, the local recorder). */
export interface DeliveryChannel {
  readonly name: string;
  send(message: CustomerMessage): Promise<void>;
}

export interface MerchantAlert {
  type: 'OUT_OF_STOCK' | 'REFUND_AFTER_DELIVERY' | 'SUPPLIER_FAILED';
  sku?: string;
  storeId?: string;
  orderId?: string;
  message: string;
  details?: Record<string, string | number | boolean | undefined>;
}

export interface AlertPublisher {
  publish(alert: MerchantAlert): Promise<void>;
}

/** What a supplier has done with one of our reorders so far. */
export interface SupplierFulfilment {
  status: 'COMPLETED' | 'PENDING' | 'FAILED';
  /** Every code delivered for this reference so far (storing them is idempotent). */
  codes: CodeMaterial[];
  /** Supplier-side order/transaction ids, for the merchant's records. */
  supplierOrderIds: string[];
  failureReason?: string;
}

export interface SupplierOrderRequest {
  /** Our reorder id: the supplier's client reference, so retries never double-buy. */
  reference: string;
  productId: string;
  quantity: number;
  unitPrice?: number;
}

/**
 * A wholesale code supplier. Both calls are idempotent by `reference`: `placeOrResume` looks each
 * (sub-)order up by reference before placing it, `check` never places anything.
 * Errors are `SupplierError` with `retryable` set.
 */
export interface Supplier {
  readonly name: string;
  placeOrResume(request: SupplierOrderRequest): Promise<SupplierFulfilment>;
  check(request: SupplierOrderRequest): Promise<SupplierFulfilment>;
  balance(): Promise<{ amount: number; currency: string }>;
}

export interface Clock {
  now(): Date;
}
