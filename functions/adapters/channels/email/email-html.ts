// The HTML part of a customer e-mail: the same lines as the text part, one paragraph each, with inline
// styles only (mail clients drop <style> blocks) and the page direction of the order's language.
import type { Locale } from '#core/model';

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Every interpolated value goes through this: names, product names and codes are not ours to trust. */
export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (c) => ENTITIES[c]!);

const DIRECTION: Readonly<Record<Locale, { dir: 'rtl' | 'ltr'; align: 'right' | 'left' }>> = {
  ar: { dir: 'rtl', align: 'right' },
  en: { dir: 'ltr', align: 'left' },
};

export function renderEmailHtml(locale: Locale, subject: string, lines: readonly string[]): string {
  const { dir, align } = DIRECTION[locale];
  const paragraphs = lines.map((line) => `<p style="margin:0 0 12px 0">${escapeHtml(line)}</p>`).join('\n');
  return [
    '<!doctype html>',
    `<html dir="${dir}" lang="${locale}">`,
    `<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="margin:0;padding:24px;background-color:#f4f5f7;font-family:Tahoma,Arial,sans-serif;color:#1f2933">',
    `<div dir="${dir}" style="max-width:560px;margin:0 auto;padding:24px;background-color:#ffffff;border-radius:8px;font-size:16px;line-height:1.6;text-align:${align}">`,
    paragraphs,
    '</div>',
    '</body>',
    '</html>',
  ].join('\n');
}
