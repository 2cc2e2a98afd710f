// In-memory LeaseStore: one holder per SKU, no expiry (tests release explicitly).
import type { LeaseStore } from '#core/ports/leases';

export class FakeLeases implements LeaseStore {
  readonly holders = new Map<string, string>();
  readonly released: string[] = [];
  async acquire(sku: string, owner: string): Promise<boolean> {
    if (this.holders.has(sku)) return false;
    this.holders.set(sku, owner);
    return true;
  }
  async release(sku: string, owner: string): Promise<void> {
    if (this.holders.get(sku) === owner) this.holders.delete(sku);
    this.released.push(sku);
  }
}
