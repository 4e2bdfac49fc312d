/**
 * A phone opens the result link: Debian Chromium at 390×844 (touch, DPR 3) follows the QR link,
 * lands on the token-free page, and sees the patient's images rendered by a real Orthanc. Then a
 * tap opens the full-screen viewer. The page must fit 360 px without sideways scrolling and raise
 * no CSP violation (everything it needs is its own).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type TestBrowser } from '../../test/support/chromium';
import { chromiumAvailable } from '../../test/support/real-parts';
import { orthancAvailable, requireOrHave, startOrthanc, type OrthancHandle } from '../../test/support/orthanc';
import { manualClock } from '../../electron/services/clock';
import type { Sql } from '../src/db/sql';
import { memorySql } from './support/memory-sql';
import { newToken, slipRecord } from './support/fixtures';
import { enrol, postRecords, startTestServer, type TestServer } from './support/test-server';
import { orthancImages, studyFiles, upload } from './support/pacs';

const ready = requireOrHave('Orthanc', orthancAvailable()) && chromiumAvailable();

describe.skipIf(!ready)('result page in a phone-sized Chromium', () => {
  let sql: Sql;
  let orthanc: OrthancHandle;
  let server: TestServer;
  let browser: TestBrowser;
  const study = studyFiles({ patientName: 'NGUYỄN^VĂN AN', views: 2, rows: 512 });
  let token: string;

  beforeAll(async () => {
    [sql, orthanc, browser] = await Promise.all([memorySql(), startOrthanc(), launchChromium()]);
    await upload(orthanc, study.bytes);
    server = await startTestServer({ sql, pacs: orthancImages(orthanc), clock: manualClock(Date.UTC(2026, 0, 15, 2)) });
    token = newToken();
    await postRecords(server.url, await enrol(sql), [slipRecord(token, { studyInstanceUIDs: [study.files[0]!.studyInstanceUID] })]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await Promise.all([sql?.close(), orthanc?.stop()]);
  });

  for (const width of [390, 360]) {
    it(`opens the QR link at ${width}×844 and shows the images, without sideways scrolling`, async () => {
      const ctx = await browser.browser.newContext({ viewport: { width, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 3, locale: 'vi-VN' });
      const page = await ctx.newPage();
      const csp: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy|Refused to/i.test(m.text())) csp.push(m.text());
      });
      try {
        const t = width === 390 ? token : await reissue();
        await page.goto(`${server.url}/r/${t}`);
        expect(new URL(page.url()).pathname).toBe('/result');
        await expect.poll(() => page.locator('.shots img').count()).toBe(2);
        // the first image is eager; scroll the last into view so the lazy one loads too
        await page.locator('.shots img').last().scrollIntoViewIfNeeded();
        await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('.shots img')].every((i) => i.complete && i.naturalWidth > 0));
        const box = await page.locator('.shots img').first().boundingBox();
        expect(box?.width).toBeGreaterThan(width - 40);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
        await expect.poll(() => page.locator('h1').textContent()).toBe('Kết quả X-quang');
        expect(await page.locator('dd').first().textContent()).toBe('NGUYỄN V** A*');

        // Tap: the full-screen viewer opens with the full-size image.
        await page.locator('.shots img').first().scrollIntoViewIfNeeded();
        await page.locator('a.shot').first().tap();
        const viewer = page.locator('.viewer img');
        await viewer.waitFor();
        await page.waitForFunction(() => {
          const i = document.querySelector<HTMLImageElement>('.viewer img');
          return !!i && i.complete && i.naturalWidth > 0;
        });
        expect(await viewer.getAttribute('src')).toMatch(/^\/result\/img\/[A-Za-z0-9_-]{22}\?size=full$/);
        await page.locator('.viewer button').tap();
        await page.locator('.viewer').waitFor({ state: 'detached' });
        expect(csp).toEqual([]);
      } finally {
        await ctx.close();
      }
    });
  }

  async function reissue(): Promise<string> {
    const t = newToken();
    await postRecords(server.url, await enrol(sql), [slipRecord(t, { studyInstanceUIDs: [study.files[0]!.studyInstanceUID] })]);
    return t;
  }
});
