/**
 * An order cancelled on the RIS/HIS as the technician sees it, in Debian Chromium through browser
 * mode with Orthanc's worklist: a cancelled order without images is gone from the day's list; one
 * with images stays, flagged "Đã hủy trên worklist" after "Làm mới worklist" (which also counts it),
 * and its page says why and that its images are kept. Every wait is on a state, never on time.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startBrowserMode, type BrowserMode } from '../../electron/bridge/browser-mode';
import { silentLogger } from '../../electron/services/logger';
import { localDicomDate } from '../../electron/services/visits/local-day';
import { RENDERER_DIST } from '../../scripts/renderer-build';
import { launchChromium, type TestBrowser } from '../support/chromium';
import { makeDx } from '../support/dicom-fixtures';
import { orthancAvailable, requireOrHave, startOrthanc, type OrthancHandle } from '../support/orthanc';
import { chromiumAvailable } from '../support/real-parts';
import { tempDir } from '../support/temp-dir';
import { dcmtkAvailable } from './dcmtk';
import { writeWorklistFile } from './worklist-files';
import { waitFor } from './wait';

const haveParts = requireOrHave('Orthanc', orthancAvailable()) && chromiumAvailable() && dcmtkAvailable();

describe.runIf(haveParts)('cancelled orders in the visit list (Chromium)', () => {
  const data = tempDir('raddesk-withdrawal-ui-');
  const exportDir = join(data.path, 'export');
  let orthanc: OrthancHandle;
  let mode: BrowserMode;
  let browser: TestBrowser;
  let page: Page;
  let adminId: string;
  let imagedFile: string;
  const ids = { empty: '', imaged: '' };

  const call = async <T = unknown>(method: string, input: unknown = {}): Promise<T> => {
    const r = await mode.desk.dispatch(method, input, { operatorId: adminId });
    if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
    return r.value as T;
  };
  const idOf = async (accession: string) => (await call<{ items: { id: string }[] }>('visits.list', { text: accession, includeWithdrawn: true })).items[0]!.id;

  beforeAll(async () => {
    mkdirSync(exportDir, { recursive: true });
    orthanc = await startOrthanc();
    const day = localDicomDate(Date.now());
    const emptyFile = writeWorklistFile(orthanc.worklistDir, { accessionNumber: 'ACC-HUY', patientID: 'BN-4001', patientName: 'Lê Thị Hủy', procedureMeaning: 'X-quang ngực thẳng', date: day, time: '080000' });
    imagedFile = writeWorklistFile(orthanc.worklistDir, { accessionNumber: 'ACC-ANH', patientID: 'BN-4002', patientName: 'Trần Văn Ảnh', procedureMeaning: 'X-quang khớp gối', date: day, time: '081500' });
    mode = await startBrowserMode({ dataDir: data.path, staticDir: RENDERER_DIST, version: '0.0.0-e2e', logger: silentLogger });
    const ops = await mode.desk.dispatch('operators.list', {});
    if (!ops.ok) throw new Error('operators.list failed');
    adminId = ops.value.items.find((o) => o.role === 'admin')!.id;
    await call('settings.update', {
      ingest: { stableMs: 200, watchFolders: [exportDir] },
      worklist: { host: '127.0.0.1', port: orthanc.dicomPort, calledAet: orthanc.aet, callingAet: 'RADDESK', modality: 'DX' },
    });
    await call('visits.refresh');
    ids.empty = await idOf('ACC-HUY');
    ids.imaged = await idOf('ACC-ANH');
    const dx = makeDx(exportDir, { rows: 32, columns: 32, accessionNumber: 'ACC-ANH', patientID: 'BN-4002', patientName: 'TRAN VAN ANH' });
    const visitOf = mode.desk.db.prepare('SELECT visit_id FROM studies WHERE study_uid = ?').pluck();
    await waitFor(() => visitOf.get(dx.studyInstanceUID) === ids.imaged, 'the automatic attach');
    rmSync(emptyFile);
    expect(await call('visits.refresh')).toMatchObject({ withdrawn: 1 });

    browser = await launchChromium();
    page = await browser.signedInPage(mode.signInUrl);
  });

  afterAll(async () => {
    await browser?.close();
    await mode?.close();
    await orthanc?.stop();
    data.remove();
  });

  it('hides the cancelled order without images, flags the one with images, and explains it on its page', async () => {
    await page.evaluate(() => {
      window.location.hash = '#/visits';
    });
    const imagedRow = page.locator(`tr[data-visit-id="${ids.imaged}"]`);
    await imagedRow.waitFor();
    expect(await page.locator(`tr[data-visit-id="${ids.empty}"]`).count()).toBe(0);
    expect(await imagedRow.locator('[data-chip=withdrawn]').count()).toBe(0);

    // The RIS cancels the second order; the technician refreshes.
    rmSync(imagedFile);
    await page.getByTestId('worklist-refresh').click();
    await page.locator('.worklist-last', { hasText: '1 chỉ định đã bị hủy trên worklist' }).waitFor();
    await imagedRow.locator('[data-chip=withdrawn]', { hasText: 'Đã hủy trên worklist' }).waitFor();

    await imagedRow.locator('.visit-name-link').click();
    const alert = page.getByTestId('visit-withdrawn');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/^Chỉ định này đã bị hủy trên worklist \(RIS\/HIS\) lúc .+\. Ảnh đã gán vẫn được giữ/);

    await page.locator('.language-switch select').selectOption('en');
    await page.locator('.visit-head [data-chip=withdrawn]', { hasText: 'Cancelled on worklist' }).waitFor();
    expect(await alert.textContent()).toContain('Images already attached are kept');
  });
});
