// Secondary adapter (EZ PIN), transport side: the access token cache, timeouts and the one retry on
// 401. Knows nothing about orders; ezpin-supplier.ts drives it.
import { EzpinCallError, readErrorBody } from './ezpin-errors';

export interface EzpinHttpOptions {
  clientId: string;
  secretKey: string;
  /** `https://api.ezpaypin.com/vendors/v2` or an override; paths are appended with their trailing slash. */
  baseUrl: string;
  timeoutMs: number;
  fetch: typeof fetch;
  now?: () => number;
}

export interface RequestSpec {
  method: 'GET' | 'POST';
  /** With EZ PIN's trailing slash: `/orders/`. */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  /** Words for error messages ("look up r:1 (3f2a…)"). Must not contain secrets or code values. */
  op: string;
  /** Applied to the raw text before JSON.parse (keeps long numeric card numbers exact). */
  preParse?: (text: string) => string;
  /** The answer may hold card values: an error keeps EZ PIN's code but never its text. */
  sensitive?: boolean;
}

interface CachedToken {
  value: string;
  /** Epoch ms after which we fetch a new one (a little before the real expiry). */
  refreshAt: number;
}

/** Assumed when `expire` is missing or unreadable: the OpenAPI example is 312 645 ms, about five minutes. */
const DEFAULT_LIFETIME_MS = 300_000;

/**
 * How long a token lives. `expire` is documented as "Token expire time in (ms)": a duration. A value
 * that can only be an epoch (after 2001 in ms) is read as the moment of expiry instead.
 */
export function tokenLifetimeMs(expire: unknown, now: number): number {
  const value = typeof expire === 'string' ? Number(expire) : expire;
  if (typeof value !== 'number' || !Number.isFinite(value)) return DEFAULT_LIFETIME_MS;
  return Math.max(0, value > 1e12 ? value - now : value);
}

/** Refresh a minute early, or a tenth of the lifetime for short-lived tokens. */
const refreshAt = (now: number, lifeMs: number) => now + lifeMs - Math.min(60_000, lifeMs * 0.1);

export class EzpinHttp {
  private token?: CachedToken;
  private pendingToken?: Promise<string>;
  private readonly now: () => number;

  constructor(private readonly options: EzpinHttpOptions) {
    this.now = options.now ?? Date.now;
  }

  /** JSON answer of an API call. A 401/403 drops the token, fetches a new one and repeats the call once. */
  async call<T>(spec: RequestSpec): Promise<T> {
    const token = await this.accessToken(spec.op);
    try {
      return await this.once<T>(spec, token);
    } catch (err) {
      if (!(err instanceof EzpinCallError && err.failure === 'http' && (err.status === 401 || err.status === 403))) throw err;
      // A refused token never ran the request, so repeating it (even a POST) cannot double-buy.
      // A second refusal is thrown as it is and becomes a fatal AUTH error.
      if (this.token?.value === token) this.token = undefined;
      return this.once<T>(spec, await this.accessToken(spec.op));
    }
  }

  private async once<T>(spec: RequestSpec, token: string): Promise<T> {
    const url = new URL(spec.path.replace(/^\//, ''), this.options.baseUrl.replace(/\/?$/, '/'));
    for (const [key, value] of Object.entries(spec.query ?? {})) url.searchParams.set(key, value);
    const headers: Record<string, string> = { Accept: 'application/json', Authorization: `Bearer ${token}` };
    if (spec.body !== undefined) headers['Content-Type'] = 'application/json';
    const { status, text } = await this.send(spec.op, 'api', url.toString(), {
      method: spec.method,
      headers,
      body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
    });
    if (status < 200 || status >= 300) {
      const { code, detail } = readErrorBody(text);
      throw new EzpinCallError(spec.op, 'http', 'api', status, code, spec.sensitive ? undefined : detail);
    }
    try {
      return JSON.parse(spec.preParse ? spec.preParse(text) : text) as T;
    } catch {
      throw new EzpinCallError(spec.op, 'unreadable', 'api', status);
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
    const url = new URL('auth/token/', this.options.baseUrl.replace(/\/?$/, '/')).toString();
    const { status, text } = await this.send(what, 'token', url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ client_id: this.options.clientId, secret_key: this.options.secretKey }),
    });
    if (status < 200 || status >= 300) {
      const { code, detail } = readErrorBody(text);
      throw new EzpinCallError(what, 'http', 'token', status, code, detail);
    }
    let body: { access?: unknown; expire?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new EzpinCallError(what, 'unreadable', 'token', status);
    }
    if (typeof body?.access !== 'string' || !body.access) throw new EzpinCallError(what, 'unreadable', 'token', status);
    const now = this.now();
    this.token = { value: body.access, refreshAt: refreshAt(now, tokenLifetimeMs(body.expire, now)) };
    return this.token.value;
  }

  /** One HTTP exchange with a deadline. Network failures and timeouts become `EzpinCallError`s. */
  private async send(op: string, stage: 'token' | 'api', url: string, init: RequestInit): Promise<{ status: number; text: string }> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
    try {
      const response = await this.options.fetch(url, { ...init, signal: controller.signal });
      const text = await response.text();
      return { status: response.status, text };
    } catch {
      throw new EzpinCallError(op, controller.signal.aborted ? 'timeout' : 'network', stage);
    } finally {
      clearTimeout(timer);
    }
  }
}
