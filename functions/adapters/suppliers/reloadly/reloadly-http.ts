// Secondary adapter (Reloadly), transport side: OAuth2 client-credentials token cache, timeouts and
// the one retry on 401. Knows nothing about orders; reloadly-supplier.ts drives it.
import { ReloadlyCallError, readErrorBody } from './reloadly-errors';

/** Gift card API media type (Reloadly docs and official SDKs send it on every gift card call). */
export const GIFTCARDS_ACCEPT = 'application/com.reloadly.giftcards-v1+json';

export interface ReloadlyHttpOptions {
  clientId: string;
  clientSecret: string;
  /** Token audience: `https://giftcards.reloadly.com` or `https://giftcards-sandbox.reloadly.com`. */
  audience: string;
  baseUrl: string;
  authUrl: string;
  timeoutMs: number;
  fetch: typeof fetch;
  now?: () => number;
}

export interface RequestSpec {
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  /** Words for error messages ("look up ref:1"). Must not contain secrets or code values. */
  op: string;
  /** Applied to the raw text before JSON.parse (keeps long numeric card numbers exact). */
  preParse?: (text: string) => string;
}

interface CachedToken {
  value: string;
  /** Epoch ms after which we fetch a new one (a little before the real expiry). */
  refreshAt: number;
}

/** Reloadly tokens live 60 days (live) / 24 h (sandbox); refresh 5 minutes or 10% of the lifetime early. */
function refreshAt(now: number, expiresInSeconds: number): number {
  const lifeMs = Math.max(0, expiresInSeconds) * 1000;
  return now + lifeMs - Math.min(300_000, lifeMs * 0.1);
}

export class ReloadlyHttp {
  private token?: CachedToken;
  private pendingToken?: Promise<string>;
  private readonly now: () => number;

  constructor(private readonly options: ReloadlyHttpOptions) {
    this.now = options.now ?? Date.now;
  }

  /** JSON answer of a gift card API call. 401/403 refreshes the token once and repeats the call. */
  async call<T>(spec: RequestSpec): Promise<T> {
    const token = await this.accessToken(spec.op);
    try {
      return await this.once<T>(spec, token);
    } catch (err) {
      if (!(err instanceof ReloadlyCallError && (err.status === 401 || err.status === 403))) throw err;
      // A refused token never ran the request, so repeating it (even a POST) cannot double-buy.
      // A second 401/403 is thrown as it is and becomes a fatal AUTH error.
      if (this.token?.value === token) this.token = undefined;
      return this.once<T>(spec, await this.accessToken(spec.op));
    }
  }

  private async once<T>(spec: RequestSpec, token: string): Promise<T> {
    const url = new URL(spec.path.replace(/^\//, ''), this.options.baseUrl.replace(/\/?$/, '/'));
    for (const [key, value] of Object.entries(spec.query ?? {})) url.searchParams.set(key, value);
    const headers: Record<string, string> = { Accept: GIFTCARDS_ACCEPT, Authorization: `Bearer ${token}` };
    if (spec.body !== undefined) headers['Content-Type'] = 'application/json';
    const { status, text } = await this.send(spec.op, url.toString(), {
      method: spec.method,
      headers,
      body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
    });
    if (status < 200 || status >= 300) {
      const { errorCode, message } = readErrorBody(text);
      throw new ReloadlyCallError(spec.op, 'http', status, errorCode, message);
    }
    try {
      return JSON.parse(spec.preParse ? spec.preParse(text) : text) as T;
    } catch {
      throw new ReloadlyCallError(spec.op, 'unreadable', status);
    }
  }

  /** A cached token, or one fetched now. Concurrent callers share one token request. */
  private async accessToken(op: string): Promise<string> {
    if (this.token && this.now() < this.token.refreshAt) return this.token.value;
    this.pendingToken ??= this.fetchToken(op).finally(() => {
      this.pendingToken = undefined;
    });
    return this.pendingToken;
  }

  private async fetchToken(op: string): Promise<string> {
    const what = `get access token (for ${op})`;
    const { status, text } = await this.send(what, this.options.authUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({
        client_id: this.options.clientId,
        client_secret: this.options.clientSecret,
        grant_type: 'client_credentials',
        audience: this.options.audience,
      }),
    });
    if (status < 200 || status >= 300) {
      const { errorCode, message } = readErrorBody(text);
      throw new ReloadlyCallError(what, 'http', status, errorCode, message);
    }
    let body: { access_token?: unknown; expires_in?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new ReloadlyCallError(what, 'unreadable', status);
    }
    if (typeof body.access_token !== 'string' || !body.access_token) throw new ReloadlyCallError(what, 'unreadable', status);
    const expiresIn = Number(body.expires_in);
    this.token = { value: body.access_token, refreshAt: refreshAt(this.now(), Number.isFinite(expiresIn) ? expiresIn : 3600) };
    return this.token.value;
  }

  /** One HTTP exchange with a deadline. Network failures and timeouts become `ReloadlyCallError`s. */
  private async send(op: string, url: string, init: RequestInit): Promise<{ status: number; text: string }> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
    try {
      const response = await this.options.fetch(url, { ...init, signal: controller.signal });
      const text = await response.text();
      return { status: response.status, text };
    } catch {
      throw new ReloadlyCallError(op, controller.signal.aborted ? 'timeout' : 'network');
    } finally {
      clearTimeout(timer);
    }
  }
}
