/**
 * The film page in Debian Chromium through browser mode (real bridge, real SQLite): open the form
 * from a visit link, get the missing field named and focused, record, void, read the report and
 * download the CSV. The renderer is built into a temp folder so parallel runs never share a build.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startBrowserMode, type BrowserMode } from '../../electron/bridge/browser-mode';
import { silentLogger } from '../../electron/services/logger';
import { launchChromium, type TestBrowser } from '../support/chromium';
import { chromiumAvailable } from '../support/real-parts';
import { tempDir } from '../support/temp-dir';
import { insertVisit, type TestVisit } from './film-fixtures';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const haveChromium = chromiumAvailable();

describe.runIf(haveChromium)('film page in Chromium', () => {
  const data = tempDir('raddesk-film-ui-');
  const dist = tempDir('raddesk-film-dist-');
  let mode: BrowserMode;
  let browser: TestBrowser;
  let page: Page;
  let visit: TestVisit;

  beforeAll(async () => {
    execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'renderer/vite.config.ts', '--outDir', dist.path, '--emptyOutDir', '--logLevel', 'warn'],
      { cwd: ROOT, stdio: 'inherit' },
    );
    mode = await startBrowserMode({ dataDir: data.path, staticDir: dist.path, version: '0.0.0-test', logger: silentLogger, background: false });
    visit = insertVisit(mode.desk.db, { patientName: 'PHAN BỘI CHÂU', procedureCode: 'XQ.NGUC.T' });
    browser = await launchChromium();
    page = await browser.signedInPage(mode.signInUrl);
  });

  afterAll(async () => {
    await browser?.close();
    await mode?.close();
    data.remove();
    dist.remove();
  });

  it('records an exception from a visit link, naming the missing field first', async () => {
    await page.goto(`${mode.bridge.url}/#/film/new/${visit.id}`);
    await page.locator('.film-form').waitFor();
    await page.locator('input[name="film-case"][value="PATIENT_REQUEST"]').check();
    await page.locator('#film-requestReference').fill('PYC-0099');
    await page.getByRole('button', { name: 'Ghi cấp phim' }).click();

    const error = page.locator('#film-form-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('(chargeAcknowledged)');
    await page.waitForFunction(() => document.activeElement?.id === 'film-chargeAcknowledged');

    await page.locator('#film-chargeAcknowledged').check();
    await page.getByRole('button', { name: 'Ghi cấp phim' }).click();
    await page.locator('.alert-ok').waitFor();
    expect(await page.locator('.alert-ok').textContent()).toContain('PHAN BỘI CHÂU');

    const row = page.locator('.film-table tbody tr', { hasText: 'PHAN BỘI CHÂU' });
    await row.waitFor();
    expect(await row.textContent()).toContain('XQ.NGUC.T.CP');
    expect(await row.textContent()).toContain('Chưa gửi máy chủ');
  });

  it('voids it with a reason; the row stays, marked', async () => {
    const row = page.locator('.film-table tbody tr', { hasText: 'PHAN BỘI CHÂU' });
    await row.getByRole('button', { name: 'Hủy' }).click();
    await page.locator('#film-void-reason').fill('Người bệnh đổi ý');
    await page.getByRole('button', { name: 'Hủy bản ghi' }).click();
    await page.locator('.film-table tbody tr.film-voided', { hasText: 'Người bệnh đổi ý' }).waitFor();
    expect(await page.locator('.film-table tbody tr').count()).toBe(1);
  });

  it('reports without the voided record and downloads the CSV for Excel', async () => {
    await page.getByRole('tab', { name: 'Báo cáo' }).click();
    const totals = page.locator('.film-totals');
    await totals.waitFor();
    expect((await totals.locator('dd').allTextContents()).map((s) => s.trim())).toEqual(['0', '0', '0', '1']);

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Xuất CSV (Excel)' }).click();
    const file = await (await download).path();
    const bytes = readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text).toContain('PHAN BỘI CHÂU');
    expect(text).toContain('Đã hủy');
  });
});
