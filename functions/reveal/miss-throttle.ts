// Misses per source address, counted in one container: after `limit` lookups that found nothing within
// `windowSeconds`, that address is turned away until the oldest of them ages out. Only misses count,
// so a customer reloading a real link is never slowed down.
export interface MissThrottleOptions {
  limit: number;
  windowSeconds: number;
  /** Addresses tracked at once; past it the stalest are forgotten, so a flood cannot grow memory. @default 10_000 */
  maxKeys?: number;
}

export class MissThrottle {
  /** Times of recent misses per address, oldest first; Map order is least recently missed first. */
  private readonly misses = new Map<string, number[]>();
  private readonly windowMs: number;
  private readonly maxKeys: number;

  constructor(private readonly options: MissThrottleOptions) {
    this.windowMs = options.windowSeconds * 1000;
    this.maxKeys = options.maxKeys ?? 10_000;
  }

  /** Seconds until `key` may look up again, or undefined when it may now. */
  retryAfterSeconds(key: string, nowMs: number): number | undefined {
    const recent = this.recent(key, nowMs);
    if (recent.length < this.options.limit) return undefined;
    return Math.max(1, Math.ceil((recent[recent.length - this.options.limit] + this.windowMs - nowMs) / 1000));
  }

  recordMiss(key: string, nowMs: number): void {
    const recent = this.recent(key, nowMs);
    recent.push(nowMs);
    this.misses.delete(key);
    this.misses.set(key, recent.slice(-this.options.limit));
    for (const stalest of this.misses.keys()) {
      if (this.misses.size <= this.maxKeys) break;
      this.misses.delete(stalest);
    }
  }

  private recent(key: string, nowMs: number): number[] {
    const recent = (this.misses.get(key) ?? []).filter((at) => at > nowMs - this.windowMs);
    if (recent.length === 0) this.misses.delete(key);
    return recent;
  }
}
