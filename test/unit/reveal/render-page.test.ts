// The reveal page as HTML and headers: every state in both languages, hostile values escaped, the
// CSP hashes equal to the blocks actually emitted, and no code material outside the REVEAL state (the
// CONFIRM page, which a GET answers, has only its button).
import { createHash } from 'node:crypto';
import * as fc from 'fast-check';
import type { Locale } from '#core/model';
import { phrasesFor } from '#core/texts/compose';
import { PAGE_SCRIPT, PAGE_STYLE, SHOW_SCRIPT, contentSecurityPolicy } from '#functions/reveal/page-assets';
import { renderRevealPage, type RevealResponse, type RevealView } from '#functions/reveal/render-page';

const LOCALES: Locale[] = ['ar', 'en'];
const code = { code: 'GC-7Q2X-99LM', pin: '4821', serial: 'SN-000123', expiresAt: '2026-12-31T23:59:59Z' };
const reveal: RevealView = { state: 'REVEAL', orderReference: 'R-1001', productName: 'iTunes 50', code };
const confirm: RevealView = { state: 'CONFIRM', orderReference: 'R-1001', productName: 'iTunes 50' };
const VIEWS: Record<RevealView['state'], RevealView> = {
  CONFIRM: confirm,
  REVEAL: reveal,
  ALREADY_REVEALED: { state: 'ALREADY_REVEALED', orderReference: 'R-1001', storeName: 'Elite Games' },
  EXPIRED: { state: 'EXPIRED', orderReference: 'R-1001' },
  NOT_FOUND: { state: 'NOT_FOUND' },
  TOO_MANY_REQUESTS: { state: 'TOO_MANY_REQUESTS', retryAfterSeconds: 60 },
};
const CASES = LOCALES.flatMap((locale) => Object.values(VIEWS).map((view) => [view.state, locale, view] as const));

const blocks = (html: string, tag: 'style' | 'script') => [...html.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[1]);
const hashOf = (block: string) => `'sha256-${createHash('sha256').update(block, 'utf8').digest('base64')}'`;
const directives = (res: RevealResponse) =>
  new Map(res.headers['Content-Security-Policy'].split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));

describe('renderRevealPage: every state, both languages', () => {
  it.each(CASES)('%s (%s): status, security headers and a complete document', (state, locale, view) => {
    const res = renderRevealPage(view, locale);
    expect(res.statusCode).toBe({ CONFIRM: 200, REVEAL: 200, ALREADY_REVEALED: 410, EXPIRED: 410, NOT_FOUND: 404, TOO_MANY_REQUESTS: 429 }[state]);
    expect(res.headers).toMatchObject({
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
      'X-Robots-Tag': 'noindex, nofollow',
      'Content-Language': locale,
    });
    expect(res.body).toMatch(/^<!doctype html><html lang="(ar|en)" dir="(rtl|ltr)">/);
    expect(res.body).toContain(locale === 'ar' ? '<html lang="ar" dir="rtl">' : '<html lang="en" dir="ltr">');
    expect(res.body).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(res.body.endsWith('</body></html>')).toBe(true);
  });

  it.each(CASES)('%s (%s): speaks the page language (its title is the phrase of the state)', (state, locale, view) => {
    const p = phrasesFor(locale).revealPage;
    const title = { CONFIRM: p.confirmTitle, REVEAL: p.revealTitle, ALREADY_REVEALED: p.alreadyRevealedTitle, EXPIRED: p.expiredTitle, NOT_FOUND: p.notFoundTitle, TOO_MANY_REQUESTS: p.tooManyRequestsTitle }[state];
    const body = renderRevealPage(view, locale).body;
    expect(body).toContain(`<title>${title}</title>`);
    expect(body).toContain(`<h1>${title}</h1>`);
    const other = phrasesFor(locale === 'ar' ? 'en' : 'ar').revealPage;
    expect(body).not.toContain(other.notFoundTitle);
  });

  it.each(CASES)('%s (%s): loads nothing from anywhere; only CONFIRM has a form, posting to its own URL', (state, locale, view) => {
    const { body } = renderRevealPage(view, locale);
    expect(body).not.toMatch(/<(link|img|iframe|object|embed|base|a)\b/i);
    expect(body.match(/<form\b[^>]*>/g) ?? []).toEqual(state === 'CONFIRM' ? ['<form method="post" class="show">'] : []);
    expect(body).not.toMatch(/\b(src|href|action|formaction|srcset)=/i);
    expect(body).not.toMatch(/\sstyle=|\son[a-z]+=/i);
    expect(body).not.toMatch(/https?:|\/\//);
  });

  it.each(LOCALES)('REVEAL (%s): code, PIN and serial each in their own box with a copy button; the expiry date; the order reference', (locale) => {
    const p = phrasesFor(locale).revealPage;
    const { body } = renderRevealPage(reveal, locale);
    for (const [id, value] of [['code', code.code], ['pin', code.pin], ['serial', code.serial]]) {
      expect(body).toContain(`<code class="value" id="${id}" dir="ltr">${value}</code>`);
      expect(body).toMatch(new RegExp(`<button type="button" data-copy="${id}" [^>]*>`));
    }
    expect(body.match(/<button /g)).toHaveLength(3);
    expect(body).toContain(`>${p.copyCode}</button>`);
    expect(body).toContain('2026-12-31');
    expect(body).not.toContain('23:59');
    expect(body).toContain('R-1001');
    expect(body).toContain('iTunes 50');
    expect(body).toContain(p.onceNotice);
    expect(body).toContain(`data-done="${p.copied}"`);
  });

  it.each(LOCALES)('REVEAL (%s): leaves out what the code does not have', (locale) => {
    const { body } = renderRevealPage({ state: 'REVEAL', orderReference: 'R-2', code: { code: 'ONLY' } }, locale);
    const p = phrasesFor(locale).revealPage;
    expect(body.match(/<button /g)).toHaveLength(1);
    for (const absent of [p.pinLabel, p.serialLabel, p.validUntilLabel, 'undefined', 'class="sub"']) expect(body).not.toContain(absent);
  });

  it('REVEAL: the title never holds the code', () => {
    for (const locale of LOCALES) expect(renderRevealPage(reveal, locale).body.match(/<title>(.*?)<\/title>/)![1]).not.toContain(code.code);
  });

  it.each(LOCALES)('CONFIRM (%s): title, product, order number, the once-only notice and one button posting the form; no code material', (locale) => {
    const p = phrasesFor(locale).revealPage;
    // Even a view that carried code material by mistake shows none of it.
    const { body } = renderRevealPage({ ...confirm, ...({ code } as object) } as RevealView, locale);
    for (const secret of [code.code, code.pin, code.serial, '2026-12-31']) expect(body).not.toContain(secret);
    expect(body).not.toMatch(/<code|<input|<textarea|data-copy/);
    expect(body).toContain('<p class="sub"><bdi>iTunes 50</bdi></p>');
    expect(body).toContain(`<dt>${p.orderReferenceLabel}</dt><dd><bdi dir="ltr">R-1001</bdi></dd>`);
    expect(body).toContain(`<p class="notice">${p.confirmNotice}</p>`);
    expect(body.match(/<button\b[^>]*>[^<]*<\/button>/g)).toEqual([`<button type="submit" data-label="${p.showCode}" data-busy="${p.showCodeBusy}">${p.showCode}</button>`]);
    expect(body).toMatch(/<form method="post" class="show"><button [^>]*>[^<]*<\/button><\/form>/);
    expect(blocks(body, 'script')).toEqual([SHOW_SCRIPT]);
    // Without a product name, no empty line for it.
    expect(renderRevealPage({ state: 'CONFIRM', orderReference: 'R-2' }, locale).body).not.toMatch(/class="sub"|undefined/);
  });

  it.each(CASES.filter(([state]) => state !== 'REVEAL' && state !== 'CONFIRM'))('%s (%s): no code material, no button, no script, no form', (_state, locale, view) => {
    const { body } = renderRevealPage({ ...view, ...({ code } as object) } as RevealView, locale);
    for (const secret of [code.code, code.pin, code.serial, '2026-12-31']) expect(body).not.toContain(secret);
    expect(body).not.toMatch(/<button|<script|<code|<form/);
  });

  it.each(LOCALES)('ALREADY_REVEALED and EXPIRED (%s): the order reference to quote and whom to contact', (locale) => {
    const p = phrasesFor(locale).revealPage;
    const revealed = renderRevealPage(VIEWS.ALREADY_REVEALED, locale).body;
    expect(revealed).toContain('<bdi dir="ltr">R-1001</bdi>');
    expect(revealed).toContain(p.alreadyRevealedBody);
    expect(revealed).toContain(p.contactStore('Elite Games'));
    const expired = renderRevealPage(VIEWS.EXPIRED, locale).body;
    expect(expired).toContain(p.expiredBody);
    expect(expired).toContain(p.contactStore());
  });

  it.each(LOCALES)('NOT_FOUND (%s): one page, byte for byte, whatever came with it', (locale) => {
    const plain = renderRevealPage({ state: 'NOT_FOUND' }, locale);
    const stray = renderRevealPage({ state: 'NOT_FOUND', orderReference: 'R-1', reason: 'wrong token' } as unknown as RevealView, locale);
    expect(stray).toEqual(plain);
    expect(plain.body).not.toContain('R-1');
  });

  it('TOO_MANY_REQUESTS: Retry-After in whole seconds when given, absent otherwise', () => {
    expect(renderRevealPage({ state: 'TOO_MANY_REQUESTS', retryAfterSeconds: 59.2 }, 'en').headers['Retry-After']).toBe('60');
    expect(renderRevealPage({ state: 'TOO_MANY_REQUESTS', retryAfterSeconds: 0 }, 'en').headers['Retry-After']).toBe('1');
    expect(renderRevealPage({ state: 'TOO_MANY_REQUESTS' }, 'en').headers).not.toHaveProperty('Retry-After');
  });
});

describe('renderRevealPage: Content-Security-Policy', () => {
  it.each(CASES)('%s (%s): strict, and its hashes are those of the exact blocks in the body', (state, locale, view) => {
    const res = renderRevealPage(view, locale);
    const csp = directives(res);
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    // Only the CONFIRM page may submit a form, and only to its own origin (the same URL).
    expect(csp.get('form-action')).toEqual([state === 'CONFIRM' ? "'self'" : "'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(res.headers['Content-Security-Policy']).not.toMatch(/unsafe-|\*|https?:|data:|nonce-/);
    expect(csp.get('style-src')).toEqual(blocks(res.body, 'style').map(hashOf));
    const scripts = blocks(res.body, 'script');
    const withScript = state === 'REVEAL' || state === 'CONFIRM';
    expect(scripts).toHaveLength(withScript ? 1 : 0);
    expect(csp.get('script-src')).toEqual(withScript ? scripts.map(hashOf) : undefined);
  });

  it('the blocks emitted are the module constants, the same in both languages', () => {
    for (const locale of LOCALES) {
      const { body } = renderRevealPage(reveal, locale);
      expect(blocks(body, 'style')).toEqual([PAGE_STYLE]);
      expect(blocks(body, 'script')).toEqual([PAGE_SCRIPT]);
      expect(blocks(renderRevealPage(confirm, locale).body, 'style')).toEqual([PAGE_STYLE]);
      expect(blocks(renderRevealPage(confirm, locale).body, 'script')).toEqual([SHOW_SCRIPT]);
    }
  });

  it('admits only the page scripts by hash: any other block is refused', () => {
    expect(() => contentSecurityPolicy({ script: `${PAGE_SCRIPT} ` })).toThrow(/not one of the page scripts/);
    expect(contentSecurityPolicy()).not.toContain('script-src');
  });

  it('no value can break out of the style or script blocks (they hold no interpolation)', () => {
    expect(PAGE_STYLE).not.toContain('${');
    for (const script of [PAGE_SCRIPT, SHOW_SCRIPT]) {
      expect(script).not.toContain('${');
      expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function|fetch\(|XMLHttpRequest/);
    }
  });
});

describe('renderRevealPage: escaping', () => {
  const hostile = `<script>alert("x")</script>&amp;'"></code><img src=x onerror=alert(1)>`;
  const escaped = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;amp;&#39;&quot;&gt;&lt;/code&gt;&lt;img src=x onerror=alert(1)&gt;';

  it.each(LOCALES)('REVEAL (%s): a hostile code, PIN, serial, product and reference are shown as text', (locale) => {
    const view: RevealView = { state: 'REVEAL', orderReference: hostile, productName: hostile, code: { code: hostile, pin: hostile, serial: hostile } };
    const { body } = renderRevealPage(view, locale);
    expect(body).toContain(`<code class="value" id="code" dir="ltr">${escaped}</code>`);
    expect(body.split(escaped)).toHaveLength(6);
    expect(blocks(body, 'script')).toEqual([PAGE_SCRIPT]);
    expect(body).not.toContain('<img');
  });

  it.each(LOCALES)('CONFIRM (%s): a hostile product and reference are shown as text', (locale) => {
    const { body } = renderRevealPage({ state: 'CONFIRM', orderReference: hostile, productName: hostile }, locale);
    expect(body.split(escaped)).toHaveLength(3);
    expect(blocks(body, 'script')).toEqual([SHOW_SCRIPT]);
    expect(body).not.toContain('<img');
  });

  it.each(LOCALES)('closed pages (%s): a hostile order reference and store name are shown as text', (locale) => {
    for (const state of ['ALREADY_REVEALED', 'EXPIRED'] as const) {
      const { body } = renderRevealPage({ state, orderReference: hostile, storeName: hostile }, locale);
      expect(body).toContain(escaped);
      expect(body).not.toMatch(/<script|<img/);
    }
  });

  it('any string at all: the tags of the page stay those of a harmless value', () => {
    const tags = (html: string) => html.replace(/<(style|script)>[\s\S]*?<\/\1>/g, '').match(/<[^>]*>/g);
    const reference = tags(renderRevealPage({ state: 'REVEAL', orderReference: 'REF', productName: 'P', code: { code: 'C', pin: 'P', serial: 'S' } }, 'en').body);
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (value) => {
        const { body } = renderRevealPage({ state: 'REVEAL', orderReference: value, productName: value, code: { code: value, pin: value, serial: value } }, 'en');
        expect(tags(body)).toEqual(reference);
      }),
    );
  });

  it.each(LOCALES)('CONFIRM (%s), any string at all: the tags stay those of a harmless value, and the form stays the only one', (locale) => {
    const tags = (html: string) => html.replace(/<(style|script)>[\s\S]*?<\/\1>/g, '').match(/<[^>]*>/g);
    const reference = tags(renderRevealPage({ state: 'CONFIRM', orderReference: 'REF', productName: 'P' }, locale).body);
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (orderReference, productName) => {
        const { body } = renderRevealPage({ state: 'CONFIRM', orderReference, productName }, locale);
        expect(tags(body)).toEqual(reference);
      }),
    );
  });
});
