// Reveal-link tokens. The link carries the token; the table keeps only its SHA-256, so a leaked table
// read (backup, export, log of an item) opens no code page.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 18 bytes = 144 bits: above the 128 the guessing budget needs, and a multiple of 3, so base64url has no padding and every character is random. */
export const REVEAL_TOKEN_BYTES = 18;
export const REVEAL_TOKEN_LENGTH = (REVEAL_TOKEN_BYTES / 3) * 4;

const TOKEN_FORMAT = new RegExp(`^[A-Za-z0-9_-]{${REVEAL_TOKEN_LENGTH}}$`);
const DIGEST_FORMAT = /^[0-9a-f]{64}$/;

export function generateRevealToken(): string {
  return randomBytes(REVEAL_TOKEN_BYTES).toString('base64url');
}

/**
 * Rejects what cannot be a token before any lookup, so junk paths cost no table read. It is not a
 * secret check: a well-formed wrong token still gets the same NOT_FOUND as a malformed one.
 */
export function isRevealTokenFormat(candidate: unknown): candidate is string {
  return typeof candidate === 'string' && TOKEN_FORMAT.test(candidate);
}

/** The stored form (and lookup key): lowercase hex SHA-256 of the token. */
export function hashRevealToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Compares two hex digests in time independent of where they differ. Both sides are fixed-length
 * digests, so a length mismatch means a malformed input and can return early without leaking.
 */
export function sameDigest(a: string, b: string): boolean {
  if (!DIGEST_FORMAT.test(a) || !DIGEST_FORMAT.test(b)) return false;
  return timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));
}

/** Whether `token` is the one whose digest was stored. */
export function tokenMatches(token: string, storedDigest: string): boolean {
  return sameDigest(hashRevealToken(token), storedDigest);
}
