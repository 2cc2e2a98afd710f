// What every supplier adapter owes the restock core, written once and run against each supplier's
// own fake (contract.test.ts). Only knobs every fake has are used: the common ones of
// supplier-module.ts, plus a committed POST whose answer is lost.
import { SupplierError } from '#core/errors';
import type { Supplier, SupplierFulfilment, SupplierOrderRequest } from '#core/ports/supplier';
import type { CommonFakeKnobs } from '#adapters/suppliers/supplier-module';

export type ContractKnobs = CommonFakeKnobs & { failNextPostAfterCommit?: 'http500' | 'reset' };

export interface ContractSubject {
  supplier: Supplier;
  /** A product the fake sells, at a unit price it accepts. */
  product: { productId: string; unitPrice: number };
  /** Orders the fake has committed (charged) so far, all references together. */
  purchases(): number;
  stop(): Promise<void>;
}

/** A supplier wired to a freshly started fake with these knobs. */
export type ContractSetup = (knobs: ContractKnobs) => Promise<ContractSubject>;

/** More than any supplier's per-order limit (Reloadly 10, EZ PIN 5), so every run splits. */
const QUANTITY = 12;

const distinct = (result: SupplierFulfilment) => new Set(result.codes.map((c) => `${c.code}|${c.pin ?? ''}`)).size;

export function describeSupplierContract(title: string, setup: ContractSetup): void {
  describe(`supplier contract: ${title}`, () => {
    let subject: ContractSubject | undefined;
    const open = async (knobs: ContractKnobs = {}) => (subject = await setup({ latencyMs: 0, partialFulfilment: false, ...knobs }));
    const request = (s: ContractSubject, reference: string, quantity = QUANTITY): SupplierOrderRequest => ({
      reference: `contract-${reference}`,
      productId: s.product.productId,
      quantity,
      unitPrice: s.product.unitPrice,
    });

    afterEach(async () => {
      await subject?.stop();
      subject = undefined;
    });

    it('delivers one distinct, non-empty code per unit, COMPLETED with the supplier order ids', async () => {
      const s = await open();
      const result = await s.supplier.placeOrResume(request(s, 'complete'));
      expect(result.status).toBe('COMPLETED');
      expect(result.codes).toHaveLength(QUANTITY);
      expect(distinct(result)).toBe(QUANTITY);
      for (const code of result.codes) expect(code.code.trim()).not.toBe('');
      expect(result.supplierOrderIds.length).toBeGreaterThan(1);
    });

    it('placeOrResume is idempotent by reference: the same request again buys nothing and returns the same codes', async () => {
      const s = await open();
      const first = await s.supplier.placeOrResume(request(s, 'twice'));
      const bought = s.purchases();
      const second = await s.supplier.placeOrResume(request(s, 'twice'));
      expect(s.purchases()).toBe(bought);
      expect(second).toEqual(first);
      await s.supplier.placeOrResume(request(s, 'another', 1));
      expect(s.purchases()).toBe(bought + 1);
    });

    it('check never places: a reference the supplier has not seen is PENDING with nothing bought', async () => {
      const s = await open();
      await expect(s.supplier.check(request(s, 'unseen'))).resolves.toEqual({ status: 'PENDING', codes: [], supplierOrderIds: [] });
      expect(s.purchases()).toBe(0);
    });

    it('check after a purchase reports the same fulfilment and buys nothing', async () => {
      const s = await open();
      const placed = await s.supplier.placeOrResume(request(s, 'checked'));
      const bought = s.purchases();
      await expect(s.supplier.check(request(s, 'checked'))).resolves.toEqual(placed);
      expect(s.purchases()).toBe(bought);
    });

    it('returns the codes complete once a pending order is fulfilled, never buying more while polling', async () => {
      const s = await open({ partialFulfilment: { afterReads: 2 } });
      const first = await s.supplier.placeOrResume(request(s, 'pending'));
      expect(first.status).toBe('PENDING');
      const bought = s.purchases();
      const seen: SupplierFulfilment[] = [first];
      for (let poll = 0; poll < 10 && seen.at(-1)!.status === 'PENDING'; poll += 1) seen.push(await s.supplier.check(request(s, 'pending')));
      const done = seen.at(-1)!;
      expect(done.status).toBe('COMPLETED');
      expect(done.codes).toHaveLength(QUANTITY);
      expect(distinct(done)).toBe(QUANTITY);
      for (const partial of seen) expect(done.codes).toEqual(expect.arrayContaining(partial.codes));
      expect(s.purchases()).toBe(bought);
    });

    it.each(['http500', 'reset'] as const)('a committed POST whose answer is lost (%s) is found by reference, not bought again', async (mode) => {
      const s = await open({ failNextPostAfterCommit: mode });
      const result = await s.supplier.placeOrResume(request(s, `lost-${mode}`, 1)).catch((err: unknown) => err);
      if (result instanceof Error) expect(result).toMatchObject({ retryable: true });
      const settled = await s.supplier.placeOrResume(request(s, `lost-${mode}`, 1));
      expect(settled.status).toBe('COMPLETED');
      expect(settled.codes).toHaveLength(1);
      expect(s.purchases()).toBe(1);
    });

    it('a supplier that keeps failing is a retryable SupplierError, and nothing is bought', async () => {
      const s = await open({ failureRate: 1 });
      const attempt = s.supplier.placeOrResume(request(s, 'down'));
      await expect(attempt).rejects.toBeInstanceOf(SupplierError);
      await expect(attempt).rejects.toMatchObject({ retryable: true });
      expect(s.purchases()).toBe(0);
    });

    it('a stock-out is a fatal PRODUCT_UNAVAILABLE, an empty account a fatal INSUFFICIENT_BALANCE', async () => {
      const probe = await open();
      await probe.stop();
      let s = await open({ stock: { [probe.product.productId]: 1 } });
      await expect(s.supplier.placeOrResume(request(s, 'oos', 2))).rejects.toMatchObject({ kind: 'PRODUCT_UNAVAILABLE', retryable: false });
      await s.stop();
      s = await open({ balance: 0 });
      await expect(s.supplier.placeOrResume(request(s, 'poor', 1))).rejects.toMatchObject({ kind: 'INSUFFICIENT_BALANCE', retryable: false });
      expect(s.purchases()).toBe(0);
    });

    it('balance is readable and drops by what was bought', async () => {
      const s = await open({ balance: 10_000 });
      const before = await s.supplier.balance();
      expect(before).toEqual({ amount: 10_000, currency: expect.stringMatching(/^[A-Z]{3}$/) });
      await s.supplier.placeOrResume(request(s, 'spend', 3));
      await expect(s.supplier.balance()).resolves.toEqual({ amount: 10_000 - 3 * s.product.unitPrice, currency: before.currency });
    });

    it('an error after a purchase never carries a code value', async () => {
      const s = await open();
      const bought = await s.supplier.placeOrResume(request(s, 'quiet', 2));
      const values = bought.codes.flatMap((c) => [c.code, c.pin ?? '']).filter(Boolean);
      const failure = await s.stop().then(() => s.supplier.check(request(s, 'quiet', 2)).catch((err: unknown) => err));
      subject = undefined;
      expect(failure).toBeInstanceOf(SupplierError);
      for (const value of values) expect(String((failure as Error).message)).not.toContain(value);
    });
  });
}
