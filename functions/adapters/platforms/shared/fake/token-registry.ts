// Local fakes of the store APIs: the OAuth server's memory. Tokens per store in chains: a refresh
// token works once and rotates the pair; a second use answers invalid_grant and kills the whole
// chain (every token in it, the newest included), as Salla documents for parallel refreshes.
import { randomBytes } from 'node:crypto';

export interface IssuedTokens {
  storeId: string;
  accessToken: string;
  refreshToken: string;
  /** Zid's second token (`authorization`); absent for Salla. */
  authorization?: string;
  expiresInSeconds: number;
  /** Epoch seconds. */
  expiresAt: number;
}

interface Grant extends IssuedTokens {
  chain: number;
  refreshUsed: boolean;
  /** A refresh replaced it: its access token is refused from then on. */
  superseded: boolean;
}

export interface TokenRegistryOptions {
  /** Token prefix, so a stray token in a log says where it came from ("salla-fake"). */
  prefix: string;
  ttlSeconds: number;
  /** Issue Zid's `authorization` token with each pair and require it on API calls. */
  withAuthorization: boolean;
  now: () => number;
}

export type Refusal = 'invalid_grant';

export class TokenRegistry {
  private readonly byAccess = new Map<string, Grant>();
  private readonly byRefresh = new Map<string, Grant>();
  private readonly codes = new Map<string, string>();
  private readonly deadChains = new Set<number>();
  private nextChain = 1;

  constructor(private readonly options: TokenRegistryOptions) {}

  setTtl(ttlSeconds: number): void {
    this.options.ttlSeconds = ttlSeconds;
  }

  /** A fresh chain for the store, as an install (or Salla's app.store.authorize) gives. */
  issue(storeId: string): IssuedTokens {
    return this.grant(storeId, this.nextChain++);
  }

  /** A single-use authorization code for the store (the OAuth redirect of an install). */
  issueCode(storeId: string): string {
    const code = this.token('code');
    this.codes.set(code, storeId);
    return code;
  }

  exchangeCode(code: string): IssuedTokens | Refusal {
    const storeId = this.codes.get(code);
    if (storeId === undefined) return 'invalid_grant';
    this.codes.delete(code);
    return this.issue(storeId);
  }

  refresh(refreshToken: string): IssuedTokens | Refusal {
    const grant = this.byRefresh.get(refreshToken);
    if (!grant || this.deadChains.has(grant.chain)) return 'invalid_grant';
    if (grant.refreshUsed) {
      this.deadChains.add(grant.chain);
      return 'invalid_grant';
    }
    grant.refreshUsed = true;
    grant.superseded = true;
    return this.grant(grant.storeId, grant.chain);
  }

  /** The store an API call is for, or undefined when its token is unknown, expired, replaced or dead. */
  authenticate(accessToken: string | undefined, authorization?: string): string | undefined {
    const grant = accessToken ? this.byAccess.get(accessToken) : undefined;
    if (!grant || grant.superseded || this.deadChains.has(grant.chain)) return undefined;
    if (this.options.now() >= grant.expiresAt * 1000) return undefined;
    if (this.options.withAuthorization && grant.authorization !== authorization) return undefined;
    return grant.storeId;
  }

  /** Every live access token of the store (or all) expires now; refresh tokens still work. */
  expireAccessTokens(storeId?: string): void {
    const past = Math.floor(this.options.now() / 1000) - 1;
    for (const grant of this.byAccess.values()) if (storeId === undefined || grant.storeId === storeId) grant.expiresAt = past;
  }

  /** Every chain of the store (or all) is dead: what an uninstall or a reused refresh token does. */
  revoke(storeId?: string): void {
    for (const grant of this.byAccess.values()) if (storeId === undefined || grant.storeId === storeId) this.deadChains.add(grant.chain);
  }

  private grant(storeId: string, chain: number): IssuedTokens {
    const ttl = this.options.ttlSeconds;
    const grant: Grant = {
      storeId,
      accessToken: this.token('access'),
      refreshToken: this.token('refresh'),
      ...(this.options.withAuthorization ? { authorization: this.token('authorization') } : {}),
      expiresInSeconds: ttl,
      expiresAt: Math.floor(this.options.now() / 1000) + ttl,
      chain,
      refreshUsed: false,
      superseded: false,
    };
    this.byAccess.set(grant.accessToken, grant);
    this.byRefresh.set(grant.refreshToken, grant);
    const { chain: _chain, refreshUsed: _used, superseded: _superseded, ...issued } = grant;
    return issued;
  }

  private token(kind: string): string {
    return `${this.options.prefix}-${kind}-${randomBytes(18).toString('base64url')}`;
  }
}

/** An issued chain as StreamSync stores it (the install's tokens). */
export const issuedTokensOf = (tokens: IssuedTokens) => ({
  accessToken: tokens.accessToken,
  refreshToken: tokens.refreshToken,
  expiresAt: new Date(tokens.expiresAt * 1000).toISOString(),
  ...(tokens.authorization ? { authorization: tokens.authorization } : {}),
});
