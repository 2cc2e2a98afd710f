// Zod building blocks shared by the Salla and Zid schemas: tolerant of number-vs-string ids.
// zod/mini (functional API) so the webhook bundle carries only the validators used.
import * as z from 'zod/mini';

/** Platform ids arrive as numbers or strings depending on the event and API version: always a string here. */
export const idSchema = z.pipe(
  z.union([z.number().check(z.int(), z.nonnegative()), z.string().check(z.trim(), z.minLength(1), z.maxLength(128))]),
  z.transform((v: number | string) => String(v)),
);

/** A positive whole number; a numeric string ("2") is accepted too. */
export const quantitySchema = z.pipe(
  z.transform((v: unknown) => (typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v)),
  z.number().check(z.int(), z.positive()),
);

/** Optional free text: null, non-strings and blank strings all become undefined instead of failing. */
export const optionalText = z.optional(
  z.pipe(
    z.unknown(),
    z.transform((v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined)),
  ),
);

/** An optional amount: a number or a decimal string ("100.00000000000000"); anything else (null, a word) is undefined. */
export const optionalAmount = z.optional(
  z.pipe(
    z.unknown(),
    z.transform((v) => {
      const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(v) ? Number(v) : NaN;
      return Number.isFinite(n) && n >= 0 ? n : undefined;
    }),
  ),
);

/** A phone number part as Salla/Zid send it (number or string); anything else is dropped. */
export const optionalPhonePart = z.optional(
  z.pipe(
    z.unknown(),
    z.transform((v) => (typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)) ? v : undefined)),
  ),
);

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short machine token from the payload (event name, status slug) safe to put in a log line, else "other". */
export function safeToken(value: unknown): string {
  return typeof value === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(value) ? value : 'other';
}
