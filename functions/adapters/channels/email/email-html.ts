// The HTML part of a customer e-mail: the same lines as the text part, one paragraph each (a reveal link
// as a button), with inline styles only (mail clients drop <style> blocks) and the page direction of the
// order's language.
import type { Locale } from '#core/model';

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Every interpolated value goes through this: names, product names and codes are not ours to trust. */
export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (c) => ENTITIES[c]!);

const DIRECTION: Readonly<Record<Locale, { dir: 'rtl' | 'ltr'; align: 'right' | 'left' }>> = {
  ar: { dir: 'rtl', align: 'right' },
  en: { dir: 'ltr', align: 'left' },
};

const paragraph = (text: string) => `<p style="margin:0 0 12px 0">${escapeHtml(text)}</p>`;

/** The URL as an href, or undefined for anything but http(s): `javascript:`, `data:` or junk must not become a link. */
function linkTarget(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

// The button is an inline-block anchor, which every mail client renders as a box. The URL follows as
// text for clients that strip links; it is left-to-right, so an Arabic page cannot reorder it.
function linkBlock(url: string, label: string): string {
  const shown = `<p dir="ltr" style="margin:0 0 12px 0;font-size:13px;color:#52606d;word-break:break-all">${escapeHtml(url)}</p>`;
  const href = linkTarget(url);
  if (!href) return shown;
  const button = `<a href="${escapeHtml(href)}" style="display:inline-block;padding:12px 24px;background-color:#0b5cad;color:#ffffff;text-decoration:none;border-radius:6px;font-weight:bold">${escapeHtml(label)}</a>`;
  return `<p style="margin:16px 0">${button}</p>\n${shown}`;
}

/** `link` (from composeText) names the line that is the reveal URL: it becomes a button. */
export function renderEmailHtml(locale: Locale, subject: string, lines: readonly string[], link?: { line: number; label: string }): string {
  const { dir, align } = DIRECTION[locale];
  const paragraphs = lines.map((line, i) => (i === link?.line ? linkBlock(line, link.label) : paragraph(line))).join('\n');
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
