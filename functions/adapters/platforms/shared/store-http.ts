// Transport of the store API clients (Salla, Zid): deadline per call, the store's token from the
// provider, one retry with a fresh token on 401, the last rate-limit headers per store, and every
// failure as a StoreApiError. Knows nothing about orders; salla/api and zid/api drive it.
import { StoreApiError } from '#core/errors';
import { readRateLimit, type RateLimitState } from './rate-limit';
import { storeApiErrorOf, unavailable } from './store-errors';
import type { StoreTokenProvider } from './store-tokens';

export interface StoreHttpOptions {
  /** `salla` / `zid`: the first word of every error message. */
  platform: string;
  baseUrl: string;
  /** Deadline of one HTTP exchange. Default 10 000 ms. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

export interface StoreCall<Token> {
  method: 'GET' | 'POST';
  /** Relative to the base URL, e.g. `/orders/123`. */
  path: string;
  /** Words for error messages ("get order 123"). Must not contain tokens or bodies. */
  op: string;
  headers(token: Token): Record<string, string>;
  body?: string;
}

export interface StoreAnswer {
  status: number;
  text: string;
  headers: Headers;
}

// Enough for every store of a busy installation; past it the oldest entries go.
const MAX_REMEMBERED_STORES = 5_000;

export class StoreHttp<Token> {
  private readonly limits = new Map<string, RateLimitState>();
  private readonly fetch: typeof fetch;
  private readonly now: () => number;
  private readonly timeoutMs: number;

  constructor(
    private readonly options: StoreHttpOptions,
    private readonly tokens: StoreTokenProvider<Token>,
  ) {
    this.fetch = options.fetch ?? globalThis.fetch;
    this.now = options.now ?? Date.now;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** The 2xx answer of the call; anything else throws a StoreApiError. */
  async call(storeId: string, spec: StoreCall<Token>): Promise<StoreAnswer> {
    const what = this.what(storeId, spec.op);
    let answer = await this.once(storeId, spec, await this.token(storeId, what), what);
    if (answer.status === 401 && this.tokens.invalidate) {
      // A refused token never ran the request, so repeating it (even a POST) cannot act twice.
      this.tokens.invalidate(storeId);
      answer = await this.once(storeId, spec, await this.token(storeId, what), what);
    }
    if (answer.status >= 200 && answer.status < 300) return answer;
    throw storeApiErrorOf(what, answer, this.now());
  }

  /** JSON of a 2xx answer; an unreadable one is a platform glitch, worth retrying. */
  json(storeId: string, op: string, answer: StoreAnswer): unknown {
    try {
      return JSON.parse(answer.text);
    } catch {
      throw unavailable(this.what(storeId, op), 'unreadable answer');
    }
  }

  /** What the last answer for this store said about its quota. */
  rateLimit(storeId: string): RateLimitState | undefined {
    return this.limits.get(storeId);
  }

  what(storeId: string, op: string): string {
    return `${this.options.platform}: ${op} of store ${storeId}`;
  }

  private async token(storeId: string, what: string): Promise<Token> {
    try {
      return await this.tokens.accessToken(storeId);
    } catch (err) {
      if (err instanceof StoreApiError) throw err;
      // The provider's own message may quote what it read; only its name is safe to repeat.
      throw new StoreApiError(`${what}: token provider failed (${err instanceof Error ? err.name : typeof err})`, 'UNAVAILABLE', true);
    }
  }

  private async once(storeId: string, spec: StoreCall<Token>, token: Token, what: string): Promise<StoreAnswer> {
    const url = `${this.options.baseUrl.replace(/\/+$/, '')}/${spec.path.replace(/^\/+/, '')}`;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    try {
      const response = await this.fetch(url, {
        method: spec.method,
        headers: spec.headers(token),
        body: spec.body,
        redirect: 'manual',
        signal: controller.signal,
      });
      const text = await response.text();
      this.remember(storeId, response.headers);
      return { status: response.status, text, headers: response.headers };
    } catch {
      throw unavailable(what, controller.signal.aborted ? 'timeout' : 'network');
    } finally {
      clearTimeout(timer);
    }
  }

  private remember(storeId: string, headers: Headers): void {
    const state = readRateLimit(headers, this.now());
    if (!state) return;
    this.limits.delete(storeId);
    this.limits.set(storeId, state);
    if (this.limits.size > MAX_REMEMBERED_STORES) {
      const oldest = this.limits.keys().next().value;
      if (oldest !== undefined) this.limits.delete(oldest);
    }
  }
}
