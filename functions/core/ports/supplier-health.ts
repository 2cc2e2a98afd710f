// Persistence port: what StreamSync last saw of each supplier (balance, last error), and the low-balance
// alert's once-per-window claim. `suppliers` in the CLI reads it.

export interface SupplierHealth {
  supplier: string;
  balance?: { amount: number; currency: string };
  balanceAt?: string;
  lastError?: string;
  lastErrorAt?: string;
  lowBalanceAlertedAt?: string;
}

export interface SupplierHealthStore {
  recordBalance(supplier: string, balance: { amount: number; currency: string }, at: string): Promise<void>;
  /** `message` names what failed, never a credential. */
  recordError(supplier: string, message: string, at: string): Promise<void>;
  /** True for the one caller that may send the low-balance alert now: nobody did since `quietSince`. */
  claimLowBalanceAlert(supplier: string, at: string, quietSince: string): Promise<boolean>;
  list(): Promise<SupplierHealth[]>;
}
