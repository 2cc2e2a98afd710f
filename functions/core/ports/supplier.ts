// Port of the restock side: a wholesale code supplier, idempotent by our reference.
import type { CodeMaterial } from '../model';

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
  /**
   * Nothing was ever sent to the supplier under this reference (our record says so, written before
   * the first call): `placeOrResume` may place without looking its sub-orders up first.
   */
  firstAttempt?: boolean;
}

/**
 * A wholesale code supplier. Both calls are idempotent by `reference`: `placeOrResume` looks each
 * (sub-)order up by reference before placing it (unless it is the reorder's first attempt),
 * `check` never places anything.
 * Errors are `SupplierError` with `retryable` set.
 */
export interface Supplier {
  readonly name: string;
  placeOrResume(request: SupplierOrderRequest): Promise<SupplierFulfilment>;
  check(request: SupplierOrderRequest): Promise<SupplierFulfilment>;
  balance(): Promise<{ amount: number; currency: string }>;
}

/** Each supplier's account balance as recently read (cached), for checking before buying. */
export interface SupplierBalances {
  current(name: string): Promise<{ amount: number; currency: string } | undefined>;
}
