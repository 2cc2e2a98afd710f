// The reveal page in a real headless Chromium on a phone viewport: the link shows the code once, the
// copy button puts the exact code on the clipboard, the CSP admits the page's own blocks and nothing
// else, Arabic is right-to-left, and every later visit shows a page without the code. Screenshots of
// each state go to <tmp>/streamsync-reveal-screenshots, or to docs/screenshots with UPDATE_SCREENSHOTS=1.
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page, Response } from 'playwright-core';
import type { Locale } from '#core/model';
import { phrasesFor } from '#core/texts/compose';
import type { RevealContent } from '#functions/reveal/render-page';
import { launchChromium, requireChromium, type Chromium } from './chromium';
import { MISSES_BEFORE_THROTTLE, startRevealServer, type RevealServer } from './reveal-server';

requireChromium();
jest.setTimeout(30_000);

// Only on request into docs/: a run on another machine (other fonts) must not dirty the work tree.
const SHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? join(__dirname, '..', '..', 'docs', 'screenshots') : join(tmpdir(), 'streamsync-reveal-screenshots');
mkdirSync(SHOTS, { recursive: true });

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

interface Visit {
  page: Page;
  /** Console errors and warnings, page errors and securitypolicyviolation events seen so far. */
  problems: string[];
}

interface OpenOptions {
  acceptLanguage?: string;
  /** Runs on the new page before it loads (routes, init scripts). */
  before?: (page: Page) => Promise<unknown>;
}

async function open(url: string, options: OpenOptions = {}): Promise<Visit & { response: Response }> {
  const { acceptLanguage, before } = options;
  const page = await chromium.context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    // Chromium logs any non-2xx document as a failed load; the page's own status is asserted instead.
    const ownStatus = m.text().startsWith('Failed to load resource') && m.location().url === page.url();
    if ((m.type() === 'error' || m.type() === 'warning') && !ownStatus) problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.exposeFunction('reportViolation', (text: string) => problems.push(`csp: ${text}`));
  await page.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (e) => (window as unknown as { reportViolation(t: string): void }).reportViolation(`${e.violatedDirective} ${e.blockedURI}`)),
  );
  if (acceptLanguage) await page.setExtraHTTPHeaders({ 'Accept-Language': acceptLanguage });
  await before?.(page);
  const response = await page.goto(url, { waitUntil: 'load' });
  if (!response) throw new Error(`no response for ${url}`);
  return { page, problems, response };
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `reveal-${name}.png`), fullPage: true });
const bodyText = (page: Page) => page.locator('body').innerText();

describe.each(['en', 'ar'] as const)('reveal page (%s)', (locale) => {
  const p = phrasesFor(locale).revealPage;
  const order = ORDER[locale];
  let link: string;

  beforeAll(() => {
    link = server.issue(order, locale, { ttlMs: 60_000 });
  });

  it('shows the code, PIN, serial and expiry, readable on a phone, with no CSP violation', async () => {
    const { page, problems, response } = await open(link);
    expect(response.status()).toBe(200);
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

    // The customer reloads: the link is spent, and no cache hands the code back.
    const again = await page.reload();
    expect(again?.status()).toBe(410);
    expect(await page.content()).not.toContain(order.code.code);
    await page.close();
  });

  it(`is laid out ${locale === 'ar' ? 'right-to-left' : 'left-to-right'}`, async () => {
    const { page } = await open(server.issue(order, locale));
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

  it('a CSP hash that does not match the script is caught: reported, and the button does nothing', async () => {
    const tamper = (page: Page) =>
      page.route('**/c/**', async (route) => {
        const response = await route.fetch();
        const csp = response.headers()['content-security-policy'].replace(/script-src 'sha256-[^']+'/, "script-src 'sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='");
        await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': csp } });
      });
    const { page, problems } = await open(server.issue(ORDER.en, 'en'), { before: tamper });
    await page.locator('button[data-copy="code"]').tap();
    await page.waitForTimeout(300);
    expect(await copyStatus(page)).toBe('');
    expect(problems.join('\n')).toMatch(/script-src/);
    await page.close();
  });

  it('without a clipboard API the value is selected, and the page says to use the phone\'s Copy', async () => {
    const noClipboard = (page: Page) =>
      page.addInitScript(() => {
        Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined });
        document.execCommand = () => false;
      });
    const { page, problems } = await open(server.issue(ORDER.en, 'en'), { before: noClipboard });
    await page.locator('button[data-copy="serial"]').tap();
    await page.locator('#copy-status:not(:empty)').waitFor();
    expect(await copyStatus(page)).toBe(p.selected);
    expect(await page.evaluate(() => window.getSelection()?.toString())).toBe(ORDER.en.code.serial);
    expect(await page.locator('button[data-copy="serial"]').innerText()).toBe(p.copy);
    expect(problems).toEqual([]);
    await page.close();
  });
});
