// LockedTokenProvider with an in-memory vault and lock and a single-use refresh like Salla's: the
// cache, refresh near expiry and after a 401, the broken chain, no tokens, lock contention, an
// uncertain refresh never repeated, a failed save; and no token in any error.
import { StoreApiError } from '#core/errors';
import type { IssuedStoreTokens, StoreTokenVault, StoredStoreTokens, TokenLock } from '#core/ports/store-tokens';
import { LockedTokenProvider, tokenHealth, type LockedTokenProviderOptions, type TokenEvent } from '#adapters/platforms/shared/locked-token-provider';

const STORE = '1305146709';
const HOUR = 3600_000;
const T0 = Date.UTC(2026, 0, 15, 9);

function world() {
  let now = T0;
  const clock = { now: () => now, advance: (ms: number) => (now += ms) };
  const entries = new Map<string, StoredStoreTokens>();
  const calls = { reads: 0, writes: 0, refreshes: 0, sleeps: 0 };
  let failWrites = 0;
  const vault: StoreTokenVault = {
    async read(platform, storeId) {
      calls.reads += 1;
      const e = entries.get(`${platform}/${storeId}`);
      return e && { ...e };
    },
    async write(platform, storeId, tokens) {
      if (failWrites > 0) {
        failWrites -= 1;
        throw Object.assign(new Error(`boom ${JSON.stringify(tokens)}`), { name: 'InternalServiceError' });
      }
      calls.writes += 1;
      entries.set(`${platform}/${storeId}`, { ...tokens });
    },
  };
  const leases = new Map<string, { owner: string; until: number }>();
  const lock: TokenLock = {
    async acquire(platform, storeId, owner, leaseMs) {
      const key = `${platform}/${storeId}`;
      const held = leases.get(key);
      if (held && held.until >= now && held.owner !== owner) return false;
      leases.set(key, { owner, until: now + leaseMs });
      return true;
    },
    async release(platform, storeId, owner) {
      const key = `${platform}/${storeId}`;
      if (leases.get(key)?.owner === owner) leases.delete(key);
    },
  };
  // The platform: each refresh token works once; a second use kills the chain.
  const spent = new Set<string>();
  let serial = 0;
  let refreshFailure: (() => Error) | undefined;
  const issued: string[] = [];
  const refresh = async (stored: StoredStoreTokens & { refreshToken: string }): Promise<IssuedStoreTokens> => {
    calls.refreshes += 1;
    if (refreshFailure) throw refreshFailure();
    if (spent.has(stored.refreshToken)) throw new StoreApiError('salla: refresh token of store 1: HTTP 400 invalid_grant', 'INVALID_GRANT', false);
    spent.add(stored.refreshToken);
    serial += 1;
    const next = { accessToken: `access-${serial}-secret`, refreshToken: `refresh-${serial}-secret`, expiresAt: new Date(now + 14 * 24 * HOUR).toISOString() };
    issued.push(next.accessToken, next.refreshToken);
    return next;
  };
  const events: TokenEvent[] = [];
  const sleepHooks: Array<() => void> = [];
  const provider = (extra: Partial<LockedTokenProviderOptions<string>> = {}) =>
    new LockedTokenProvider<string>({
      platform: 'salla',
      vault,
      lock,
      refresh,
      toToken: (s) => s.accessToken,
      now: clock.now,
      random: () => 0.5,
      sleep: async (ms) => {
        calls.sleeps += 1;
        clock.advance(ms);
        sleepHooks.shift()?.();
      },
      onEvent: (e) => events.push(e),
      ...extra,
    });
  const store = (tokens: Partial<StoredStoreTokens> = {}) => {
    const stored: StoredStoreTokens = { accessToken: 'access-0-secret', refreshToken: 'refresh-0-secret', expiresAt: new Date(now + 14 * 24 * HOUR).toISOString(), updatedAt: new Date(now).toISOString(), ...tokens };
    issued.push(stored.accessToken, stored.refreshToken ?? '');
    entries.set(`salla/${STORE}`, stored);
    return stored;
  };
  return {
    clock, vault, lock, leases, calls, events, sleepHooks, issued, provider, store,
    stored: () => entries.get(`salla/${STORE}`),
    failWritesNext: (n: number) => (failWrites = n),
    failRefreshWith: (f: (() => Error) | undefined) => (refreshFailure = f),
  };
}

const errors: Error[] = [];
async function failure(promise: Promise<unknown>): Promise<StoreApiError> {
  try {
    await promise;
  } catch (err) {
    errors.push(err as Error);
    if (err instanceof StoreApiError) return err;
    throw err;
  }
  throw new Error('expected a StoreApiError');
}
const leakedIn = (issued: string[]) => issued.filter((t) => t && errors.some((e) => [e.message, String(e.stack), JSON.stringify(e)].join('\n').includes(t)));

describe('LockedTokenProvider', () => {
  it('serves the stored token from the container cache: one vault read, no refresh', async () => {
    const w = world();
    w.store();
    const p = w.provider();
    await expect(p.accessToken(STORE)).resolves.toBe('access-0-secret');
    await expect(p.accessToken(STORE)).resolves.toBe('access-0-secret');
    expect(w.calls).toMatchObject({ reads: 1, refreshes: 0, writes: 0 });
  });

  it('refreshes within the margin of expiry, saves the whole set, then releases the lock', async () => {
    const w = world();
    w.store({ expiresAt: new Date(T0 + 30 * 60_000).toISOString(), scope: 'offline_access' });
    await expect(w.provider().accessToken(STORE)).resolves.toBe('access-1-secret');
    expect(w.calls.refreshes).toBe(1);
    expect(w.stored()).toEqual({ accessToken: 'access-1-secret', refreshToken: 'refresh-1-secret', expiresAt: new Date(T0 + 14 * 24 * HOUR).toISOString(), scope: 'offline_access', updatedAt: new Date(T0).toISOString() });
    expect(w.leases.size).toBe(0);
    expect(w.events).toEqual([{ type: 'REFRESHED', platform: 'salla', storeId: STORE }]);
  });

  it('a cached token is refreshed once the clock reaches the margin', async () => {
    const w = world();
    w.store();
    const p = w.provider();
    await p.accessToken(STORE);
    w.clock.advance(14 * 24 * HOUR - HOUR);
    await expect(p.accessToken(STORE)).resolves.toBe('access-1-secret');
    expect(w.calls.refreshes).toBe(1);
  });

  it('invalidate (a 401) refreshes once, even with time left', async () => {
    const w = world();
    w.store();
    const p = w.provider();
    await p.accessToken(STORE);
    p.invalidate(STORE);
    await expect(p.accessToken(STORE)).resolves.toBe('access-1-secret');
    await expect(p.accessToken(STORE)).resolves.toBe('access-1-secret');
    expect(w.calls.refreshes).toBe(1);
  });

  it('invalidate takes what another container already saved instead of refreshing', async () => {
    const w = world();
    w.store();
    const a = w.provider();
    const b = w.provider();
    await a.accessToken(STORE);
    await b.accessToken(STORE);
    a.invalidate(STORE);
    await expect(a.accessToken(STORE)).resolves.toBe('access-1-secret');
    b.invalidate(STORE);
    await expect(b.accessToken(STORE)).resolves.toBe('access-1-secret');
    expect(w.calls.refreshes).toBe(1);
  });

  it('concurrent calls in one container share one lookup', async () => {
    const w = world();
    w.store({ expiresAt: new Date(T0 - 1).toISOString() });
    const p = w.provider();
    const tokens = await Promise.all(Array.from({ length: 10 }, () => p.accessToken(STORE)));
    expect(new Set(tokens)).toEqual(new Set(['access-1-secret']));
    expect(w.calls).toMatchObject({ reads: 2, refreshes: 1 });
  });

  it('invalid_grant marks the store broken; later calls fail the same way without asking the platform', async () => {
    const w = world();
    w.store({ expiresAt: new Date(T0 - 1).toISOString() });
    w.failRefreshWith(() => new StoreApiError('salla: refresh token of store 1: HTTP 400 invalid_grant', 'INVALID_GRANT', false));
    const first = await failure(w.provider().accessToken(STORE));
    expect(first).toMatchObject({ kind: 'INVALID_GRANT', retryable: false });
    expect(first.message).toBe(`salla: tokens of store ${STORE}: the refresh token was refused (invalid_grant): the merchant must reinstall the app`);
    expect(w.stored()).toMatchObject({ brokenAt: new Date(T0).toISOString(), brokenReason: 'invalid_grant', refreshToken: 'refresh-0-secret' });
    expect(tokenHealth(w.stored(), T0).state).toBe('NEEDS_REINSTALL');
    expect(w.events).toContainEqual({ type: 'NEEDS_REINSTALL', platform: 'salla', storeId: STORE });
    expect(w.leases.size).toBe(0);

    const later = await failure(w.provider().accessToken(STORE));
    expect(later).toMatchObject({ kind: 'INVALID_GRANT', retryable: false });
    expect(w.calls.refreshes).toBe(1);
  });

  it('no stored tokens: NO_TOKENS, not retryable, naming platform and store', async () => {
    const w = world();
    const err = await failure(w.provider().accessToken(STORE));
    expect(err).toMatchObject({ kind: 'NO_TOKENS', retryable: false, message: `no API tokens stored for salla store ${STORE}: install the app or run stores add` });
    expect(w.calls.refreshes).toBe(0);
    // Believed for a minute: a store without tokens costs one vault read a minute, not one per order.
    const provider = w.provider();
    for (let i = 0; i < 5; i++) await failure(provider.accessToken(STORE));
    expect(w.calls.reads).toBe(2);
  });

  it('waits for another holder of the lock, then uses the tokens it saved', async () => {
    const w = world();
    w.store({ expiresAt: new Date(T0 - 1).toISOString() });
    await w.lock.acquire('salla', STORE, 'other-container', 30_000);
    // The other container finishes its refresh during our third wait.
    w.sleepHooks.push(() => undefined, () => undefined, () => {
      void w.vault.write('salla', STORE, { accessToken: 'access-other-secret', refreshToken: 'refresh-other-secret', expiresAt: new Date(T0 + 14 * 24 * HOUR).toISOString(), updatedAt: new Date(T0).toISOString() });
      void w.lock.release('salla', STORE, 'other-container');
    });
    w.issued.push('access-other-secret', 'refresh-other-secret');
    await expect(w.provider().accessToken(STORE)).resolves.toBe('access-other-secret');
    expect(w.calls.sleeps).toBe(3);
    expect(w.calls.refreshes).toBe(0);
    expect(w.leases.size).toBe(0);
  });

  it('a lock held past lockWaitMs: UNAVAILABLE retryable for an expired token, the old token while it still works', async () => {
    const w = world();
    w.store({ expiresAt: new Date(T0 - 1).toISOString() });
    await w.lock.acquire('salla', STORE, 'stuck', 3_600_000);
    const err = await failure(w.provider({ lockWaitMs: 2_000 }).accessToken(STORE));
    expect(err).toMatchObject({ kind: 'UNAVAILABLE', retryable: true });
    expect(w.clock.now() - T0).toBeGreaterThanOrEqual(2_000);
    expect(w.events).toContainEqual({ type: 'LOCK_TIMEOUT', platform: 'salla', storeId: STORE, waitedMs: 2_000 });

    w.store({ expiresAt: new Date(w.clock.now() + 10 * 60_000).toISOString() });
    await expect(w.provider({ lockWaitMs: 2_000 }).accessToken(STORE)).resolves.toBe('access-0-secret');
    expect(w.calls.refreshes).toBe(0);
  });

  it('an uncertain refresh (UNAVAILABLE) is not repeated by the call, releases the lock and is retryable', async () => {
    const w = world();
    w.store({ expiresAt: new Date(T0 - 1).toISOString() });
    w.failRefreshWith(() => new StoreApiError('salla: refresh token of store 1: timeout', 'UNAVAILABLE', true));
    const err = await failure(w.provider().accessToken(STORE));
    expect(err).toMatchObject({ kind: 'UNAVAILABLE', retryable: true });
    expect(w.calls.refreshes).toBe(1);
    expect(w.leases.size).toBe(0);
    expect(w.stored()).toMatchObject({ accessToken: 'access-0-secret', refreshToken: 'refresh-0-secret' });
    expect(w.stored()?.brokenAt).toBeUndefined();
    expect(w.events).toContainEqual({ type: 'REFRESH_UNCERTAIN', platform: 'salla', storeId: STORE });

    // An unreadable 2xx (not retryable from the client's view) is just as uncertain: retryable here.
    w.failRefreshWith(() => new StoreApiError('salla: refresh token of store 1: unreadable answer', 'UNAVAILABLE', false));
    await expect(failure(w.provider().accessToken(STORE))).resolves.toMatchObject({ kind: 'UNAVAILABLE', retryable: true });
    expect(w.calls.refreshes).toBe(2);
  });

  it('an uncertain refresh of a token that still works returns that token', async () => {
    const w = world();
    w.store({ expiresAt: new Date(T0 + 10 * 60_000).toISOString() });
    w.failRefreshWith(() => new StoreApiError('salla: refresh token of store 1: network', 'UNAVAILABLE', true));
    await expect(w.provider().accessToken(STORE)).resolves.toBe('access-0-secret');
    expect(w.calls.refreshes).toBe(1);
  });

  it('a refresh refused for another reason (invalid_client) is passed on and marks nothing', async () => {
    const w = world();
    w.store({ expiresAt: new Date(T0 - 1).toISOString() });
    w.failRefreshWith(() => new StoreApiError('salla: refresh token of store 1: HTTP 401 invalid_client', 'AUTH', false));
    await expect(failure(w.provider().accessToken(STORE))).resolves.toMatchObject({ kind: 'AUTH', retryable: false });
    expect(w.stored()?.brokenAt).toBeUndefined();
    expect(w.leases.size).toBe(0);
  });

  it('a save that keeps failing: the token is served, the lock left to expire, the set saved on a later call', async () => {
    const w = world();
    w.store({ expiresAt: new Date(T0 - 1).toISOString() });
    w.failWritesNext(3);
    const p = w.provider({ owner: 'me' });
    await expect(p.accessToken(STORE)).resolves.toBe('access-1-secret');
    expect(w.events).toContainEqual({ type: 'SAVE_FAILED', platform: 'salla', storeId: STORE, reason: 'InternalServiceError' });
    expect(w.leases.get(`salla/${STORE}`)?.owner).toBe('me');
    expect(w.stored()?.refreshToken).toBe('refresh-0-secret');

    await expect(p.accessToken(STORE)).resolves.toBe('access-1-secret');
    expect(w.stored()?.refreshToken).toBe('refresh-1-secret');
    expect(w.leases.size).toBe(0);
    expect(w.calls.refreshes).toBe(1);
  });

  it('a vault that cannot be read is UNAVAILABLE retryable', async () => {
    const w = world();
    const p = w.provider({ vault: { read: async () => Promise.reject(Object.assign(new Error('x'), { name: 'ThrottlingException' })), write: w.vault.write } });
    await expect(failure(p.accessToken(STORE))).resolves.toMatchObject({ kind: 'UNAVAILABLE', retryable: true, message: `salla: tokens of store ${STORE}: the token vault is unavailable (ThrottlingException)` });
  });

  it('no issued token in any error of this file', () => {
    expect(errors.length).toBeGreaterThanOrEqual(8);
    const tokens = ['access-0-secret', 'refresh-0-secret', 'access-1-secret', 'refresh-1-secret', 'access-other-secret', 'refresh-other-secret'];
    expect(leakedIn(tokens)).toEqual([]);
  });
});

describe('tokenHealth', () => {
  const at = (ms: number) => new Date(T0 + ms).toISOString();
  it.each([
    ['NONE', undefined],
    ['OK', { accessToken: 'a', updatedAt: at(0) }],
    ['OK', { accessToken: 'a', updatedAt: at(0), expiresAt: at(2 * HOUR) }],
    ['EXPIRING', { accessToken: 'a', updatedAt: at(0), expiresAt: at(HOUR) }],
    ['EXPIRED', { accessToken: 'a', updatedAt: at(0), expiresAt: at(0) }],
    ['NEEDS_REINSTALL', { accessToken: 'a', updatedAt: at(0), expiresAt: at(2 * HOUR), brokenAt: at(0) }],
  ] as const)('%s', (state, stored) => {
    const health = tokenHealth(stored as StoredStoreTokens | undefined, T0, HOUR);
    expect(health.state).toBe(state);
    if (stored) expect(health.updatedAt).toBe(at(0));
  });
});
