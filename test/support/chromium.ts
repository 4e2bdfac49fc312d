/**
 * Debian Chromium through playwright-core (FIELD-NOTES flags). Playwright gives every launch a
 * fresh temporary profile of its own, which is the fresh --user-data-dir the notes ask for.
 */
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { CHROMIUM_PATH } from './real-parts';

export interface TestBrowser {
  browser: Browser;
  newContext(opts?: { viewport?: { width: number; height: number }; locale?: string }): Promise<BrowserContext>;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<TestBrowser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    browser,
    newContext: (opts = {}) => browser.newContext({ viewport: opts.viewport ?? { width: 1366, height: 768 }, locale: opts.locale ?? 'vi-VN' }),
    async close() {
      await browser.close();
    },
  };
}
