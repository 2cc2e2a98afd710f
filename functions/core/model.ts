// Domain vocabulary shared by every layer. Plain types only: no AWS, no Lambda, no HTTP.
import type { IssuedStoreTokens } from './ports/store-tokens';

/** A store platform's module name (`salla`, `zid`): the adapters' registry says which exist. */
export type Platform = string;
export type Locale = 'ar' | 'en';

/** How to reach the customer. Phone in E.164 (+9665...), any field may be missing. */
export interface Contact {
  name?: string;
  phone?: string;
  email?: string;
  /** The order carried a phone number that is not a plausible mobile number (it was dropped, not guessed at). */
  invalidPhone?: boolean;
}

/** Unit ids are `<lineId>#<n>`, n counting from 1 within the line: stable across retries of the order. */
export const unitId = (lineId: string, n: number) => `${lineId}#${n}`;

/** One order line after product mapping: `quantity` units of `sku` (already multiplied). */
export interface OrderLine {
  /** The platform's line/item id, stable across webhook retries. */
  lineId: string;
  productId: string;
  sku: string;
  quantity: number;
  name?: string;
  /** The variant bought, when the platform has variants. */
  variantId?: string;
  /** Units the customer ordered on the platform (before the mapping's multiplier): what the store's own order says. */
  ordered?: number;
  /** The price of one ordered unit before tax, in the order's currency, when the platform says. */
  unitPrice?: number;
}

/** A paid order as the platform adapter understood it, before product mapping. */
export interface PlatformOrder {
  platform: Platform;
  storeId: string;
  orderId: string;
  /** Human-facing reference shown to the customer (Salla reference_id, Zid code). */
  reference?: string;
  locale: Locale;
  customer: Contact;
  lines: Array<{ lineId: string; productId: string; variantId?: string; sku?: string; quantity: number; name?: string; unitPrice?: number }>;
}

/** What a webhook asks us to do, decided by the platform adapter. */
export type WebhookIntent =
  | { type: 'PAID_ORDER'; order: PlatformOrder }
  | { type: 'CANCEL'; platform: Platform; storeId: string; orderId: string; reason: 'cancelled' | 'refunded' | 'voided' }
  /** The app was installed in a store (Salla Easy Mode `app.store.authorize`): its API tokens, to store. */
  | { type: 'AUTHORIZE'; platform: Platform; storeId: string; tokens: IssuedStoreTokens }
  | { type: 'IGNORE'; reason: string };

/** Messages on the orders queue. They never carry code values. */
export type OrderMessage =
  | {
      kind: 'ORDER';
      platform: Platform;
      storeId: string;
      orderId: string;
      reference?: string;
      locale: Locale;
      customer: Contact;
      lines: OrderLine[];
      /** When the paid webhook reached us (ISO 8601): the FIFO position of its backorders. */
      receivedAt: string;
      /**
       * A continuation: the units before this one (counted over the lines in order) were handled by an
       * earlier message. A large order is delivered a chunk per invocation, far from the Lambda timeout.
       */
      skipUnits?: number;
    }
  | { kind: 'CANCEL'; platform: Platform; storeId: string; orderId: string; reason: 'cancelled' | 'refunded' | 'voided'; receivedAt: string }
  /** Sent by the backorder filler (units were reserved for this order) or the CLI (held units released): deliver them. */
  | { kind: 'RESUME'; storeId: string; orderId: string }
  /** A channel provider's later word on a message it accepted (WhatsApp status callbacks), for one unit. */
  | {
      kind: 'CHANNEL_STATUS';
      storeId: string;
      orderId: string;
      unitId: string;
      channel: string;
      providerMessageId: string;
      status: 'sent' | 'delivered' | 'read' | 'failed';
      at: string;
      errorCode?: string;
    }
  /** A paid order the webhook would not take as it is (over a limit): stored HELD for the merchant, never delivered as is. */
  | {
      kind: 'HOLD';
      platform: Platform;
      storeId: string;
      orderId: string;
      reference?: string;
      locale: Locale;
      customer: Contact;
      reason: OrderHoldReason;
      /** In words, for the merchant: which limit, by how much. */
      detail: string;
      /** The mapped lines, as many as fit in one message (the rest are counted in `linesOmitted`). */
      lines: OrderLine[];
      linesOmitted: number;
      receivedAt: string;
    };

/**
 * Why a whole order waits for the merchant: over a limit (webhook), or no way to reach the customer
 * (delivery). PAYMENT_MISMATCH: the store says the order is not paid or not these lines; PAYMENT_UNVERIFIED: the store
 * could not be asked in time; VELOCITY_LIMIT: the customer would get more codes of a SKU than its limit allows.
 */
export type OrderHoldReason = 'OVER_LIMIT' | 'NO_CONTACT' | 'PAYMENT_MISMATCH' | 'PAYMENT_UNVERIFIED' | 'VELOCITY_LIMIT';

/**
 * Why one unit waits for the merchant, its code reserved to it: the channel refused it for good, or kept
 * failing; or its stored code does not open at its own item (moved there from another item, or tampered).
 */
export type UnitHoldReason = 'CHANNEL_REJECTED' | 'CHANNEL_UNAVAILABLE' | 'CODE_UNREADABLE';

/** Bounds of one order, checked at the webhook: a paid order over them is held, never enqueued as is. */
export interface OrderLimits {
  maxUnitsPerLine: number;
  maxLinesPerOrder: number;
  maxUnitsPerOrder: number;
}

export const CODE_STATUSES = ['AVAILABLE', 'RESERVED', 'DELIVERED', 'REVOKED'] as const;
export type CodeStatus = (typeof CODE_STATUSES)[number];
export type UnitState = 'RESERVED' | 'BACKORDERED' | 'DELIVERED' | 'CANCELLED' | 'HELD';
export type CodeFormat = 'text' | 'image' | 'url';

/** A code as a supplier or an import hands it over. The only type that holds a secret value. */
export interface CodeMaterial {
  code: string;
  pin?: string;
  serial?: string;
  /** ISO 8601 date or date-time. */
  expiresAt?: string;
  format?: CodeFormat;
}

/** Per-SKU inventory settings. */
export interface SkuConfig {
  sku: string;
  name?: string;
  threshold: number;
  reorderQuantity: number;
  /** Supplier adapter name, e.g. "reloadly"; absent = manual restock only. The first choice of `supplierOffers`. */
  supplier?: string;
  supplierProductId?: string;
  unitPrice?: number;
  /** Suppliers to fail over to, in priority order, after `supplier`. */
  alternates?: SupplierOffer[];
  /** Most units in reorders at once (the merchant's budget): a runaway backlog cannot empty the supplier balance. */
  maxReorderQuantity?: number;
  /** Ask the store whether an order is paid before a code of this SKU leaves: always, never, or (unset) by the store's price threshold. */
  verifyPayment?: 'always' | 'never';
  /** What one code sells for (the merchant's figure, for the payment check's threshold); else `unitPrice`. */
  value?: number;
  /** Codes of this SKU one customer may get per window; `{ maxCodes: 0 }` exempts the SKU. Unset: the deployment's default. */
  velocity?: VelocityLimit;
}

/** At most `maxCodes` codes of one SKU per customer (phone, e-mail) in a window of `windowHours`. */
export interface VelocityLimit {
  maxCodes: number;
  windowHours: number;
}

/** One supplier's offer for a SKU: where to buy it, as what, at what unit price (in the supplier's currency). */
export interface SupplierOffer {
  supplier: string;
  productId: string;
  unitPrice?: number;
}

/** The SKU's suppliers in priority order: `supplier` first, then the alternates. */
export function supplierOffers(config: SkuConfig): SupplierOffer[] {
  const first = config.supplier && config.supplierProductId ? [{ supplier: config.supplier, productId: config.supplierProductId, unitPrice: config.unitPrice }] : [];
  return [...first, ...(config.alternates ?? [])];
}

/** A store's own delivery choices (`stores set`); what it leaves out, the deployment's defaults decide. */
export interface StoreSettings {
  storeId: string;
  /** Channel names in the order they are tried, e.g. whatsapp, sms, email. */
  channels?: string[];
  /** The channels of the chain that send a one-time reveal link instead of the code. */
  linkChannels?: string[];
  /** Tell the store when an order is delivered (on unless `off`). */
  writeBack?: 'on' | 'off';
  /** The status a delivered order is set to instead of the platform's own (Salla: a slug or custom status id; Zid: a status code). */
  writeBackStatus?: string;
  /** The store's API plan, when it is not the platform's default: requests in a burst, and per second after it. */
  apiBurst?: number;
  apiPerSecond?: number;
  /**
   * Re-read an order from the store's API before a code leaves when one of its lines costs at least
   * this much (the order's currency); 0 checks every order. Unset: the deployment's default.
   */
  verifyPaymentAbove?: number;
}

/** Maps a platform product (and variant) to a SKU. */
export interface ProductMapping {
  storeId: string;
  /** The platform's product id, or with `variant` a variant's id (Salla `product_sku_id`). */
  productId: string;
  /** A variant mapping: its own key space, so a variant id equal to some product id maps nothing of that product. */
  variant?: boolean;
  sku: string;
  /** Codes per unit ordered (a "3-pack" product maps to multiplier 3). */
  multiplier: number;
}
