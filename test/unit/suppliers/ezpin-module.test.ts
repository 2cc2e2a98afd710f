// The EZ PIN module: built from its secret through the registry, and its local hooks.
import { ezpin } from '#adapters/suppliers/ezpin/index';
import type { FakeEzpin } from '#adapters/suppliers/ezpin/fake/fake-ezpin';
import { SUPPLIERS } from '#adapters/suppliers/registry';
import { moduleConfig } from '#adapters/module-kit';
import { createSupplier } from '#wiring/restock-deps';
import * as z from 'zod/mini';
import { startEzpin } from './ezpin-helpers';

const secret = { clientId: 'module-client', secretKey: 'module-secret-value' };

describe('ezpin module', () => {
  it('is registered after reloadly', () => {
    expect(SUPPLIERS.map((s) => s.name)).toEqual(['reloadly', 'ezpin']);
  });

  it('builds the adapter from its secret, pointed at EZPIN_BASE_URL, with a numeric terminal', async () => {
    const fake = await startEzpin({ ...secret, terminalId: 45, terminalPin: '9876', balance: 42 });
    try {
      const supplier = createSupplier('ezpin', JSON.stringify({ ...secret, terminalId: 45, terminalPin: '9876' }), { EZPIN_BASE_URL: fake.url });
      expect(supplier.name).toBe('ezpin');
      await expect(supplier.balance()).resolves.toEqual({ amount: 42, currency: 'USD' });
      // The fake refuses an order without this terminal (406, code 617): the secret's numbers reached it.
      await expect(supplier.placeOrResume({ reference: 'mod', productId: '1001', quantity: 1, unitPrice: 25 })).resolves.toMatchObject({ status: 'COMPLETED' });
      expect(fake.stats()).toMatchObject({ ordersPlaced: 1, balance: 17 });
    } finally {
      await fake.stop();
    }
  });

  it('names a missing or malformed credential without printing any value', () => {
    expect(() => createSupplier('ezpin', JSON.stringify({ clientId: 'module-client' }), {})).toThrow('Supplier "ezpin": credential "secretKey" is missing');
    const attempt = () => createSupplier('ezpin', JSON.stringify({ ...secret, terminalPin: '12a4', environment: 'live' }), {});
    expect(attempt).toThrow('credential "terminalPin" is invalid');
    expect(attempt).toThrow('credential "environment" must be "sandbox" or "production"');
    expect(attempt).not.toThrow(/module-secret-value|12a4/);
  });

  it("local hooks: the fake's credentials and env make a working adapter that sells the demo products", async () => {
    const local = await ezpin.local!();
    const fake = await local.startFake({ latencyMs: 0, partialFulfilment: false });
    try {
      const supplier = ezpin.create(z.parse(ezpin.credentials, fake.credentials), moduleConfig(ezpin, fake.env));
      for (const [i, product] of local.demoProducts.entries()) {
        const result = await supplier.placeOrResume({ reference: `demo-${i}`, productId: product.productId, quantity: 2, unitPrice: product.unitPrice });
        expect(result).toMatchObject({ status: 'COMPLETED' });
      }
      expect((fake as unknown as FakeEzpin).stats().ordersPlaced).toBe(local.demoProducts.length);
    } finally {
      await fake.stop();
    }
  });
});
