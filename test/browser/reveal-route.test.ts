// The reveal page served for real: the local pipeline's gateway, GET and POST /c/{token}, the reveal
// handler, DynamoDB Local. A link issued by the real RevealLinks for a delivered unit opens to the page
// with the "Show my code" button (previews fetching it first spend nothing), the button shows the code
// once, Copy copies it, and every later visit (a reload, the link opened again) gets the
// already-revealed page; an expired link gets the expired page; Arabic is right-to-left.
import { randomBytes } from 'node:crypto';
import { TokenRevealLinks } from '#adapters/reveal/reveal-links';
import type { CodeMaterial, Locale } from '#core/model';
import type { RevealLink } from '#core/ports/reveals';
import { phrasesFor } from '#core/texts/compose';
import type { Pipeline } from '#local/pipeline';
import { deliverAsLink } from '#test/contract/link-delivery';
import { startTestPipeline } from '#test/integration/helpers';
import { launchChromium, requireChromium, type Chromium } from './chromium';
import { bodyText, openPage, shot, tapShowCode } from './visit';

requireChromium();
jest.setTimeout(30_000);

const SKU = 'ROUTE-CARD';
const PRODUCT: Record<Locale, string> = { en: 'iTunes Gift Card $50 (US)', ar: 'بطاقة بلايستيشن ١٠٠ ريال' };
const run = randomBytes(3).toString('hex').toUpperCase();
const code = (n: number): CodeMaterial => ({ code: `RT${run}-${n}Q2X-99LM`, pin: `${4800 + n}`, serial: `#44${n}-A`, expiresAt: '2027-06-30', format: 'text' });

let pipeline: Pipeline;
let chromium: Chromium;
let orders = 0;

/**
 * A delivered unit sent as a link, and its link. Until the local pipeline's channel chain sends links,
 * it is made through the ports the delivery core uses (test/contract/link-delivery.ts); then it can post
 * a paid webhook for a store whose chain has a link step and read the URL from `pipeline.recorder`.
 */
async function deliveredLinkUnit(locale: Locale, revealLinks = pipeline.deps.revealLinks): Promise<RevealLink & { orderReference: string }> {
  const orderId = `RT-${run}-${++orders}`;
  const unit = { storeId: 'S-ROUTE', orderId, unitId: 'L1#1', lineId: 'L1', sku: SKU, receivedAt: new Date().toISOString(), productName: PRODUCT[locale] };
  const { link } = await deliverAsLink({ ...pipeline.deps, revealLinks }, unit, { locale, orderReference: `R-${orderId}` });
  return { ...link, orderReference: `R-${orderId}` };
}

const digestOf = (url: string) => pipeline.deps.revealTokens.digestOf(url.split('/').pop()!)!;
/** The code a link leads to, read as the page reads it. */
const codeBehind = async (url: string) => {
  const grant = (await pipeline.deps.reveals.getGrant(digestOf(url)))!;
  return pipeline.deps.stock.readCode({ sku: SKU, codeId: grant.codeId, codeKey: grant.codeKey });
};

beforeAll(async () => {
  // One after the other, so a failed launch still leaves the pipeline assigned for afterAll to stop.
  pipeline = await startTestPipeline({ logLevel: 'ERROR', metrics: false, pollers: false });
  await pipeline.deps.catalog.putSkuConfig({ sku: SKU, threshold: 0, reorderQuantity: 0 });
  await pipeline.deps.stock.addCodes(SKU, [1, 2, 3, 4, 5, 6].map(code), 'browser-test');
  chromium = await launchChromium();
  await chromium.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: pipeline.revealBaseUrl });
}, 120_000);

afterAll(async () => {
  await Promise.all([chromium?.close(), pipeline?.stop()]);
});

const unitBehind = async (url: string) => pipeline.deps.orders.getUnit((await pipeline.deps.reveals.getGrant(digestOf(url)))!);

describe.each(['en', 'ar'] as const)('GET and POST /c/{token} through the local gateway (%s)', (locale) => {
  const p = phrasesFor(locale).revealPage;

  it('previews fetch it first and spend nothing; it opens to the button, which shows the code once; Copy copies it; a reload or a second visit gets the already-revealed page', async () => {
    const link = await deliveredLinkUnit(locale);
    expect(link.url.startsWith(`${pipeline.revealBaseUrl}/c/`)).toBe(true);
    const material = await codeBehind(link.url);
    // WhatsApp's preview, a mail scanner, a second scanner: plain GETs, before the customer.
    for (let i = 0; i < 3; i++) {
      const preview = await fetch(link.url, { headers: { 'user-agent': 'WhatsApp/2.23.20.0' } });
      expect(preview.status).toBe(200);
      expect(await preview.text()).not.toContain(material.code);
    }
    expect((await unitBehind(link.url))?.revealedAt).toBeUndefined();

    const { page, problems, response } = await openPage(chromium.context, link.url);
    expect(response.status()).toBe(200);
    const confirm = await bodyText(page);
    for (const words of [p.confirmTitle, p.confirmNotice, PRODUCT[locale], link.orderReference]) expect(confirm).toContain(words);
    for (const secret of [material.code, material.pin!, material.serial!]) expect(await page.content()).not.toContain(secret);
    expect(await page.evaluate(() => ({ lang: document.documentElement.lang, direction: getComputedStyle(document.documentElement).direction }))).toEqual({
      lang: locale,
      direction: locale === 'ar' ? 'rtl' : 'ltr',
    });
    expect(await page.locator('form[method="post"] button[type="submit"]').innerText()).toBe(p.showCode);
    expect((await unitBehind(link.url))?.revealedAt).toBeUndefined();
    await shot(page, `route-confirm-${locale}`);

    const revealed = await tapShowCode(page);
    expect(revealed.status()).toBe(200);
    expect(revealed.headers()['cache-control']).toBe('no-store');
    expect((await unitBehind(link.url))?.revealedAt).toBeDefined();
    expect(await page.locator('#code').innerText()).toBe(material.code);
    expect(await page.locator('#pin').innerText()).toBe(material.pin);
    expect(await page.locator('#serial').innerText()).toBe(material.serial);
    const text = await bodyText(page);
    expect(text).toContain(PRODUCT[locale]);
    expect(text).toContain(link.orderReference);
    const layout = await page.evaluate(() => ({ lang: document.documentElement.lang, direction: getComputedStyle(document.documentElement).direction }));
    expect(layout).toEqual({ lang: locale, direction: locale === 'ar' ? 'rtl' : 'ltr' });
    expect(await page.locator('#code').evaluate((el) => getComputedStyle(el).direction)).toBe('ltr');
    await shot(page, `route-reveal-${locale}`);

    await page.locator('button[data-copy="code"]').tap();
    await page.locator('#copy-status:not(:empty)').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(material.code);
    expect(await page.locator('#copy-status').innerText()).toBe(p.copied);
    expect(problems).toEqual([]);

    // A reload of the code page posts again: spent.
    const again = await page.reload();
    expect(again?.request().method()).toBe('POST');
    expect(again?.status()).toBe(410);
    expect(await bodyText(page)).toContain(p.alreadyRevealedTitle);
    expect(await page.content()).not.toContain(material.code);
    await page.close();

    const later = await openPage(chromium.context, link.url, { acceptLanguage: locale === 'ar' ? 'en' : 'ar' });
    expect(later.response.status()).toBe(410);
    const closed = await bodyText(later.page);
    expect(closed).toContain(p.alreadyRevealedTitle);
    expect(closed).toContain(link.orderReference);
    expect(await later.page.evaluate(() => document.documentElement.lang)).toBe(locale);
    for (const secret of [material.code, material.pin!, material.serial!]) expect(await later.page.content()).not.toContain(secret);
    expect(await later.page.locator('button, script').count()).toBe(0);
    expect(later.problems).toEqual([]);
    await shot(later.page, `route-already-revealed-${locale}`);
    await later.page.close();
  });

  it('an expired link: the expired page, no code, and the unit is not marked revealed', async () => {
    // Issued 31 days ago with the default 30-day validity.
    const past = new TokenRevealLinks(pipeline.deps.reveals, { now: () => new Date(Date.now() - 31 * 86_400_000) }, { baseUrl: pipeline.revealBaseUrl, ttlHours: 720 });
    const link = await deliveredLinkUnit(locale, past);
    const material = await codeBehind(link.url);
    const { page, problems, response } = await openPage(chromium.context, link.url);
    expect(response.status()).toBe(410);
    // Its button's POST, had a page been left open before it expired, gets the same page.
    const posted = await fetch(link.url, { method: 'POST' });
    expect([posted.status, await posted.text()]).toEqual([410, await response.text()]);
    const text = await bodyText(page);
    expect(text).toContain(p.expiredTitle);
    expect(text).toContain(link.orderReference);
    expect(await page.content()).not.toContain(material.code);
    expect(await page.locator('button, script').count()).toBe(0);
    expect(problems).toEqual([]);
    const grant = (await pipeline.deps.reveals.getGrant(digestOf(link.url)))!;
    expect((await pipeline.deps.orders.getUnit(grant))?.revealedAt).toBeUndefined();
    await shot(page, `route-expired-${locale}`);
    await page.close();
  });

  it('a token nobody issued: the not-found page in the browser\'s language, the same to a POST', async () => {
    const url = `${pipeline.revealBaseUrl}/c/${'Z'.repeat(24)}`;
    const { page, response } = await openPage(chromium.context, url, { acceptLanguage: locale });
    expect(response.status()).toBe(404);
    const posted = await fetch(url, { method: 'POST', headers: { 'accept-language': locale } });
    expect([posted.status, await posted.text()]).toEqual([404, await response.text()]);
    expect(await bodyText(page)).toContain(p.notFoundTitle);
    expect(await page.evaluate(() => document.documentElement.dir)).toBe(locale === 'ar' ? 'rtl' : 'ltr');
    await page.close();
  });
});
