// BalanceCache: one balance call per supplier per TTL, recorded for `suppliers`; a failure is
// remembered as unknown for the TTL (never blocks buying) and recorded as the last error.
import { BalanceCache } from '#core/balance-cache';
import { FakeClock } from '#test/fakes/world';
import { RecordingLog, ScriptedSupplier } from '#test/fakes/recorders';
import { FakeSupplierHealth } from '#test/fakes/supplier-health';

function setup() {
  const clock = new FakeClock();
  const health = new FakeSupplierHealth();
  const supplier = new ScriptedSupplier(async () => ({ status: 'COMPLETED', codes: [], supplierOrderIds: [] }), 'reloadly');
  const balance = jest.spyOn(supplier, 'balance');
  const cache = new BalanceCache(async (name) => (name === 'reloadly' ? supplier : undefined), health, clock, new RecordingLog(), 30);
  return { clock, health, supplier, balance, cache };
}

describe('BalanceCache', () => {
  it('reads a balance once per TTL and records it', async () => {
    const { clock, health, balance, cache } = setup();
    await expect(cache.current('reloadly')).resolves.toEqual({ amount: 100, currency: 'USD' });
    clock.advanceSeconds(29);
    await cache.current('reloadly');
    expect(balance).toHaveBeenCalledTimes(1);
    clock.advanceSeconds(1);
    await cache.current('reloadly');
    expect(balance).toHaveBeenCalledTimes(2);
    expect((await health.list())[0]).toMatchObject({ supplier: 'reloadly', balance: { amount: 100, currency: 'USD' }, balanceAt: '2025-03-01T10:00:30.000Z' });
  });

  it('an unreadable balance is unknown (undefined) until the TTL passes, and recorded as the last error', async () => {
    const { supplier, health, balance, cache } = setup();
    supplier.balanceAnswer = async () => {
      throw new Error('reloadly: read balance: HTTP 503');
    };
    await expect(cache.current('reloadly')).resolves.toBeUndefined();
    await expect(cache.current('reloadly')).resolves.toBeUndefined();
    expect(balance).toHaveBeenCalledTimes(1);
    expect((await health.list())[0]).toMatchObject({ lastError: 'balance: reloadly: read balance: HTTP 503' });
  });

  it('an unconfigured supplier has no balance', async () => {
    await expect(setup().cache.current('acme')).resolves.toBeUndefined();
  });
});
