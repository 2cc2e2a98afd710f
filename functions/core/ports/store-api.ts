// Port of the store side after a webhook: ask the platform what an order is now (to re-verify a
// webhook's claim that it is paid) and tell it the order was delivered. Errors are `StoreApiError`.

/** One order line as the platform lists it now, with the ids the webhook mapping uses. */
export interface StoreOrderLine {
  lineId: string;
  productId: string;
  variantId?: string;
  quantity: number;
}

/** An order as the platform's API returns it at the time of the call. */
export interface StoreOrderSnapshot {
  orderId: string;
  /** Decided by the same rule as the platform's webhooks (Salla: status and payment method; Zid: payment_status). */
  paid: boolean;
  /** The platform's payment status word, when it has one (Zid `payment_status`). */
  paymentStatus?: string;
  /** Salla: the payment method (`credit_card`, `mada`, `bank`…), the other half of its paid rule. */
  paymentMethod?: string;
  /** The platform's order status code (Salla `status.slug`, Zid `order_status.code`), lower-case. */
  status?: string;
  lines: StoreOrderLine[];
  total?: { amount: number; currency: string };
}

export interface MarkDeliveredOptions {
  /** Shown on the order's history where the platform supports one (Salla). */
  note?: string;
  /** The status to set instead of the platform's "delivered" one (Salla: a slug or a custom status id; Zid: a status code). */
  statusOverride?: string;
}

/** A store platform's admin API, for one app installed in many stores. */
export interface StoreApi {
  readonly platform: string;
  getOrder(storeId: string, orderId: string): Promise<StoreOrderSnapshot>;
  /** Sets the order's delivered status. `status` is the HTTP status the platform answered (Salla 201, Zid 200). */
  markDelivered(storeId: string, orderId: string, options?: MarkDeliveredOptions): Promise<{ status: number }>;
}
