// StoreTokenProvider over a token vault and a per-merchant lock, for one platform. Refresh tokens are
// single-use (two refreshes of one token kill the chain), so: a refresh runs only under the lock, the
// holder first re-reads the vault (another container may have refreshed meanwhile), and the whole new
// set is saved before the lock is let go. Tokens and platform messages never reach an error or event.
import { randomUUID } from 'node:crypto';
import { StoreApiError } from '#core/errors';
import type { IssuedStoreTokens, StoreTokenVault, StoredStoreTokens, TokenHealth, TokenLock } from '#core/ports/store-tokens';
import type { StoreTokenProvider } from './store-tokens';

/** What happened, for alerts and metrics: ids and machine words only. */
export type TokenEvent =
  | { type: 'REFRESHED'; platform: string; storeId: string }
  | { type: 'NEEDS_REINSTALL'; platform: string; storeId: string }
  | { type: 'REFRESH_UNCERTAIN'; platform: string; storeId: string }
  | { type: 'LOCK_TIMEOUT'; platform: string; storeId: string; waitedMs: number }
  /** The new set could not be saved: this container holds the only copy, the lock is left to expire. */
  | { type: 'SAVE_FAILED'; platform: string; storeId: string; reason: string };

export interface LockedTokenProviderOptions<Token> {
  platform: string;
  vault: StoreTokenVault;
  lock: TokenLock;
  /** Spends `tokens.refreshToken`. Called only under the lock, once per call of `accessToken` at most. */
  refresh(tokens: StoredStoreTokens & { refreshToken: string }, storeId: string): Promise<IssuedStoreTokens>;
  toToken(stored: StoredStoreTokens): Token;
  /** Refresh this long before `expiresAt`. Default 1 h. */
  refreshMarginMs?: number;
  /** Must outlive a refresh call (its timeout) plus the save. Default 30 s. */
  leaseMs?: number;
  /** How long to wait for another holder before giving up (retryable). Default 10 s. */
  lockWaitMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** This container's lock owner id. Default a random UUID. */
  owner?: string;
  onEvent?(event: TokenEvent): void;
}

interface Entry<Token> {
  stored: StoredStoreTokens;
  token: Token;
  /** Saving failed: written again on the next call. */
  unsaved?: boolean;
}

const HOUR = 3600_000;
/** How long "this store has no tokens" is believed (an install or `stores add` shows within it). */
const ABSENT_CACHE_MS = 60_000;
const SAVE_ATTEMPTS = 3;

/** OK, EXPIRING (within `marginMs`), EXPIRED, NEEDS_REINSTALL (a refused refresh) or NONE. */
export function tokenHealth(stored: StoredStoreTokens | undefined, nowMs: number, marginMs = HOUR): TokenHealth {
  if (!stored) return { state: 'NONE' };
  const times = { ...(stored.expiresAt ? { expiresAt: stored.expiresAt } : {}), ...(stored.updatedAt ? { updatedAt: stored.updatedAt } : {}) };
  if (stored.brokenAt) return { state: 'NEEDS_REINSTALL', ...times };
  if (!stored.expiresAt) return { state: 'OK', ...times };
  const left = Date.parse(stored.expiresAt) - nowMs;
  if (!(left > 0)) return { state: 'EXPIRED', ...times };
  return { state: left <= marginMs ? 'EXPIRING' : 'OK', ...times };
}

const nameOf = (err: unknown) => (err as { name?: string })?.name ?? typeof err;

export class LockedTokenProvider<Token> implements StoreTokenProvider<Token> {
  readonly platform: string;
  private readonly cache = new Map<string, Entry<Token>>();
  /** The access token a platform refused, per store, until a different one is found. */
  private readonly refused = new Map<string, string>();
  /** Stores found without tokens, until when that is believed. */
  private readonly absent = new Map<string, number>();
  private readonly inflight = new Map<string, Promise<Entry<Token>>>();
  private readonly margin: number;
  private readonly leaseMs: number;
  private readonly lockWaitMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly owner: string;

  constructor(private readonly options: LockedTokenProviderOptions<Token>) {
    this.platform = options.platform;
    this.margin = options.refreshMarginMs ?? HOUR;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.lockWaitMs = options.lockWaitMs ?? 10_000;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    this.owner = options.owner ?? randomUUID();
  }

  async accessToken(storeId: string): Promise<Token> {
    // A store without tokens costs one vault read a minute per container, not one per order.
    const absentUntil = this.absent.get(storeId);
    if (absentUntil !== undefined && this.now() < absentUntil) this.check(storeId, undefined);
    const cached = this.cache.get(storeId);
    if (cached && this.usable(storeId, cached.stored)) {
      if (cached.unsaved) await this.flush(storeId, cached);
      return cached.token;
    }
    // One lookup per store per container: concurrent callers here share it instead of queueing on the lock.
    let pending = this.inflight.get(storeId);
    if (!pending) {
      pending = this.resolve(storeId).finally(() => this.inflight.delete(storeId));
      this.inflight.set(storeId, pending);
    }
    return (await pending).token;
  }

  invalidate(storeId: string): void {
    const cached = this.cache.get(storeId);
    if (cached) this.refused.set(storeId, cached.stored.accessToken);
    this.cache.delete(storeId);
  }

  private async resolve(storeId: string): Promise<Entry<Token>> {
    const stored = await this.read(storeId);
    if (stored) this.absent.delete(storeId);
    else this.absent.set(storeId, this.now() + ABSENT_CACHE_MS);
    const seen = this.check(storeId, stored);
    if (this.usable(storeId, seen)) return this.remember(storeId, seen);
    return this.underLock(storeId, seen);
  }

  private async underLock(storeId: string, seen: StoredStoreTokens): Promise<Entry<Token>> {
    const got = await this.acquire(storeId);
    if (typeof got === 'object') return this.remember(storeId, got);
    if (!got) {
      this.event({ type: 'LOCK_TIMEOUT', platform: this.platform, storeId, waitedMs: this.lockWaitMs });
      // Only near expiry, not refused: it still works, so this call need not fail.
      if (this.stillValid(storeId, seen)) return this.remember(storeId, seen);
      throw new StoreApiError(`${this.what(storeId)}: the token refresh is held by another worker (waited ${this.lockWaitMs} ms)`, 'UNAVAILABLE', true);
    }
    let keepLock = false;
    try {
      const stored = this.check(storeId, await this.read(storeId));
      if (this.usable(storeId, stored)) return this.remember(storeId, stored);
      if (!stored.refreshToken) {
        if (this.stillValid(storeId, stored)) return this.remember(storeId, stored);
        throw new StoreApiError(`${this.what(storeId)}: the access token is no longer valid and no refresh token is stored: reinstall the app`, 'AUTH', false);
      }
      const issued = await this.refreshOnce(storeId, { ...stored, refreshToken: stored.refreshToken });
      if (!issued) return this.remember(storeId, stored);
      const next: StoredStoreTokens = {
        ...(stored.scope ? { scope: stored.scope } : {}),
        ...(stored.authorization ? { authorization: stored.authorization } : {}),
        refreshToken: stored.refreshToken,
        ...issued,
        updatedAt: new Date(this.now()).toISOString(),
      };
      this.event({ type: 'REFRESHED', platform: this.platform, storeId });
      const saved = await this.save(storeId, next);
      // Unsaved, the vault still holds the spent refresh token: let the lease run out rather than
      // hand it to the next container at once.
      keepLock = !saved;
      return this.remember(storeId, next, !saved);
    } finally {
      if (!keepLock) await this.options.lock.release(this.platform, storeId, this.owner).catch(() => undefined);
    }
  }

  /** The new set, undefined to keep using `stored` (still valid), or a StoreApiError. Never retried here. */
  private async refreshOnce(storeId: string, stored: StoredStoreTokens & { refreshToken: string }): Promise<IssuedStoreTokens | undefined> {
    try {
      return await this.options.refresh(stored, storeId);
    } catch (err) {
      if (err instanceof StoreApiError && err.kind === 'INVALID_GRANT') {
        const at = new Date(this.now()).toISOString();
        await this.options.vault.write(this.platform, storeId, { ...stored, brokenAt: at, brokenReason: 'invalid_grant', updatedAt: at }).catch(() => undefined);
        this.cache.delete(storeId);
        this.event({ type: 'NEEDS_REINSTALL', platform: this.platform, storeId });
        throw new StoreApiError(`${this.what(storeId)}: the refresh token was refused (invalid_grant): the merchant must reinstall the app`, 'INVALID_GRANT', false);
      }
      // A timeout or an unreadable answer may have spent the token: someone must re-read the vault
      // before trying again, so this call does not.
      if (!(err instanceof StoreApiError) || err.kind === 'UNAVAILABLE') {
        this.event({ type: 'REFRESH_UNCERTAIN', platform: this.platform, storeId });
        if (this.stillValid(storeId, stored)) return undefined;
        const detail = err instanceof StoreApiError ? err.message : `${this.what(storeId)}: refresh failed (${nameOf(err)})`;
        throw new StoreApiError(detail, 'UNAVAILABLE', true);
      }
      throw err;
    }
  }

  private async save(storeId: string, next: StoredStoreTokens): Promise<boolean> {
    let reason = '';
    for (let attempt = 1; attempt <= SAVE_ATTEMPTS; attempt++) {
      try {
        await this.options.vault.write(this.platform, storeId, next);
        return true;
      } catch (err) {
        reason = nameOf(err);
        if (attempt < SAVE_ATTEMPTS) await this.sleep(100 * attempt);
      }
    }
    this.event({ type: 'SAVE_FAILED', platform: this.platform, storeId, reason });
    return false;
  }

  /** A set this container could not save: written once it holds the lock again. */
  private async flush(storeId: string, entry: Entry<Token>): Promise<void> {
    try {
      if (!(await this.options.lock.acquire(this.platform, storeId, this.owner, this.leaseMs))) return;
      try {
        await this.options.vault.write(this.platform, storeId, entry.stored);
        entry.unsaved = false;
      } finally {
        await this.options.lock.release(this.platform, storeId, this.owner).catch(() => undefined);
      }
    } catch {
      // Next call tries again.
    }
  }

  /** true once the lock is ours, false after lockWaitMs, or the set another holder saved meanwhile. */
  private async acquire(storeId: string): Promise<boolean | StoredStoreTokens> {
    const deadline = this.now() + this.lockWaitMs;
    for (;;) {
      let got: boolean;
      try {
        got = await this.options.lock.acquire(this.platform, storeId, this.owner, this.leaseMs);
      } catch (err) {
        throw new StoreApiError(`${this.what(storeId)}: the token lock is unavailable (${nameOf(err)})`, 'UNAVAILABLE', true);
      }
      if (got) return true;
      if (this.now() >= deadline) return false;
      // Jittered, so waiting containers do not knock in step.
      await this.sleep(20 + Math.floor(this.random() * 60));
      // Using a saved set needs no lock: waiters take the holder's result without queueing for the lock.
      const saved = await this.read(storeId).catch(() => undefined);
      if (saved && !saved.brokenAt && this.usable(storeId, saved)) return saved;
    }
  }

  private async read(storeId: string): Promise<StoredStoreTokens | undefined> {
    try {
      return await this.options.vault.read(this.platform, storeId);
    } catch (err) {
      throw new StoreApiError(`${this.what(storeId)}: the token vault is unavailable (${nameOf(err)})`, 'UNAVAILABLE', true);
    }
  }

  /** No tokens or a broken chain end here: the platform is not asked. */
  private check(storeId: string, stored: StoredStoreTokens | undefined): StoredStoreTokens {
    if (!stored) {
      throw new StoreApiError(`no API tokens stored for ${this.platform} store ${storeId}: install the app or run stores add`, 'NO_TOKENS', false);
    }
    if (stored.brokenAt) {
      throw new StoreApiError(`${this.what(storeId)}: the token chain is broken (since ${stored.brokenAt}): the merchant must reinstall the app`, 'INVALID_GRANT', false);
    }
    return stored;
  }

  /** Not refused and not within the refresh margin. */
  private usable(storeId: string, stored: StoredStoreTokens): boolean {
    if (this.refused.get(storeId) === stored.accessToken) return false;
    return !stored.expiresAt || Date.parse(stored.expiresAt) - this.now() > this.margin;
  }

  /** Not refused and not yet expired (possibly within the margin). */
  private stillValid(storeId: string, stored: StoredStoreTokens): boolean {
    if (this.refused.get(storeId) === stored.accessToken) return false;
    return !stored.expiresAt || Date.parse(stored.expiresAt) > this.now();
  }

  private remember(storeId: string, stored: StoredStoreTokens, unsaved = false): Entry<Token> {
    let token: Token;
    try {
      token = this.options.toToken(stored);
    } catch {
      throw new StoreApiError(`${this.what(storeId)}: the stored token set is incomplete: reinstall the app`, 'AUTH', false);
    }
    const entry: Entry<Token> = { stored, token, ...(unsaved ? { unsaved } : {}) };
    if (this.refused.get(storeId) !== stored.accessToken) this.refused.delete(storeId);
    this.cache.set(storeId, entry);
    return entry;
  }

  private event(event: TokenEvent): void {
    try {
      this.options.onEvent?.(event);
    } catch {
      // An observer never breaks a token lookup.
    }
  }

  private what(storeId: string): string {
    return `${this.platform}: tokens of store ${storeId}`;
  }
}
