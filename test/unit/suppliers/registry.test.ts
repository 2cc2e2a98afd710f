// The supplier registry: names to adapters, with clear errors for what is missing.
import { SUPPLIERS } from '#adapters/suppliers/registry';
import { createSupplier as createFromSecret } from '#wiring/restock-deps';
import { startFakeReloadly } from '#adapters/suppliers/reloadly/fake/fake-reloadly';

const credentials = { clientId: 'registry-client', clientSecret: 'registry-secret-value', environment: 'sandbox' };
const supplierNames = SUPPLIERS.map((s) => s.name);
/** The supplier module `name` built from a secret holding `secret`, pointed at `env`'s endpoints. */
const createSupplier = (name: string, secret: object, overrides: { reloadlyBaseUrl?: string; reloadlyAuthUrl?: string }) =>
  createFromSecret(name, JSON.stringify(secret), { RELOADLY_BASE_URL: overrides.reloadlyBaseUrl, RELOADLY_AUTH_URL: overrides.reloadlyAuthUrl });

describe('createSupplier', () => {
  it('builds the Reloadly adapter, pointed at the overrides', async () => {
    const fake = await startFakeReloadly({ clientId: 'registry-client', clientSecret: 'registry-secret-value', balance: 42 });
    try {
      const supplier = createSupplier('reloadly', credentials, { reloadlyBaseUrl: fake.url, reloadlyAuthUrl: fake.authUrl });
      expect(supplier.name).toBe('reloadly');
      await expect(supplier.balance()).resolves.toEqual({ amount: 42, currency: 'USD' });
    } finally {
      await fake.stop();
    }
  });

  it('lists the known suppliers', () => {
    expect(supplierNames).toEqual(['reloadly', 'ezpin']);
  });

  it.each(['kinguin', 'Reloadly', 'toString', '__proto__'])('refuses an unknown supplier name (%p)', (name) => {
    expect(() => createSupplier(name, credentials, {})).toThrow(`Unknown supplier "${name}". Known suppliers: reloadly`);
  });

  it('names a missing credential without printing the others', () => {
    const attempt = () => createSupplier('reloadly', { clientId: 'registry-client', environment: 'sandbox' }, {});
    expect(attempt).toThrow('Supplier "reloadly": credential "clientSecret" is missing');
  });

  it('requires an explicit environment, so production is never chosen by accident', () => {
    const attempt = () => createSupplier('reloadly', { clientId: 'a', clientSecret: 'registry-secret-value' }, {});
    expect(attempt).toThrow(/environment" must be "sandbox" or "production"/);
    expect(attempt).not.toThrow(/registry-secret-value/);
  });
});
