// Persistence port: a short per-SKU lease, so one backorder filler runs per SKU at a time.

export interface LeaseStore {
  /** False when another holder's lease is live. */
  acquire(sku: string, owner: string, ttlMs: number): Promise<boolean>;
  release(sku: string, owner: string): Promise<void>;
}
