// Shared by the supplier tests: a ReloadlySupplier wired to a running fake, and a fetch that records
// (and can rewrite) what the adapter sends.
import { ReloadlySupplier, type ReloadlySupplierOptions } from '#adapters/suppliers/reloadly/reloadly-supplier';
import type { FakeReloadly } from '#adapters/suppliers/reloadly/fake/fake-reloadly';

export interface Sent {
  method: string;
  path: string;
  query: URLSearchParams;
  body?: Record<string, unknown>;
}

/** Lets a test answer a request itself; return undefined to let it through to the fake. */
export type Intercept = (sent: Sent, callIndex: number) => Response | undefined | Promise<Response | undefined>;

export function recordingFetch(intercept?: Intercept): { fetch: typeof fetch; sent: Sent[] } {
  const sent: Sent[] = [];
  const wrapped: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : undefined;
    const entry: Sent = { method: init?.method ?? 'GET', path: url.pathname, query: url.searchParams, body };
    sent.push(entry);
    const answer = await intercept?.(entry, sent.length - 1);
    return answer ?? fetch(input, init);
  };
  return { fetch: wrapped, sent };
}

export function supplierFor(fake: FakeReloadly, extra: Partial<ReloadlySupplierOptions> = {}): ReloadlySupplier {
  return new ReloadlySupplier({
    clientId: 'test-client',
    clientSecret: 'test-secret',
    environment: 'sandbox',
    baseUrl: fake.url,
    authUrl: fake.authUrl,
    timeoutMs: 2_000,
    ...extra,
  });
}

export const posts = (sent: Sent[]) => sent.filter((s) => s.method === 'POST' && s.path === '/orders');
