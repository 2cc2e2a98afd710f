// In-memory LeaseStore: one holder per SKU until its lease expires (wall-clock ms, like the DynamoDB store).
import type { LeaseStore } from '#core/ports/leases';

export class FakeLeases implements LeaseStore {
  readonly holders = new Map<string, { owner: string; expiresAtMs: number }>();
  readonly released: string[] = [];
  async acquire(sku: string, owner: string, ttlMs: number): Promise<boolean> {
    const held = this.holders.get(sku);
    if (held && held.expiresAtMs >= Date.now()) return false;
    this.holders.set(sku, { owner, expiresAtMs: Date.now() + ttlMs });
    return true;
  }
  async release(sku: string, owner: string): Promise<void> {
    if (this.holders.get(sku)?.owner === owner) this.holders.delete(sku);
    this.released.push(sku);
  }
}
