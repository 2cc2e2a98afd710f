// Where a merchant's platform API tokens live and who may refresh them. Salla (and, treated alike, Zid)
// refresh tokens are single-use: two refreshes of the same token kill the chain, so a refresh runs
// under a per-merchant lock and its whole result is stored before the lock is let go.

export interface StoredStoreTokens {
  accessToken: string;
  refreshToken?: string;
  /** ISO 8601 (UTC) instant the access token expires; absent when the platform did not say. */
  expiresAt?: string;
  scope?: string;
  /** Zid's second token (`Authorization: Bearer`). */
  authorization?: string;
  /** ISO 8601 instant this set was written. */
  updatedAt: string;
  /** Set when a refresh was refused (invalid_grant): the merchant must reinstall. */
  brokenAt?: string;
  /** A short machine word ("invalid_grant"), never a token or a platform message. */
  brokenReason?: string;
}

/** What a refresh (or an install) hands over: a stored set before it gets its bookkeeping fields. */
export type IssuedStoreTokens = Omit<StoredStoreTokens, 'updatedAt' | 'brokenAt' | 'brokenReason'>;

export type TokenHealthState = 'OK' | 'EXPIRING' | 'EXPIRED' | 'NEEDS_REINSTALL' | 'NONE';
export type TokenHealth = { state: TokenHealthState; expiresAt?: string; updatedAt?: string };

export interface StoreTokenVault {
  /** Never cached: always the stored value (the lock holder must see the last holder's write). */
  read(platform: string, storeId: string): Promise<StoredStoreTokens | undefined>;
  /** Replaces the whole set; creates the entry if absent. */
  write(platform: string, storeId: string, tokens: StoredStoreTokens): Promise<void>;
}

/** A per-merchant, per-platform lease. `acquire` is false while another owner's lease runs. */
export interface TokenLock {
  acquire(platform: string, storeId: string, owner: string, leaseMs: number): Promise<boolean>;
  /** Only the owner's own lease is removed; one that expired and was taken over is left alone. */
  release(platform: string, storeId: string, owner: string): Promise<void>;
}
