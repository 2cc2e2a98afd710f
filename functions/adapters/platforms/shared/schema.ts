// Zod building blocks shared by the Salla and Zid schemas: tolerant of number-vs-string ids.
import { z } from 'zod';

/** Platform ids arrive as numbers or strings depending on the event and API version: always a string here. */
export const idSchema = z
  .union([z.number().int().nonnegative(), z.string().trim().min(1).max(128)])
  .transform((v) => String(v));

/** A positive whole number; a numeric string ("2") is accepted too. */
export const quantitySchema = z.preprocess(
  (v) => (typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v),
  z.number().int().positive(),
);

/** Optional free text: null, non-strings and blank strings all become undefined instead of failing. */
export const optionalText = z
  .unknown()
  .transform((v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined))
  .optional();

/** A phone number part as Salla/Zid send it (number or string); anything else is dropped. */
export const optionalPhonePart = z
  .unknown()
  .transform((v) => (typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)) ? v : undefined))
  .optional();

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short machine token from the payload (event name, status slug) safe to put in a log line, else "other". */
export function safeToken(value: unknown): string {
  return typeof value === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(value) ? value : 'other';
}
