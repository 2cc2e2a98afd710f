// Local fakes of the store APIs: what the Salla and Zid fakes share beyond the wire — the knobs
// (latency, injected 5xx, rate limit, token lifetime, clock), the counters behind stats(), the
// per-store leaky bucket and the OAuth token memory.
import { seededRandom, type Random } from '#local/fake-random';
import { LeakyBuckets, rateLimitHeaders, type BucketVerdict } from './leaky-bucket';
import { TokenRegistry } from './token-registry';

export interface StoreFakeKnobs {
  /** Default 0: a free port. */
  port?: number;
  /** Delay before every answer, token endpoint included. */
  latencyMs?: number;
  /** 0..1: share of API calls (after auth and rate limit) answered with one of `failureStatuses`. */
  failureRate?: number;
  /** Default [500, 503]. */
  failureStatuses?: number[];
  /** Seeds failure injection. Default 1. */
  seed?: number;
  /** Requests a burst may hold, per store. */
  rateLimit?: number;
  /** Drain of the per-store bucket. */
  leakPerSecond?: number;
  /** Lifetime of issued access tokens. */
  tokenTtlSeconds?: number;
  /** The client the token endpoint accepts; when unset any non-empty pair is accepted. */
  clientId?: string;
  clientSecret?: string;
  /** The fake's clock (tests move it to drain buckets and expire tokens). Default Date.now. */
  now?: () => number;
}

export interface StoreFakeStats {
  /** Requests per endpoint, e.g. `GET /orders/:id`, `POST /oauth2/token`. */
  requests: Record<string, number>;
  /** API requests per authenticated store. */
  requestsByStore: Record<string, number>;
  /** 429s served, in all and per store. */
  rateLimited: number;
  rateLimitedByStore: Record<string, number>;
  /** 401s served. */
  unauthorized: number;
  injectedFailures: number;
  statusChanges: number;
  tokensIssued: number;
  refreshes: number;
  invalidGrants: number;
}

export interface StatusChange {
  /** ISO 8601 time the fake received it. */
  at: string;
  storeId: string;
  orderId: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  /** The raw body and its fields (form or JSON). */
  rawBody: string;
  body: Record<string, unknown>;
}

export class FakeRuntime {
  readonly buckets: LeakyBuckets;
  readonly tokens: TokenRegistry;
  readonly changes: StatusChange[] = [];
  private random: Random;
  private readonly counters = { rateLimited: 0, unauthorized: 0, injectedFailures: 0, tokensIssued: 0, refreshes: 0, invalidGrants: 0 };
  private readonly requests: Record<string, number> = {};
  private readonly requestsByStore: Record<string, number> = {};
  private readonly rateLimitedByStore: Record<string, number> = {};

  constructor(
    public knobs: StoreFakeKnobs,
    defaults: { rateLimit: number; leakPerSecond: number; tokenTtlSeconds: number; tokenPrefix: string; withAuthorization: boolean },
  ) {
    const now = () => (this.knobs.now ?? Date.now)();
    this.knobs = { rateLimit: defaults.rateLimit, leakPerSecond: defaults.leakPerSecond, tokenTtlSeconds: defaults.tokenTtlSeconds, ...knobs };
    this.random = seededRandom(this.knobs.seed ?? 1);
    this.buckets = new LeakyBuckets({ capacity: this.knobs.rateLimit as number, leakPerSecond: this.knobs.leakPerSecond as number, now });
    this.tokens = new TokenRegistry({ prefix: defaults.tokenPrefix, ttlSeconds: this.knobs.tokenTtlSeconds as number, withAuthorization: defaults.withAuthorization, now });
  }

  setKnobs(partial: Partial<StoreFakeKnobs>): void {
    this.knobs = { ...this.knobs, ...partial };
    if (partial.seed !== undefined) this.random = seededRandom(partial.seed);
    if (partial.rateLimit !== undefined || partial.leakPerSecond !== undefined) {
      this.buckets.setOptions({ capacity: this.knobs.rateLimit, leakPerSecond: this.knobs.leakPerSecond });
    }
    if (partial.tokenTtlSeconds !== undefined) this.tokens.setTtl(partial.tokenTtlSeconds);
  }

  now(): number {
    return (this.knobs.now ?? Date.now)();
  }

  async delay(): Promise<void> {
    if (this.knobs.latencyMs) await new Promise((resolve) => setTimeout(resolve, this.knobs.latencyMs));
  }

  count(endpoint: string): void {
    this.requests[endpoint] = (this.requests[endpoint] ?? 0) + 1;
  }

  /** The client the token endpoint accepts. */
  clientOk(clientId: unknown, clientSecret: unknown): boolean {
    if (typeof clientId !== 'string' || typeof clientSecret !== 'string' || !clientId || !clientSecret) return false;
    return (this.knobs.clientId === undefined || clientId === this.knobs.clientId) && (this.knobs.clientSecret === undefined || clientSecret === this.knobs.clientSecret);
  }

  /** Counts an authenticated API request against its store's bucket; the headers go on the answer. */
  admit(storeId: string): { verdict: BucketVerdict; headers: Record<string, string> } {
    this.requestsByStore[storeId] = (this.requestsByStore[storeId] ?? 0) + 1;
    const verdict = this.buckets.take(storeId);
    if (!verdict.allowed) {
      this.counters.rateLimited += 1;
      this.rateLimitedByStore[storeId] = (this.rateLimitedByStore[storeId] ?? 0) + 1;
    }
    return { verdict, headers: rateLimitHeaders(verdict) };
  }

  /** A 5xx status to answer instead of doing the work, per `failureRate`. */
  injectedFailure(): number | undefined {
    const rate = this.knobs.failureRate ?? 0;
    if (rate <= 0 || this.random() >= rate) return undefined;
    this.counters.injectedFailures += 1;
    const statuses = this.knobs.failureStatuses?.length ? this.knobs.failureStatuses : [500, 503];
    return statuses[Math.floor(this.random() * statuses.length)];
  }

  note(event: 'unauthorized' | 'tokensIssued' | 'refreshes' | 'invalidGrants'): void {
    this.counters[event] += 1;
  }

  record(change: Omit<StatusChange, 'at'>): void {
    this.changes.push({ at: new Date(this.now()).toISOString(), ...change });
  }

  stats(): StoreFakeStats {
    return {
      ...this.counters,
      requests: { ...this.requests },
      requestsByStore: { ...this.requestsByStore },
      rateLimitedByStore: { ...this.rateLimitedByStore },
      statusChanges: this.changes.length,
    };
  }
}
