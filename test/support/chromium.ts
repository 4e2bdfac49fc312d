/**
 * Debian Chromium through playwright-core (FIELD-NOTES flags). Playwright gives every launch a
 * fresh temporary profile of its own, which is the fresh --user-data-dir the notes ask for.
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_PATH } from './real-parts';

export interface TestBrowser {
  browser: Browser;
  newContext(opts?: ContextOptions): Promise<BrowserContext>;
  /**
   * A page signed in to the desk at `signInUrl` (the bridge's `/?token=…`) as the fresh desk's
   * first operator (its admin, who has no PIN), waiting for `ready` (default: the top bar).
   */
  signedInPage(signInUrl: string, opts?: ContextOptions & { ready?: string }): Promise<Page>;
  close(): Promise<void>;
}

type ContextOptions = { viewport?: { width: number; height: number }; locale?: string };

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
  const newContext = (opts: ContextOptions = {}) => browser.newContext({ viewport: opts.viewport ?? { width: 1366, height: 768 }, locale: opts.locale ?? 'vi-VN' });
  return {
    browser,
    newContext,
    async signedInPage(signInUrl, opts = {}) {
      const page = await (await newContext(opts)).newPage();
      // A wait that fails names its locator well before the test's own timeout.
      page.setDefaultTimeout(15_000);
      await page.goto(signInUrl);
      await page.locator('.operator-button').first().click();
      await page.locator(opts.ready ?? '.top-bar').waitFor();
      return page;
    },
    async close() {
      await browser.close();
    },
  };
}
