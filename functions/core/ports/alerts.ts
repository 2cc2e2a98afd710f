// Port of the merchant side: business alerts (stock-outs, failed reorders, refunds after delivery).

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
