// The OAuth token endpoint call shared by Salla and Zid: a form-encoded POST, a deadline, and the
// answer sorted into tokens or a StoreApiError. A refused refresh token (`invalid_grant`) is its own
// kind: the chain is broken and only the merchant re-authorising the app mends it.
import { StoreApiError } from '#core/errors';
import { isRecord } from './schema';
import { errorCodeOf, storeApiErrorOf, unavailable } from './store-errors';

export interface OAuthEndpointOptions {
  /** Full token endpoint URL. */
  tokenUrl: string;
  /** Default 10 000 ms. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

/**
 * True when the token server says the grant itself is dead. `invalid_grant` is the OAuth 2.0 word
 * (RFC 6749 §5.2); Laravel Passport servers answer a revoked refresh token with `invalid_request`
 * and a description naming the refresh token, so that counts too.
 */
function grantRefused(text: string): boolean {
  if (errorCodeOf(text) === 'invalid_grant') return true;
  try {
    const body: unknown = JSON.parse(text);
    if (!isRecord(body) || body.error !== 'invalid_request') return false;
    const said = [body.error_description, body.hint, body.message].filter((v) => typeof v === 'string').join(' ');
    return /refresh token/i.test(said) && /invalid|revoked|expired/i.test(said);
  } catch {
    return false;
  }
}

/** The JSON object of a 2xx token answer. `what` is "salla: refresh token of store 1" (no token in it). */
export async function postTokenForm(what: string, options: OAuthEndpointOptions, fields: Record<string, string>): Promise<Record<string, unknown>> {
  const fetcher = options.fetch ?? globalThis.fetch;
  const now = options.now ?? Date.now;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 10_000);
  let answer: { status: number; text: string; headers: Headers };
  try {
    const response = await fetcher(options.tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual',
      signal: controller.signal,
    });
    answer = { status: response.status, text: await response.text(), headers: response.headers };
  } catch {
    // For a refresh this means "outcome unknown": the server may have rotated the token already.
    throw unavailable(what, controller.signal.aborted ? 'timeout' : 'network');
  } finally {
    clearTimeout(timer);
  }
  if (answer.status < 200 || answer.status >= 300) {
    if (answer.status >= 400 && answer.status < 500 && grantRefused(answer.text)) {
      throw new StoreApiError(`${what}: HTTP ${answer.status} invalid_grant (the merchant must re-authorise the app)`, 'INVALID_GRANT', false);
    }
    throw storeApiErrorOf(what, answer, now());
  }
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    throw unavailable(what, 'unreadable answer');
  }
  if (!isRecord(body)) throw unavailable(what, 'unreadable answer');
  return body;
}

/** A required token string from a token answer, else an unreadable-answer error. */
export function tokenField(what: string, body: Record<string, unknown>, ...names: string[]): string {
  for (const name of names) {
    const value = body[name];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  throw unavailable(what, 'unreadable answer');
}

/** Absolute expiry as ISO 8601: `expires` (epoch seconds) when given, else now + `expires_in` seconds. */
export function expiryOf(body: Record<string, unknown>, nowMs: number, fallbackSeconds?: number): string | undefined {
  const expires = Number(body.expires);
  if (body.expires !== undefined && body.expires !== null && Number.isFinite(expires) && expires > 0) return new Date(expires * 1000).toISOString();
  const expiresIn = Number(body.expires_in);
  if (body.expires_in !== undefined && body.expires_in !== null && Number.isFinite(expiresIn) && expiresIn > 0) {
    return new Date(nowMs + expiresIn * 1000).toISOString();
  }
  return fallbackSeconds === undefined ? undefined : new Date(nowMs + fallbackSeconds * 1000).toISOString();
}
