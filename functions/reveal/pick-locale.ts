// The page's language when no order says it (NOT_FOUND, TOO_MANY_REQUESTS come before any lookup
// succeeds): the browser's first preference between the two we have, else Arabic, the stores' default.
import type { Locale } from '#core/model';

export function localeFromAcceptLanguage(header: string | undefined, fallback: Locale = 'ar'): Locale {
  if (!header) return fallback;
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((s) => s.trim()).find((s) => s.startsWith('q='));
      return { lang: tag.split('-')[0], q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((entry) => (entry.lang === 'ar' || entry.lang === 'en') && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return (ranked[0]?.lang as Locale | undefined) ?? fallback;
}
