// Opening a page the way the browser tests check it: every console error or warning, page error and
// CSP violation is collected, and screenshots go where they cannot dirty the work tree unless asked.
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page, Response } from 'playwright-core';

// Only on request into docs/: a run on another machine (other fonts) must not dirty the work tree.
export const SHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? join(__dirname, '..', '..', 'docs', 'screenshots') : join(tmpdir(), 'streamsync-reveal-screenshots');
mkdirSync(SHOTS, { recursive: true });

export interface Visit {
  page: Page;
  /** Console errors and warnings, page errors and securitypolicyviolation events seen so far. */
  problems: string[];
}

export interface OpenOptions {
  acceptLanguage?: string;
  /** Runs on the new page before it loads (routes, init scripts). */
  before?: (page: Page) => Promise<unknown>;
}

export async function openPage(context: BrowserContext, url: string, options: OpenOptions = {}): Promise<Visit & { response: Response }> {
  const { acceptLanguage, before } = options;
  const page = await context.newPage();
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

/**
 * Taps the CONFIRM page's "Show my code" button, as the customer does: the form's POST to the page's
 * own URL. Resolves with that POST's response once the page it answered has loaded.
 */
export async function tapShowCode(page: Page): Promise<Response> {
  const loaded = page.waitForEvent('load');
  const posted = page.waitForResponse((r) => r.request().method() === 'POST' && r.request().resourceType() === 'document');
  await page.locator('form[method="post"] button[type="submit"]').tap();
  const [response] = await Promise.all([posted, loaded]);
  return response;
}

export const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `reveal-${name}.png`), fullPage: true });
export const bodyText = (page: Page) => page.locator('body').innerText();
