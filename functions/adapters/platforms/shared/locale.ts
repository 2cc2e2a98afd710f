import type { Locale } from '#core/model';

/** `ar`, `ar-SA`, `AR`, `en_US`... to one of the two locales we write messages in; else undefined. */
export function recognisedLocale(value: unknown): Locale | undefined {
  if (typeof value !== 'string') return undefined;
  const v = value.trim().toLowerCase();
  if (v === 'ar' || v.startsWith('ar-') || v.startsWith('ar_')) return 'ar';
  if (v === 'en' || v.startsWith('en-') || v.startsWith('en_')) return 'en';
  return undefined;
}

/** The first of `candidates` that names a supported locale, else `fallback`. */
export function pickLocale(candidates: unknown[], fallback: Locale): Locale {
  for (const candidate of candidates) {
    const locale = recognisedLocale(candidate);
    if (locale) return locale;
  }
  return fallback;
}
