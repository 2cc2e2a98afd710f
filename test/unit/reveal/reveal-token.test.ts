// Reveal tokens: enough entropy, URL-safe, stored only as a digest, compared in constant time, and
// junk rejected by shape before any lookup.
import { createHash } from 'node:crypto';
import * as fc from 'fast-check';
import {
  REVEAL_TOKEN_BYTES,
  REVEAL_TOKEN_LENGTH,
  generateRevealToken,
  hashRevealToken,
  isRevealTokenFormat,
  sameDigest,
  tokenMatches,
} from '#functions/reveal/reveal-token';

describe('generateRevealToken', () => {
  it('carries at least 128 random bits as unpadded base64url', () => {
    expect(REVEAL_TOKEN_BYTES * 8).toBeGreaterThanOrEqual(128);
    const token = generateRevealToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(token).toHaveLength(REVEAL_TOKEN_LENGTH);
    expect(Buffer.from(token, 'base64url')).toHaveLength(REVEAL_TOKEN_BYTES);
  });

  it('never repeats, and every position takes many values (no fixed or padded character)', () => {
    const tokens = Array.from({ length: 2000 }, generateRevealToken);
    expect(new Set(tokens).size).toBe(tokens.length);
    for (let i = 0; i < REVEAL_TOKEN_LENGTH; i++) {
      expect(new Set(tokens.map((t) => t[i])).size).toBeGreaterThan(50);
    }
  });

  it('uses all 64 characters at about the same rate', () => {
    const counts = new Map<string, number>();
    for (let n = 0; n < 4000; n++) for (const c of generateRevealToken()) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(64);
    const expected = (4000 * REVEAL_TOKEN_LENGTH) / 64;
    for (const count of counts.values()) expect(Math.abs(count - expected) / expected).toBeLessThan(0.2);
  });

  it('passes its own format check', () => {
    for (let i = 0; i < 100; i++) expect(isRevealTokenFormat(generateRevealToken())).toBe(true);
  });
});

describe('isRevealTokenFormat', () => {
  it.each([
    ['empty', ''],
    ['one short', 'A'.repeat(REVEAL_TOKEN_LENGTH - 1)],
    ['one long', 'A'.repeat(REVEAL_TOKEN_LENGTH + 1)],
    ['standard base64 characters', `${'A'.repeat(REVEAL_TOKEN_LENGTH - 2)}+/`],
    ['padding', `${'A'.repeat(REVEAL_TOKEN_LENGTH - 1)}=`],
    ['a path', `../${'A'.repeat(REVEAL_TOKEN_LENGTH - 3)}`],
    ['percent-encoding', `%2F${'A'.repeat(REVEAL_TOKEN_LENGTH - 3)}`],
    ['a trailing newline', `${'A'.repeat(REVEAL_TOKEN_LENGTH)}\n`],
    ['markup', `<script>${'A'.repeat(REVEAL_TOKEN_LENGTH - 8)}`],
  ])('rejects %s', (_what, candidate) => {
    expect(isRevealTokenFormat(candidate)).toBe(false);
  });

  it.each([undefined, null, 42, ['x'], {}])('rejects a non-string (%p)', (candidate) => {
    expect(isRevealTokenFormat(candidate)).toBe(false);
  });

  it('accepts exactly the strings of the right length over the base64url alphabet', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('');
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { minLength: REVEAL_TOKEN_LENGTH, maxLength: REVEAL_TOKEN_LENGTH }), (chars) => {
        expect(isRevealTokenFormat(chars.join(''))).toBe(true);
      }),
    );
  });
});

describe('hashRevealToken', () => {
  it('is the lowercase hex SHA-256 of the token, never the token itself', () => {
    const token = generateRevealToken();
    const digest = hashRevealToken(token);
    expect(digest).toBe(createHash('sha256').update(token).digest('hex'));
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(digest).not.toContain(token);
  });

  it('differs for tokens one character apart', () => {
    const token = generateRevealToken();
    const other = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    expect(hashRevealToken(other)).not.toBe(hashRevealToken(token));
  });
});

describe('sameDigest / tokenMatches', () => {
  const token = generateRevealToken();
  const stored = hashRevealToken(token);

  it('matches the token whose digest was stored', () => {
    expect(tokenMatches(token, stored)).toBe(true);
    expect(sameDigest(stored, hashRevealToken(token))).toBe(true);
  });

  it('refuses any other token', () => {
    fc.assert(
      fc.property(fc.string(), (other) => {
        fc.pre(other !== token);
        expect(tokenMatches(other, stored)).toBe(false);
      }),
    );
  });

  it.each([
    ['empty', ''],
    ['the token instead of its digest', token],
    ['uppercase hex', stored.toUpperCase()],
    ['a truncated digest', stored.slice(0, 63)],
    ['not hex', 'z'.repeat(64)],
  ])('a malformed stored digest (%s) matches nothing, without throwing', (_what, bad) => {
    expect(tokenMatches(token, bad)).toBe(false);
    expect(sameDigest(bad, stored)).toBe(false);
  });
});
