// Local fakes of the store APIs: a leaky bucket per store, as Salla and Zid document their limits.
// Each request pours one unit in; the bucket drains `leakPerSecond`; a request that would overflow
// `capacity` is refused. No HTTP here: the fakes turn a verdict into headers.

export interface BucketOptions {
  /** Requests a full burst may hold (X-RateLimit-Limit). */
  capacity: number;
  /** Units drained per second: the sustained rate once the burst is spent. */
  leakPerSecond: number;
  now: () => number;
}

export interface BucketVerdict {
  allowed: boolean;
  limit: number;
  /** Requests that would still be admitted right now. */
  remaining: number;
  /** Epoch seconds when the bucket is empty again (X-RateLimit-Reset). */
  resetEpochSeconds: number;
  /** Refused requests: whole seconds until one request fits (Retry-After, at least 1). */
  retryAfterSeconds?: number;
}

// Floating drain arithmetic must not refuse a request that fits exactly.
const EPSILON = 1e-9;

export class LeakyBuckets {
  private readonly levels = new Map<string, { level: number; at: number }>();

  constructor(private options: BucketOptions) {
    check(options);
  }

  setOptions(partial: Partial<Omit<BucketOptions, 'now'>>): void {
    const next = { ...this.options, ...partial };
    check(next);
    this.options = next;
  }

  /** One request for `key`: admitted (and counted) or refused (not counted). */
  take(key: string): BucketVerdict {
    const { capacity, leakPerSecond } = this.options;
    const now = this.options.now();
    const last = this.levels.get(key);
    const drained = last ? Math.max(0, last.level - ((now - last.at) / 1000) * leakPerSecond) : 0;
    const allowed = drained + 1 <= capacity + EPSILON;
    const level = allowed ? drained + 1 : drained;
    this.levels.set(key, { level, at: now });
    return {
      allowed,
      limit: capacity,
      remaining: Math.max(0, Math.floor(capacity - level + EPSILON)),
      resetEpochSeconds: Math.ceil((now + (level / leakPerSecond) * 1000) / 1000),
      ...(allowed ? {} : { retryAfterSeconds: Math.max(1, Math.ceil((drained + 1 - capacity) / leakPerSecond - EPSILON)) }),
    };
  }
}

function check(options: BucketOptions): void {
  if (!(options.capacity >= 1) || !(options.leakPerSecond > 0)) throw new Error('rate limit needs capacity >= 1 and leakPerSecond > 0');
}

/** The headers every answer for a known store carries, and Retry-After on a refusal. */
export function rateLimitHeaders(verdict: BucketVerdict): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(verdict.limit),
    'X-RateLimit-Remaining': String(verdict.remaining),
    'X-RateLimit-Reset': String(verdict.resetEpochSeconds),
    ...(verdict.retryAfterSeconds !== undefined ? { 'Retry-After': String(verdict.retryAfterSeconds) } : {}),
  };
}
