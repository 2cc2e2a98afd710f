// The page language before any order is known: the browser's preference between ar and en, else Arabic.
import { localeFromAcceptLanguage } from '#functions/reveal/pick-locale';

describe('localeFromAcceptLanguage', () => {
  it.each([
    [undefined, 'ar'],
    ['', 'ar'],
    ['en-US,en;q=0.9', 'en'],
    ['ar-SA,ar;q=0.9,en;q=0.8', 'ar'],
    ['fr-FR,fr;q=0.9,en;q=0.5,ar;q=0.4', 'en'],
    ['en;q=0.3, ar;q=0.7', 'ar'],
    ['ar;q=0, en', 'en'],
    ['fr, de', 'ar'],
    ['EN-gb', 'en'],
    ['en;q=abc, ar;q=0.1', 'ar'],
  ] as const)('%p → %s', (header, locale) => {
    expect(localeFromAcceptLanguage(header)).toBe(locale);
  });

  it('falls back to the given locale', () => {
    expect(localeFromAcceptLanguage('fr', 'en')).toBe('en');
  });
});
