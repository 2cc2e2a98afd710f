// Zid's StoreTokenProvider: the manager and authorization tokens ZidStoreApi sends together,
// refreshed under the per-merchant lock (treated as single-use, like Salla's; all three saved).
import { LockedTokenProvider } from '../../shared/locked-token-provider';
import type { PlatformTokenProviderOptions } from '../../salla/api/token-provider';
import { refreshZidTokens, type ZidOAuthOptions } from './oauth';
import type { ZidStoreTokens } from './zid-api';

export interface ZidTokenProviderOptions extends PlatformTokenProviderOptions {
  /** The app's client id and secret, redirect URI, ZID_OAUTH_URL, timeout, fetch. */
  oauth: ZidOAuthOptions | (() => Promise<ZidOAuthOptions>);
}

export function zidTokenProvider(options: ZidTokenProviderOptions): LockedTokenProvider<ZidStoreTokens> {
  const { oauth, ...rest } = options;
  return new LockedTokenProvider<ZidStoreTokens>({
    ...rest,
    platform: 'zid',
    toToken(stored) {
      // Zid refuses a call without both; the provider turns this into an AUTH error.
      if (!stored.authorization) throw new Error('no authorization token');
      return { managerToken: stored.accessToken, authorization: stored.authorization };
    },
    async refresh(stored, storeId) {
      const client = typeof oauth === 'function' ? await oauth() : oauth;
      const fresh = await refreshZidTokens({ now: options.now, ...client }, { refreshToken: stored.refreshToken, storeId });
      return { accessToken: fresh.accessToken, authorization: fresh.authorization, refreshToken: fresh.refreshToken, expiresAt: fresh.expiresAt };
    },
  });
}
