// In-memory SupplierHealthStore, with the DynamoDB store's once-per-window alert claim.
import type { SupplierHealth, SupplierHealthStore } from '#core/ports/supplier-health';

export class FakeSupplierHealth implements SupplierHealthStore {
  readonly health = new Map<string, SupplierHealth>();

  private of(supplier: string): SupplierHealth {
    let entry = this.health.get(supplier);
    if (!entry) this.health.set(supplier, (entry = { supplier }));
    return entry;
  }

  async recordBalance(supplier: string, balance: { amount: number; currency: string }, at: string) {
    Object.assign(this.of(supplier), { balance, balanceAt: at });
  }

  async recordError(supplier: string, message: string, at: string) {
    Object.assign(this.of(supplier), { lastError: message, lastErrorAt: at });
  }

  async claimLowBalanceAlert(supplier: string, at: string, quietSince: string) {
    const entry = this.of(supplier);
    if (entry.lowBalanceAlertedAt !== undefined && entry.lowBalanceAlertedAt >= quietSince) return false;
    entry.lowBalanceAlertedAt = at;
    return true;
  }

  async list() {
    return [...this.health.values()].map((entry) => ({ ...entry }));
  }
}
