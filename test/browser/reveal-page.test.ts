// The reveal page in a real headless Chromium on a phone viewport: the link opens to a page with one
// button and no code (previews and scanners open links too), the button shows the code once, the
// copy button puts the exact code on the clipboard, the CSP admits the page's own blocks and nothing
// else, Arabic is right-to-left, and every later visit shows a page without the code. Screenshots of
// each state go to <tmp>/streamsync-reveal-screenshots, or to docs/screenshots with UPDATE_SCREENSHOTS=1.
import type { Page } from 'playwright-core';
import type { Locale } from '#core/model';
import { phrasesFor } from '#core/texts/compose';
import type { RevealContent } from '#functions/reveal/render-page';
import { launchChromium, requireChromium, type Chromium } from './chromium';
import { MISSES_BEFORE_THROTTLE, startRevealServer, type RevealServer } from './reveal-server';
import { bodyText, openPage, shot, tapShowCode, type OpenOptions } from './visit';

requireChromium();
jest.setTimeout(30_000);

const ORDER: Record<Locale, RevealContent> = {
  en: { orderReference: '218764390', productName: 'iTunes Gift Card $50 (US)', code: { code: 'X7QK-94LM-2RTD-8VNC', pin: '4821', serial: 'SN-000123-77', expiresAt: '2027-03-31T23:59:59Z' } },
  ar: { orderReference: '218764391', productName: 'بطاقة بلايستيشن ١٠٠ ريال', code: { code: 'PSN-7Q2X-99LM-ABCD', pin: '0093', serial: '#4471-A', expiresAt: '2027-06-30' } },
};

let chromium: Chromium;
let server: RevealServer;

beforeAll(async () => {
  // One after the other, so a failed launch still leaves the server assigned for afterAll to stop.
  server = await startRevealServer();
  chromium = await launchChromium();
  await chromium.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
});

// Each test starts with no misses counted, whatever the one before it did.
beforeEach(() => server.resetThrottle());

afterAll(async () => {
  await Promise.all([chromium?.close(), server?.stop()]);
});

const open = (url: string, options?: OpenOptions) => openPage(chromium.context, url, options);

describe.each(['en', 'ar'] as const)('reveal page (%s)', (locale) => {
  const p = phrasesFor(locale).revealPage;
  const order = ORDER[locale];
  let link: string;

  beforeAll(() => {
    link = server.issue(order, locale, { ttlMs: 60_000 });
  });

  it('opens to the page with the button and no code; the button shows the code, PIN, serial and expiry, readable on a phone, with no CSP violation', async () => {
    const { page, problems, response } = await open(link);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-security-policy']).toContain("form-action 'self'");
    const confirm = await bodyText(page);
    for (const words of [p.confirmTitle, p.confirmNotice, order.productName!, order.orderReference]) expect(confirm).toContain(words);
    for (const secret of [order.code.code, order.code.pin!, order.code.serial!]) expect(await page.content()).not.toContain(secret);
    expect(await page.locator('code, [data-copy]').count()).toBe(0);
    const show = page.locator('form[method="post"] button[type="submit"]');
    expect(await page.locator('button').count()).toBe(1);
    expect(await show.innerText()).toBe(p.showCode);
    const tapTarget = (await show.boundingBox())!;
    expect(tapTarget.height).toBeGreaterThanOrEqual(48);
    expect(tapTarget.x).toBeGreaterThanOrEqual(0);
    expect(tapTarget.x + tapTarget.width).toBeLessThanOrEqual(390);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, `confirm-${locale}`);

    const revealed = await tapShowCode(page);
    expect(revealed.status()).toBe(200);
    expect(revealed.headers()['cache-control']).toBe('no-store');
    expect(revealed.headers()['content-security-policy']).toContain("form-action 'none'");
    const code = page.locator('#code');
    expect(await code.isVisible()).toBe(true);
    expect(await code.innerText()).toBe(order.code.code);
    expect(await page.locator('#pin').innerText()).toBe(order.code.pin);
    expect(await page.locator('#serial').innerText()).toBe(order.code.serial);
    expect(await bodyText(page)).toContain(order.code.expiresAt!.slice(0, 10));
    const look = await code.evaluate((el) => {
      const style = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      return { size: parseFloat(style.fontSize), family: style.fontFamily, direction: style.direction, left: box.left, right: box.right };
    });
    expect(look.size).toBeGreaterThanOrEqual(20);
    expect(look.family).toMatch(/mono/i);
    expect(look.direction).toBe('ltr');
    expect(look.left).toBeGreaterThanOrEqual(0);
    expect(look.right).toBeLessThanOrEqual(390);
    // No sideways scrolling on a phone, and tap targets at least 48 px high.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    for (const height of await page.locator('button').evaluateAll((els) => els.map((el) => el.getBoundingClientRect().height))) {
      expect(height).toBeGreaterThanOrEqual(48);
    }
    await shot(page, `reveal-${locale}`);

    await page.locator('button[data-copy="code"]').tap();
    await page.locator('#copy-status:not(:empty)').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(order.code.code);
    expect(await page.locator('#copy-status').innerText()).toBe(p.copied);
    expect(await page.locator('button[data-copy="code"]').innerText()).toBe(p.copied);
    await shot(page, `copied-${locale}`);

    await page.locator('button[data-copy="pin"]').tap();
    await page.waitForFunction((pin) => navigator.clipboard.readText().then((t) => t === pin), order.code.pin);
    // Only the button just used says copied.
    expect(await page.locator('button[data-copy="code"]').innerText()).toBe(p.copyCode);
    expect(problems).toEqual([]);

    // The customer reloads (the browser posts again): the link is spent, and no cache hands the code back.
    const again = await page.reload();
    expect(again?.request().method()).toBe('POST');
    expect(again?.status()).toBe(410);
    expect(await bodyText(page)).toContain(p.alreadyRevealedTitle);
    expect(await page.content()).not.toContain(order.code.code);
    await page.close();
  });

  it(`is laid out ${locale === 'ar' ? 'right-to-left' : 'left-to-right'}, before and after the button`, async () => {
    const { page, problems } = await open(server.issue(order, locale));
    const before = await page.evaluate(() => ({
      lang: document.documentElement.lang,
      direction: getComputedStyle(document.documentElement).direction,
      title: getComputedStyle(document.querySelector('h1')!).direction,
    }));
    expect(before).toEqual({ lang: locale, direction: locale === 'ar' ? 'rtl' : 'ltr', title: locale === 'ar' ? 'rtl' : 'ltr' });
    // The order number stays left-to-right inside the Arabic page.
    expect(await page.locator('.facts bdi').evaluate((el) => getComputedStyle(el).direction)).toBe('ltr');
    await tapShowCode(page);
    const layout = await page.evaluate(() => ({
      lang: document.documentElement.lang,
      direction: getComputedStyle(document.documentElement).direction,
      labelAlign: getComputedStyle(document.querySelector('dt')!).direction,
    }));
    expect(layout).toEqual({ lang: locale, direction: locale === 'ar' ? 'rtl' : 'ltr', labelAlign: locale === 'ar' ? 'rtl' : 'ltr' });
    // In Arabic a copy button sits to the left of its value box, mirrored from English.
    const value = (await page.locator('#pin').boundingBox())!;
    const button = (await page.locator('button[data-copy="pin"]').boundingBox())!;
    expect(locale === 'ar' ? button.x < value.x : button.x > value.x).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a link preview or mail scanner fetching the link first spends nothing: the customer still gets the code', async () => {
    const fresh = server.issue(order, locale);
    for (let i = 0; i < 3; i++) {
      const preview = await chromium.context.request.get(fresh);
      expect(preview.status()).toBe(200);
      expect(await preview.text()).not.toContain(order.code.code);
    }
    const { page, problems } = await open(fresh);
    expect((await tapShowCode(page)).status()).toBe(200);
    expect(await page.locator('#code').innerText()).toBe(order.code.code);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('opened again later: the already-revealed page with the order reference and no code', async () => {
    const { page, problems, response } = await open(link);
    expect(response.status()).toBe(410);
    const text = await bodyText(page);
    expect(text).toContain(p.alreadyRevealedTitle);
    expect(text).toContain(order.orderReference);
    for (const secret of [order.code.code, order.code.pin!, order.code.serial!]) expect(await page.content()).not.toContain(secret);
    expect(await page.locator('button, script').count()).toBe(0);
    expect(problems).toEqual([]);
    await shot(page, `already-revealed-${locale}`);
    await page.close();
    // Its button's POST, sent again (a form left open in another tab), gets the same closed page.
    const posted = await chromium.context.request.post(link);
    expect(posted.status()).toBe(410);
    expect(await posted.text()).not.toContain(order.code.code);
  });

  it('opened after the link expired: the expired page, no code', async () => {
    const late = server.issue(order, locale, { ttlMs: 1_000, storeName: locale === 'ar' ? 'متجر النخبة' : 'Elite Games' });
    server.advance(2_000);
    const { page, problems, response } = await open(late);
    expect(response.status()).toBe(410);
    const text = await bodyText(page);
    expect(text).toContain(p.expiredTitle);
    expect(text).toContain(order.orderReference);
    expect(text).toContain(locale === 'ar' ? 'متجر النخبة' : 'Elite Games');
    expect(await page.content()).not.toContain(order.code.code);
    expect(problems).toEqual([]);
    await shot(page, `expired-${locale}`);
    await page.close();
    const posted = await chromium.context.request.post(late);
    expect(posted.status()).toBe(410);
    expect(await posted.text()).not.toContain(order.code.code);
  });

  it('an unknown token and a malformed path get the same not-found page', async () => {
    const unknown = await open(`${server.url}/c/${'A'.repeat(24)}`, { acceptLanguage: locale });
    const malformed = await open(`${server.url}/c/..%2F<script>`, { acceptLanguage: locale });
    expect(unknown.response.status()).toBe(404);
    expect(malformed.response.status()).toBe(404);
    expect(await unknown.page.content()).toBe(await malformed.page.content());
    expect(await bodyText(unknown.page)).toContain(p.notFoundTitle);
    expect([...unknown.problems, ...malformed.problems]).toEqual([]);
    await shot(unknown.page, `not-found-${locale}`);
    await Promise.all([unknown.page.close(), malformed.page.close()]);
  });

  it('after too many misses: the throttled page', async () => {
    for (let i = 0; i < MISSES_BEFORE_THROTTLE; i++) await (await open(`${server.url}/c/miss-${i}`, { acceptLanguage: locale })).page.close();
    const { page, problems, response } = await open(`${server.url}/c/${'B'.repeat(24)}`, { acceptLanguage: locale });
    expect(response.status()).toBe(429);
    expect(response.headers()['retry-after']).toBe('60');
    expect(await bodyText(page)).toContain(p.tooManyRequestsTitle);
    expect(problems).toEqual([]);
    await shot(page, `too-many-requests-${locale}`);
    await page.close();
  });
});

describe('reveal page: edge cases and the harness itself', () => {
  const p = phrasesFor('en').revealPage;
  const copyStatus = (page: Page) => page.locator('#copy-status').innerText();

  it('a code with markup characters is shown and copied verbatim', async () => {
    const hostile = { orderReference: '<b>R&1</b>', productName: '"><script>alert(1)</script>', code: { code: `<img src=x onerror=alert(1)>&"'`, pin: '</code>' } };
    const { page, problems } = await open(server.issue(hostile, 'en'));
    // The page before the button shows the hostile product and reference as text too.
    expect(await bodyText(page)).toContain(hostile.productName);
    expect(await bodyText(page)).toContain(hostile.orderReference);
    expect(await page.locator('img, b').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(1);
    await tapShowCode(page);
    expect(await page.locator('#code').innerText()).toBe(hostile.code.code);
    expect(await page.locator('#pin').innerText()).toBe('</code>');
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(1);
    await page.locator('button[data-copy="code"]').tap();
    await page.locator('#copy-status:not(:empty)').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(hostile.code.code);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a CSP hash that does not match the script is caught: reported, and the copy button does nothing (the form posts without its script)', async () => {
    const tamper = (page: Page) =>
      page.route('**/c/**', async (route) => {
        const response = await route.fetch();
        const csp = response.headers()['content-security-policy'].replace(/script-src 'sha256-[^']+'/, "script-src 'sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='");
        await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': csp } });
      });
    const { page, problems } = await open(server.issue(ORDER.en, 'en'), { before: tamper });
    expect(problems.join('\n')).toMatch(/script-src/);
    expect((await tapShowCode(page)).status()).toBe(200);
    await page.locator('button[data-copy="code"]').tap();
    await page.waitForTimeout(300);
    expect(await copyStatus(page)).toBe('');
    expect(problems.join('\n')).toMatch(/script-src/);
    await page.close();
  });

  it.each([
    ['with its script', 1, 200, false],
    ['with its script blocked (so the harness can tell)', 2, 410, true],
  ] as const)('a double tap on "Show my code" %s: %s POST(s), status %s', async (_how, posts, status, blockScript) => {
    // Slow answers to the POST, so the second tap lands while the first is on its way.
    const slow = async (page: Page) => {
      await page.route('**/c/**', async (route) => {
        if (route.request().method() === 'POST') await new Promise((resolve) => setTimeout(resolve, 400));
        const response = await route.fetch();
        const csp = response.headers()['content-security-policy'];
        await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': blockScript ? csp.replace(/script-src [^;]+/, "script-src 'none'") : csp } });
      });
    };
    const before = server.requests('POST');
    const { page } = await open(server.issue(ORDER.en, 'en'), { before: slow });
    // Raw touches at the button's place: a locator's tap would wait for the first navigation to end.
    const box = (await page.locator('form[method="post"] button[type="submit"]').boundingBox())!;
    const tap = () => page.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2);
    const answered = page.waitForResponse((r) => r.request().method() === 'POST' && r.request().resourceType() === 'document' && r.status() === status);
    await tap();
    await page.waitForTimeout(100);
    await tap();
    const final = await answered;
    await page.waitForLoadState('load');
    await page.waitForTimeout(300);
    expect(server.requests('POST') - before).toBe(posts);
    expect(final.status()).toBe(status);
    if (status === 200) expect(await page.locator('#code').innerText()).toBe(ORDER.en.code.code);
    await page.close();
  });

  it('without a clipboard API the value is selected, and the page says to use the phone\'s Copy', async () => {
    const noClipboard = (page: Page) =>
      page.addInitScript(() => {
        Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined });
        document.execCommand = () => false;
      });
    const { page, problems } = await open(server.issue(ORDER.en, 'en'), { before: noClipboard });
    await tapShowCode(page);
    await page.locator('button[data-copy="serial"]').tap();
    await page.locator('#copy-status:not(:empty)').waitFor();
    expect(await copyStatus(page)).toBe(p.selected);
    expect(await page.evaluate(() => window.getSelection()?.toString())).toBe(ORDER.en.code.serial);
    expect(await page.locator('button[data-copy="serial"]').innerText()).toBe(p.copy);
    expect(problems).toEqual([]);
    await page.close();
  });
});
