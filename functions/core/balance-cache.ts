// Supplier balances for the reorder decision, read from the supplier at most once per `ttlSeconds` per
// container: a flash sale makes many decisions, and each must not wait for a balance call.
import type { Clock, CoreLogger } from './ports/runtime';
import type { Supplier, SupplierBalances } from './ports/supplier';
import type { SupplierHealthStore } from './ports/supplier-health';

type Balance = { amount: number; currency: string };

export class BalanceCache implements SupplierBalances {
  private readonly seen = new Map<string, { balance?: Balance; at: number }>();

  constructor(
    private readonly supplier: (name: string) => Promise<Supplier | undefined>,
    private readonly health: SupplierHealthStore,
    private readonly clock: Clock,
    private readonly log: CoreLogger,
    private readonly ttlSeconds: number,
  ) {}

  /** The balance, or undefined when it cannot be read now (then buying goes ahead: the supplier refuses what it cannot fill). */
  async current(name: string): Promise<Balance | undefined> {
    const now = this.clock.now().getTime();
    const cached = this.seen.get(name);
    if (cached && now - cached.at < this.ttlSeconds * 1000) return cached.balance;
    const at = new Date(now).toISOString();
    let balance: Balance | undefined;
    try {
      balance = await (await this.supplier(name))?.balance();
      if (balance) await this.health.recordBalance(name, balance, at);
    } catch (err) {
      const message = (err as Error).message;
      this.log.warn('Supplier balance unreadable', { supplier: name, error: message });
      await this.health.recordError(name, `balance: ${message}`, at).catch(() => undefined);
    }
    this.seen.set(name, { balance, at: now });
    return balance;
  }
}
