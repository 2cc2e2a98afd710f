// The rate-limit headers both platforms send (X-RateLimit-Limit / -Remaining / -Reset, Retry-After on
// 429), read the same way everywhere: the write-back queue paces itself with them.

/** What the last answer for a store said about its quota. */
export interface RateLimitState {
  limit?: number;
  remaining?: number;
  /** When the quota is whole again (epoch ms), from `X-RateLimit-Reset`. */
  resetAtMs?: number;
  /** When we read it (epoch ms). */
  seenAtMs: number;
}

// Below this an X-RateLimit-Reset is a number of seconds from now, above it an epoch time: Salla
// documents epoch seconds, other APIs send a delta, and no delta is ever a billion seconds.
const EPOCH_SECONDS_FLOOR = 1_000_000_000;

function nonNegativeNumber(value: string | null): number | undefined {
  if (value === null || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return undefined;
  return Number(value);
}

/** `X-RateLimit-Reset` as epoch ms, when present and numeric. */
function resetAtMs(headers: Headers, nowMs: number): number | undefined {
  const reset = nonNegativeNumber(headers.get('x-ratelimit-reset'));
  if (reset === undefined) return undefined;
  return reset >= EPOCH_SECONDS_FLOOR ? reset * 1000 : nowMs + reset * 1000;
}

export function readRateLimit(headers: Headers, nowMs: number): RateLimitState | undefined {
  const limit = nonNegativeNumber(headers.get('x-ratelimit-limit'));
  const remaining = nonNegativeNumber(headers.get('x-ratelimit-remaining'));
  const reset = resetAtMs(headers, nowMs);
  if (limit === undefined && remaining === undefined && reset === undefined) return undefined;
  return {
    ...(limit !== undefined ? { limit } : {}),
    ...(remaining !== undefined ? { remaining } : {}),
    ...(reset !== undefined ? { resetAtMs: reset } : {}),
    seenAtMs: nowMs,
  };
}

/**
 * Seconds to wait before the next call: `Retry-After` (seconds or an HTTP date), else the time left
 * until `X-RateLimit-Reset`. Undefined when the answer says neither.
 */
export function retryAfterSeconds(headers: Headers, nowMs: number): number | undefined {
  const retryAfter = headers.get('retry-after');
  if (retryAfter !== null) {
    const seconds = nonNegativeNumber(retryAfter);
    if (seconds !== undefined) return Math.ceil(seconds);
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return Math.max(0, Math.ceil((date - nowMs) / 1000));
  }
  const reset = resetAtMs(headers, nowMs);
  return reset === undefined ? undefined : Math.max(0, Math.ceil((reset - nowMs) / 1000));
}
