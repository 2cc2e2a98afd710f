// Shared by the store API client tests: a fetch that records (and can answer) what a client sends,
// a clock the tests move, a token provider in memory, and the check that no error carries a secret.
import { StoreApiError } from '#core/errors';

export interface SentRequest {
  method: string;
  url: URL;
  /** Lower-case names. */
  headers: Record<string, string>;
  body?: string;
}

/** Lets a test answer a request itself; return undefined to let it through to the fake. */
export type Intercept = (sent: SentRequest, index: number) => Response | undefined | Promise<Response | undefined>;

export function recordingFetch(intercept?: Intercept): { fetch: typeof fetch; sent: SentRequest[] } {
  const sent: SentRequest[] = [];
  const wrapped: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, name) => (headers[name] = value));
    const entry: SentRequest = { method: init?.method ?? 'GET', url, headers, ...(typeof init?.body === 'string' ? { body: init.body } : {}) };
    sent.push(entry);
    return (await intercept?.(entry, sent.length - 1)) ?? fetch(input, init);
  };
  return { fetch: wrapped, sent };
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

/** A clock both the fake and the client read; tests move it instead of sleeping. */
export function testClock(startMs = Date.UTC(2026, 0, 15, 9, 0, 0)): { now: () => number; advance(ms: number): void } {
  let now = startMs;
  return { now: () => now, advance: (ms) => (now += ms) };
}

/** A token provider over a map; `fresh` is asked for a new token after an invalidate. */
export function memoryTokens<T>(initial: Record<string, T>, fresh?: (storeId: string) => Promise<T> | T) {
  const current = new Map(Object.entries(initial));
  const calls = { accessToken: 0, invalidate: 0 };
  return {
    calls,
    accessToken: async (storeId: string): Promise<T> => {
      calls.accessToken += 1;
      const token = current.get(storeId) ?? (fresh ? await fresh(storeId) : undefined);
      if (token === undefined) throw new Error(`no token for ${storeId}`);
      current.set(storeId, token);
      return token;
    },
    invalidate: (storeId: string): void => {
      calls.invalidate += 1;
      current.delete(storeId);
    },
  };
}

/** The StoreApiError `promise` rejects with; fails the test on anything else. */
export async function storeErrorFrom(promise: Promise<unknown>): Promise<StoreApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof StoreApiError) return error;
    throw error;
  }
  throw new Error('expected a StoreApiError, but the call succeeded');
}

/** Everything an error could carry into a log line. */
export function serialised(error: Error): string {
  return [error.message, error.name, String(error.stack), JSON.stringify(error)].join('\n');
}

/** Collects errors during a test file; `leaks` lists the secrets found in any of them. */
export function errorLog() {
  const errors: Error[] = [];
  return {
    keep<E extends Error>(error: E): E {
      errors.push(error);
      return error;
    },
    count: () => errors.length,
    leaks(secrets: Iterable<string>): string[] {
      const text = errors.map(serialised).join('\n');
      return [...new Set(secrets)].filter((s) => s.length >= 8 && text.includes(s));
    },
  };
}
