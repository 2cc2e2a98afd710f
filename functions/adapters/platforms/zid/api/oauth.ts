// Zid OAuth at https://oauth.zid.sa/oauth/token: the authorization_code exchange after install and
// the refresh_token grant. Each answer carries two tokens the API needs together: `access_token`
// (X-Manager-Token) and `authorization` (Authorization: Bearer).
import { expiryOf, postTokenForm, tokenField, type OAuthEndpointOptions } from '../../shared/oauth-token';

export const ZID_OAUTH_URL = 'https://oauth.zid.sa';

export interface ZidTokens {
  /** The manager token (`X-Manager-Token`). */
  accessToken: string;
  /** The authorization token (`Authorization: Bearer …`). */
  authorization: string;
  refreshToken: string;
  /** ISO 8601 (UTC) instant the tokens expire (`expires_in`, about a year). */
  expiresAt: string;
}

export interface ZidOAuthOptions {
  clientId: string;
  clientSecret: string;
  /** The redirect URI registered for the app: required by the code exchange, sent on refresh too (zidsa/sdk-python does). */
  redirectUri?: string;
  /** ZID_OAUTH_URL. Default https://oauth.zid.sa; the token endpoint is `<it>/oauth/token`. */
  oauthUrl?: string;
  /** Default 10 000 ms. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

// Zid documents about a year; used only when an answer omits `expires_in`, because the refresh token
// is already spent then and throwing would lose the new tokens.
const DEFAULT_LIFETIME_SECONDS = 365 * 24 * 3600;

export function zidTokenUrl(oauthUrl: string = ZID_OAUTH_URL): string {
  return `${oauthUrl.replace(/\/+$/, '')}/oauth/token`;
}

async function tokenGrant(options: ZidOAuthOptions, what: string, fields: Record<string, string>): Promise<ZidTokens> {
  const now = options.now ?? Date.now;
  const endpoint: OAuthEndpointOptions = { tokenUrl: zidTokenUrl(options.oauthUrl), timeoutMs: options.timeoutMs, fetch: options.fetch, now };
  const body = await postTokenForm(what, endpoint, {
    client_id: options.clientId,
    client_secret: options.clientSecret,
    ...(options.redirectUri ? { redirect_uri: options.redirectUri } : {}),
    ...fields,
  });
  return {
    accessToken: tokenField(what, body, 'access_token'),
    // zidsa/sdk-python reads `authorization`, falling back to `Authorization`.
    authorization: tokenField(what, body, 'authorization', 'Authorization'),
    refreshToken: tokenField(what, body, 'refresh_token'),
    expiresAt: expiryOf(body, now(), DEFAULT_LIFETIME_SECONDS) as string,
  };
}

/** Tokens for the `code` Zid sent to the redirect URI. A used or expired code is INVALID_GRANT. */
export function exchangeZidCode(options: ZidOAuthOptions, code: string): Promise<ZidTokens> {
  return tokenGrant(options, 'zid: exchange authorization code', { grant_type: 'authorization_code', code });
}

/**
 * New tokens for a refresh token. Treated as single-use, like Salla's: hold the per-merchant lock
 * and save all three new tokens before releasing it. A refused token is INVALID_GRANT.
 */
export function refreshZidTokens(options: ZidOAuthOptions, refresh: { refreshToken: string; storeId?: string }): Promise<ZidTokens> {
  const what = `zid: refresh token${refresh.storeId ? ` of store ${refresh.storeId}` : ''}`;
  return tokenGrant(options, what, { grant_type: 'refresh_token', refresh_token: refresh.refreshToken });
}
