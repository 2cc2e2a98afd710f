// A stand-in for the reveal route, over node:http, for the browser tests: it issues links the way
// delivery will (the token in the link, its SHA-256 in the store), answers a GET with the page with the
// button and reveals once to a POST, expires on a clock the test moves, and throttles after a few misses. The real store and route live elsewhere; this
// one only has to drive the page through its states with the production renderer and token helpers.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Locale } from '#core/model';
import { localeFromAcceptLanguage } from '#functions/reveal/pick-locale';
import { renderRevealPage, type RevealContent, type RevealView } from '#functions/reveal/render-page';
import { generateRevealToken, hashRevealToken, isRevealTokenFormat } from '#functions/reveal/reveal-token';

interface Entry {
  content: RevealContent;
  storeName?: string;
  locale: Locale;
  expiresAt: number;
  revealed: boolean;
}

export interface RevealServer {
  url: string;
  /** A one-time link for `content`, valid for `ttlMs` of the server's clock. */
  issue(content: RevealContent, locale: Locale, options?: { ttlMs?: number; storeName?: string }): string;
  /** Moves the server's clock forward (link expiry). */
  advance(ms: number): void;
  /** Forgets the misses counted so far (the throttle window passing). */
  resetThrottle(): void;
  /** Requests seen so far, by method (GET, POST). */
  requests(method: string): number;
  stop(): Promise<void>;
}

export const MISSES_BEFORE_THROTTLE = 3;

export async function startRevealServer(): Promise<RevealServer> {
  const store = new Map<string, Entry>();
  let now = Date.now();
  let misses = 0;
  const seen = new Map<string, number>();

  const decide = (token: string, method: string): { view: RevealView; locale?: Locale } => {
    if (misses >= MISSES_BEFORE_THROTTLE) return { view: { state: 'TOO_MANY_REQUESTS', retryAfterSeconds: 60 } };
    const entry = isRevealTokenFormat(token) ? store.get(hashRevealToken(token)) : undefined;
    if (!entry) {
      misses += 1;
      return { view: { state: 'NOT_FOUND' } };
    }
    const closed = { orderReference: entry.content.orderReference, storeName: entry.storeName };
    if (entry.revealed) return { view: { state: 'ALREADY_REVEALED', ...closed }, locale: entry.locale };
    if (now >= entry.expiresAt) return { view: { state: 'EXPIRED', ...closed }, locale: entry.locale };
    // Opening the link only looks; the page's button posts to show the code.
    if (method !== 'POST') return { view: { state: 'CONFIRM', orderReference: entry.content.orderReference, productName: entry.content.productName }, locale: entry.locale };
    entry.revealed = true;
    return { view: { state: 'REVEAL', ...entry.content }, locale: entry.locale };
  };

  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const token = path.startsWith('/c/') ? path.slice(3) : '';
    const method = req.method ?? 'GET';
    seen.set(method, (seen.get(method) ?? 0) + 1);
    req.resume();
    const { view, locale } = decide(token, method);
    const page = renderRevealPage(view, locale ?? localeFromAcceptLanguage(req.headers['accept-language']));
    res.writeHead(page.statusCode, page.headers).end(page.body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    issue(content, locale, options = {}) {
      const token = generateRevealToken();
      store.set(hashRevealToken(token), { content, locale, storeName: options.storeName, expiresAt: now + (options.ttlMs ?? 86_400_000), revealed: false });
      return `${url}/c/${token}`;
    },
    advance(ms) {
      now += ms;
    },
    resetThrottle() {
      misses = 0;
    },
    requests(method) {
      return seen.get(method) ?? 0;
    },
    async stop() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
