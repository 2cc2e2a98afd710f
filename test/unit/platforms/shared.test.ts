import { z } from 'zod';
import { toE164 } from '#adapters/platforms/shared/phone';
import { issuePaths } from '#adapters/platforms/shared/issues';
import { pickLocale, recognisedLocale } from '#adapters/platforms/shared/locale';
import { safeEqual } from '#adapters/platforms/shared/timing-safe';

describe('toE164', () => {
  it.each<[string | number | null | undefined, string | number | undefined, string | undefined]>([
    [501806978, '+966', '+966501806978'],
    ['501806978', '+966', '+966501806978'],
    ['0501806978', '+966', '+966501806978'],
    [' 050 180 6978 ', '+966', '+966501806978'],
    ['966501806978', '+966', '+966501806978'],
    ['+966501806978', '+966', '+966501806978'],
    ['00966501806978', undefined, '+966501806978'],
    ['٠٥٠١٨٠٦٩٧٨', '+966', '+966501806978'],
    ['۰۵۰۱۸۰۶۹۷۸', undefined, '+966501806978'],
    [501234567, '+971', '+971501234567'],
    [501234567, '971', '+971501234567'],
    [501234567, 966, '+966501234567'],
    ['1012345678', '+20', '+201012345678'],
    [501806978, undefined, '+966501806978'],
    [501806978, '', '+966501806978'],
    [null, '+966', undefined],
    [undefined, '+966', undefined],
    ['', '+966', undefined],
    ['not a number', '+966', undefined],
    [12, '+966', undefined],
    ['+1234567890123456', undefined, undefined],
    [-501806978, '+966', undefined],
    [5.5, '+966', undefined],
  ])('(%p, %p) → %p', (mobile, code, expected) => {
    expect(toE164(mobile, code)).toBe(expected);
  });
});

describe('locale', () => {
  it.each([
    ['ar', 'ar'],
    ['AR', 'ar'],
    ['ar-SA', 'ar'],
    ['en', 'en'],
    ['en_US', 'en'],
    [' En ', 'en'],
    ['fr', undefined],
    ['arabic', undefined],
    [1, undefined],
    [null, undefined],
  ])('recognisedLocale(%p) → %p', (value, expected) => {
    expect(recognisedLocale(value)).toBe(expected);
  });

  it('pickLocale takes the first recognised candidate', () => {
    expect(pickLocale([undefined, 'fr', 'en', 'ar'], 'ar')).toBe('en');
    expect(pickLocale([undefined, null], 'en')).toBe('en');
  });
});

describe('issuePaths', () => {
  it('names paths and expectations, never inputs', () => {
    const schema = z.object({ a: z.object({ b: z.array(z.number()) }), c: z.string().min(1), d: z.enum(['x', 'y']) });
    const result = schema.safeParse({ a: { b: [1, 'secret-value'] }, c: '', d: 'secret-enum' });
    expect(result.success).toBe(false);
    if (result.success) return;
    const issues = issuePaths(result.error, ['data']);
    expect(issues).toEqual(['data.a.b.1: expected number', 'data.c: must not be empty', 'data.d: invalid value']);
    expect(issues.join()).not.toContain('secret');
  });

  it('names the root', () => {
    const result = z.object({}).safeParse('secret');
    if (result.success) throw new Error('expected failure');
    expect(issuePaths(result.error)).toEqual(['(root): expected object']);
  });
});

describe('safeEqual', () => {
  it('compares bytes of any length', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual('', '')).toBe(true);
    expect(safeEqual(Buffer.from('x'), 'x')).toBe(true);
  });
});
