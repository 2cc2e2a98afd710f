// Debian's Chromium driven by playwright-core: no browser download (none is reachable here), a fresh
// profile per run, and the switches that keep it from calling home. Without the background-network
// ones it keeps retrying update, sync and field-trial hosts on a closed network and slows the machine.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface Chromium {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Call at a test file's top level: a missing browser then fails the file once, with what to install. */
export function requireChromium(): void {
  if (existsSync(CHROMIUM_PATH)) return;
  throw new Error(
    `Chromium not found at ${CHROMIUM_PATH}: the browser tests need it.\n` +
      '  Debian/Ubuntu: apt-get install -y chromium fonts-noto-core   (.ci/run installs them when missing)\n' +
      '  elsewhere: set CHROMIUM_PATH to a Chromium or Chrome binary.',
  );
}

/** A phone-sized context (390×844, an iPhone 12–15) with a fresh --user-data-dir, removed on close. */
export async function launchChromium(): Promise<Chromium> {
  requireChromium();
  const profile = mkdtempSync(join(tmpdir(), 'streamsync-chromium-'));
  // A launch that hangs (a broken install, a locked profile) fails within the test's time instead.
  const context = await chromium
    .launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: ARGS,
      timeout: 20_000,
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      colorScheme: 'light',
    })
    .catch((error: unknown) => {
      rmSync(profile, { recursive: true, force: true });
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      throw new Error(`Chromium at ${CHROMIUM_PATH} did not start: ${reason}`, { cause: error });
    });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
