// Constant-time comparison of secrets of any length (webhook tokens, Basic Auth credentials).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

// Per-process key: both sides are reduced to 32-byte HMACs before comparing, so neither the
// length nor the content of the expected secret influences the timing of the comparison.
const COMPARE_KEY = randomBytes(32);

const digest = (value: string | Buffer): Buffer => createHmac('sha256', COMPARE_KEY).update(value).digest();

/** True when `a` and `b` hold the same bytes. Timing does not depend on where they differ or on their lengths. */
export function safeEqual(a: string | Buffer, b: string | Buffer): boolean {
  return timingSafeEqual(digest(a), digest(b));
}
