// Port of the merchant side: business alerts (stock-outs, held orders, failed or stuck reorders, refunds after delivery).

export type AlertType =
  | 'OUT_OF_STOCK'
  | 'REFUND_AFTER_DELIVERY'
  | 'SUPPLIER_FAILED'
  /** A reorder the supplier never finished within its maximum age: given up, the SKU may reorder. */
  | 'SUPPLIER_STUCK'
  /** A reorder finished with fewer new codes than were paid for (delivered short, or codes already in stock). */
  | 'SUPPLIER_SHORT'
  /** A supplier failed for a SKU that lists another: its reorders go to the next supplier meanwhile. */
  | 'SUPPLIER_FAILOVER'
  /** A supplier's balance pays for few more reorders, or not for the one the SKU needs now. */
  | 'LOW_BALANCE'
  /** The demand is above the SKU's reorder budget: the rest waits until reorders in flight land. */
  | 'REORDER_CAPPED'
  /** A paid order waits for the merchant (over a limit, no way to reach the customer). */
  | 'ORDER_HELD'
  /** A unit waits for the merchant with its code reserved (the channel refused it, or kept failing). */
  | 'UNIT_HELD'
  /** A delivered order the store could not be told about (its status there is unchanged). */
  | 'WRITE_BACK_FAILED';

export interface MerchantAlert {
  type: AlertType;
  sku?: string;
  storeId?: string;
  orderId?: string;
  message: string;
  details?: Record<string, string | number | boolean | undefined>;
}

export interface AlertPublisher {
  publish(alert: MerchantAlert): Promise<void>;
}
