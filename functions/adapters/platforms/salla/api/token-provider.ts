// Salla's StoreTokenProvider: the access token string, refreshed under the per-merchant lock with the
// app's client id and secret (refresh tokens rotate and are single-use).
import type { LockedTokenProviderOptions } from '../../shared/locked-token-provider';
import { LockedTokenProvider } from '../../shared/locked-token-provider';
import { refreshSallaTokens, type SallaOAuthOptions } from './oauth';

export type PlatformTokenProviderOptions = Omit<LockedTokenProviderOptions<never>, 'platform' | 'refresh' | 'toToken'>;

export interface SallaTokenProviderOptions extends PlatformTokenProviderOptions {
  /** The app's client id and secret, SALLA_ACCOUNTS_URL, timeout, fetch; or where to get them at the first refresh (a secret). */
  oauth: SallaOAuthOptions | (() => Promise<SallaOAuthOptions>);
}

export function sallaTokenProvider(options: SallaTokenProviderOptions): LockedTokenProvider<string> {
  const { oauth, ...rest } = options;
  return new LockedTokenProvider<string>({
    ...rest,
    platform: 'salla',
    toToken: (stored) => stored.accessToken,
    async refresh(stored, storeId) {
      // expiresAt is already ISO 8601 (from `expires`, else `expires_in`).
      const client = typeof oauth === 'function' ? await oauth() : oauth;
      const fresh = await refreshSallaTokens({ now: options.now, ...client }, { refreshToken: stored.refreshToken, storeId });
      return { accessToken: fresh.accessToken, refreshToken: fresh.refreshToken, expiresAt: fresh.expiresAt, ...(fresh.scope ? { scope: fresh.scope } : {}) };
    },
  });
}
