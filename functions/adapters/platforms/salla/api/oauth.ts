// Salla OAuth: refreshing a merchant's tokens at https://accounts.salla.sa/oauth2/token. Refresh
// tokens are single-use and rotate: the caller must hold the per-merchant lock around this call and
// save both new tokens before releasing it, or two refreshes kill the chain (INVALID_GRANT).
import { expiryOf, postTokenForm, tokenField, type OAuthEndpointOptions } from '../../shared/oauth-token';
import { optionalText } from '../../shared/schema';

export const SALLA_ACCOUNTS_URL = 'https://accounts.salla.sa';

/** A merchant's tokens, from a refresh or from the Easy Mode `app.store.authorize` event. */
export interface SallaTokens {
  accessToken: string;
  /** Single-use: the next refresh spends it. */
  refreshToken: string;
  /** ISO 8601 (UTC) instant the access token expires. */
  expiresAt: string;
  /** Space-separated scopes, when Salla says (`offline_access` is what gives a refresh token). */
  scope?: string;
}

export interface SallaOAuthOptions {
  clientId: string;
  clientSecret: string;
  /** SALLA_ACCOUNTS_URL. Default https://accounts.salla.sa; the token endpoint is `<it>/oauth2/token`. */
  accountsUrl?: string;
  /** Default 10 000 ms. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

// Salla access tokens live 14 days. Used only when an answer carries neither `expires` nor
// `expires_in`: the old refresh token is already spent then, so throwing would lose the new pair.
const DEFAULT_LIFETIME_SECONDS = 14 * 24 * 3600;

export function sallaTokenUrl(accountsUrl: string = SALLA_ACCOUNTS_URL): string {
  return `${accountsUrl.replace(/\/+$/, '')}/oauth2/token`;
}

/**
 * New tokens for a refresh token. Errors are StoreApiError: `INVALID_GRANT` when the token was
 * already used or revoked (the merchant must reinstall), `UNAVAILABLE` on timeouts, where the old
 * token may or may not have been spent.
 */
export async function refreshSallaTokens(options: SallaOAuthOptions, refresh: { refreshToken: string; storeId?: string }): Promise<SallaTokens> {
  const now = options.now ?? Date.now;
  const what = `salla: refresh token${refresh.storeId ? ` of store ${refresh.storeId}` : ''}`;
  const endpoint: OAuthEndpointOptions = { tokenUrl: sallaTokenUrl(options.accountsUrl), timeoutMs: options.timeoutMs, fetch: options.fetch, now };
  const body = await postTokenForm(what, endpoint, {
    grant_type: 'refresh_token',
    client_id: options.clientId,
    client_secret: options.clientSecret,
    refresh_token: refresh.refreshToken,
  });
  const scope = optionalText.parse(body.scope);
  return {
    accessToken: tokenField(what, body, 'access_token'),
    refreshToken: tokenField(what, body, 'refresh_token'),
    // The brief and our platform research notes: `expires` is an absolute Unix time; RFC 6749 answers `expires_in`.
    expiresAt: expiryOf(body, now(), DEFAULT_LIFETIME_SECONDS) as string,
    ...(scope ? { scope } : {}),
  };
}
