// In-memory VelocityLedger with the DynamoDB adapter's semantics (the ledger contract test runs both).
import type { ChargeResult, VelocityCharge, VelocityLedger } from '#core/ports/velocity';

export class FakeVelocityLedger implements VelocityLedger {
  readonly counters = new Map<string, { codes: number; orders: Set<string> }>();
  charges = 0;

  async charge(charge: VelocityCharge): Promise<ChargeResult> {
    this.charges++;
    if (charge.units > charge.maxCodes) return { result: 'OVER', count: 0 };
    const key = `${charge.identity}|${charge.sku}|${charge.windowStart}`;
    const counter = this.counters.get(key) ?? { codes: 0, orders: new Set<string>() };
    if (counter.orders.has(charge.orderKey)) return { result: 'ALREADY_CHARGED' };
    if (counter.codes + charge.units > charge.maxCodes) return { result: 'OVER', count: counter.codes };
    counter.codes += charge.units;
    counter.orders.add(charge.orderKey);
    this.counters.set(key, counter);
    return { result: 'CHARGED' };
  }
}
