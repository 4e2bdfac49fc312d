/**
 * The technician's pages end to end in Debian Chromium through browser mode (real bridge, real
 * SQLite, real ingest from the watch folder, a real TCP socket as the printer): a walk-in entered
 * with a Vietnamese name and listed exactly as typed; a study from the modality attached from the
 * dialog after reading the old → new tag table; the slip previewed (the PNG really decoded) and
 * printed to a capture printer whose bytes are decoded back to a raster and a scanned QR; the Sync
 * page counting a PACS outage with the status bar saying so; a held study released; a bad file
 * listed in quarantine with its reason, retried and exported. Every wait is on a state on the page
 * or in the desk, never on time.
 *
 * Screenshots (Vietnamese and English) are written when DESK_UI_SCREENSHOTS names a folder.
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startBrowserMode, type BrowserMode } from '../../electron/bridge/browser-mode';
import { silentLogger } from '../../electron/services/logger';
import { RENDERER_DIST } from '../../scripts/renderer-build';
import { launchChromium, type TestBrowser } from '../support/chromium';
import { dcmtkAvailable, makeDx, type DxFile } from '../support/dicom-fixtures';
import { decodeEscPos } from '../support/escpos-decoder';
import { startPrinterCapture, type CapturedConnection, type PrinterCapture } from '../support/printer-capture';
import { chromiumAvailable } from '../support/real-parts';
import { tempDir } from '../support/temp-dir';
import { scanQr } from '../slips/slip-fixtures';

const haveParts = chromiumAvailable() && dcmtkAvailable();
const PORTAL = 'https://ketqua.phongkham.example';
const WALK_IN = 'Nguyễn Thị Ánh Tuyết';
const SHOTS = process.env.DESK_UI_SCREENSHOTS;
const VIEWPORT = { width: 1366, height: 900 };

/** A loopback port nothing listens on: the PACS and the worklist are "down" there. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe.runIf(haveParts)('technician pages in Chromium: visits, slip, sync, quarantine', () => {
  const data = tempDir('raddesk-desk-ui-');
  const exportTo = tempDir('raddesk-desk-ui-export-');
  const exportDir = join(data.path, 'export');
  let mode: BrowserMode;
  let capture: PrinterCapture;
  let browser: TestBrowser;
  let page: Page;
  let adminId: string;
  let downPort: number;
  let modality: DxFile;
  let walkInId: string;
  let visitNumber: string;
  let studyUid: string;

  const call = async <T = unknown>(method: string, input: unknown = {}): Promise<T> => {
    const r = await mode.desk.dispatch(method, input, { operatorId: adminId });
    if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
    return r.value as T;
  };
  /** The whole page, however long: the main area scrolls inside the window, so the window grows for the shot. */
  const shot = async (name: string) => {
    if (!SHOTS) return;
    mkdirSync(SHOTS, { recursive: true });
    const tall = await page.evaluate(() => {
      const main = document.querySelector('.main');
      return main ? main.scrollHeight + (window.innerHeight - main.clientHeight) : window.innerHeight;
    });
    await page.setViewportSize({ width: VIEWPORT.width, height: Math.min(Math.max(tall, VIEWPORT.height), 4000) });
    await page.screenshot({ path: join(SHOTS, `${name}.png`) });
    await page.setViewportSize(VIEWPORT);
  };
  const shotOf = async (what: ReturnType<Page['locator']>, name: string) => {
    if (!SHOTS) return;
    mkdirSync(SHOTS, { recursive: true });
    await what.screenshot({ path: join(SHOTS, `${name}.png`) });
  };
  const go = async (hash: string, ready: string) => {
    await page.evaluate((h) => {
      window.location.hash = h;
    }, hash);
    await page.locator(ready).first().waitFor();
  };

  beforeAll(async () => {
    mkdirSync(exportDir, { recursive: true });
    downPort = await closedPort();
    capture = await startPrinterCapture();
    mode = await startBrowserMode({ dataDir: data.path, staticDir: RENDERER_DIST, version: '0.0.0-e2e', logger: silentLogger });
    const ops = await mode.desk.dispatch('operators.list', {});
    if (!ops.ok) throw new Error('operators.list failed');
    adminId = ops.value.items.find((o) => o.role === 'admin')!.id;
    await call('settings.update', {
      ingest: { stableMs: 200, watchFolders: [exportDir] },
      portal: { baseUrl: PORTAL },
      printer: { interface: capture.uri },
      clinic: { name: 'Phòng khám Đa khoa Hòa Bình', phone: '0243 555 0101' },
      pacs: { dicomwebUrl: `http://127.0.0.1:${downPort}/dicom-web`, timeoutMs: 2000 },
      worklist: { host: '127.0.0.1', port: downPort, timeoutMs: 2000 },
    });
    browser = await launchChromium();
    page = await browser.signedInPage(mode.signInUrl, { viewport: VIEWPORT });
  });

  afterAll(async () => {
    await browser?.close();
    await mode?.close();
    await capture?.close();
    data.remove();
    exportTo.remove();
  });

  it('adds a walk-in with a Vietnamese name and lists it exactly as typed', async () => {
    await go('#/visits', '.visits-page');
    await page.getByRole('button', { name: 'Thêm khách vãng lai' }).click();
    await page.locator('#walkin-patientName').fill(WALK_IN);
    await page.locator('#walkin-birthDate').fill('31/02/1985');
    await page.locator('label.choice', { hasText: 'Nữ' }).click();
    await page.locator('#walkin-procedureCode').selectOption('XQ.NGUC.T');
    await page.locator('label.choice', { hasText: 'BHYT' }).click();
    // An impossible date is caught at the field, before anything is sent.
    await page.getByRole('button', { name: 'Thêm lượt khám' }).click();
    await page.locator('#walkin-birthDate-error').waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'walkin-birthDate');
    await page.locator('#walkin-birthDate').fill('12/03/1985');
    await page.getByRole('button', { name: 'Thêm lượt khám' }).click();
    await page.locator('[data-testid=walkin-created]').waitFor();

    const { items } = await call<{ items: { id: string; visitNumber: string; patientName: string; birthDate: string; sex: string; temporaryPatientID: boolean; procedureCode: string; payer: string }[] }>('visits.list', {});
    expect(items).toHaveLength(1);
    const v = items[0]!;
    expect(v).toMatchObject({ patientName: WALK_IN, birthDate: '19850312', sex: 'F', temporaryPatientID: true, procedureCode: 'XQ.NGUC.T', payer: 'BHYT' });
    walkInId = v.id;
    visitNumber = v.visitNumber;

    const row = page.locator(`tr[data-visit-id="${walkInId}"]`);
    await row.waitFor();
    expect(await row.locator('.visit-name-link').textContent()).toBe(WALK_IN);
    expect(await row.locator('[data-chip=temporary-id]').count()).toBe(1);
    expect(await row.locator('[data-chip=images]').getAttribute('data-value')).toBe('none');
    expect(await row.locator('[data-chip=slip]').getAttribute('data-value')).toBe('none');

    // Search ignores accents and case; a name that is not there says so.
    await page.locator('#visits-search').fill('nguyen thi anh tuyet');
    await page.locator('[data-testid=visit-count]', { hasText: '1 lượt khám' }).waitFor();
    await page.locator('#visits-search').fill('le van');
    await page.locator('.empty', { hasText: 'Không có lượt khám nào khớp' }).waitFor();
    await page.locator('#visits-search').fill('');
    await row.waitFor();
  });

  it('keeps the cached list and says so when the worklist cannot be reached', async () => {
    await page.getByTestId('worklist-refresh').click();
    const alert = page.locator('.worklist-error');
    await alert.waitFor();
    expect(await alert.textContent()).toContain(`Không kết nối được worklist tại 127.0.0.1:${downPort}`);
    await page.locator(`tr[data-visit-id="${walkInId}"]`).waitFor();
    await shot('vi-visits');
  });

  it('attaches a study from the modality after showing the old → new tags', async () => {
    modality = makeDx(exportDir, { patientName: 'TRẦN^THỊ BÍCH', patientID: 'MOD-0042', sex: 'F', birthDate: '19850312', rows: 256, columns: 256 });
    const waiting = page.locator(`.unattached tr[data-study-uid="${modality.studyInstanceUID}"]`);
    await waiting.waitFor();
    await waiting.getByRole('button', { name: 'Gán lượt khám' }).click();

    const dialog = page.locator('dialog.attach-dialog');
    await dialog.waitFor();
    // The search box has the focus: type without accents, see the visit; then a barcode scan
    // (the visit number and Enter) picks it.
    await page.waitForFunction(() => document.activeElement?.id === 'attach-search');
    await page.keyboard.type('nguyen thi anh');
    await dialog.locator(`.visit-choice[data-visit-id="${walkInId}"]`).waitFor();
    await page.locator('#attach-search').fill('');
    await page.keyboard.type(visitNumber);
    await page.keyboard.press('Enter');

    const name = dialog.locator('tr[data-keyword=PatientName]');
    await name.waitFor();
    expect(await name.locator('.tag-old').textContent()).toBe('TRẦN^THỊ BÍCH');
    expect(await name.locator('.tag-new').textContent()).toBe(WALK_IN);
    const id = dialog.locator('tr[data-keyword=PatientID]');
    expect(await id.locator('.tag-old').textContent()).toBe('MOD-0042');
    expect(await id.locator('.tag-new').textContent()).not.toBe('MOD-0042');
    await shot('vi-attach-dialog');

    await dialog.getByRole('button', { name: 'Xác nhận gán' }).click();
    await dialog.getByTestId('attach-done').waitFor();
    await dialog.getByRole('button', { name: 'Xong' }).click();
    await dialog.waitFor({ state: 'detached' });
    await waiting.waitFor({ state: 'detached' });

    const visit = await call<{ studies: { studyInstanceUID: string }[]; patientID: string }>('visits.get', { id: walkInId });
    expect(visit.studies).toHaveLength(1);
    studyUid = visit.studies[0]!.studyInstanceUID;
  });

  it('previews the slip at print size and prints it once to the printer', async () => {
    // A scanned visit number in the list's search box opens the visit.
    await go('#/visits', '#visits-search');
    await page.locator('#visits-search').focus();
    await page.keyboard.type(visitNumber);
    await page.keyboard.press('Enter');
    await page.getByTestId('visit-name').waitFor();
    expect(await page.getByTestId('visit-name').textContent()).toBe(WALK_IN);
    await page.locator(`[data-testid=visit-studies] tr[data-study-uid="${studyUid}"]`).waitFor();
    await page.locator('[data-testid=printer-status] [data-state=ready]').waitFor();

    await page.getByRole('button', { name: 'In phiếu QR' }).click();
    const img = page.getByTestId('slip-preview');
    await img.waitFor();
    await page.waitForFunction(() => {
      const el = document.querySelector<HTMLImageElement>('[data-testid=slip-preview]');
      return !!el && el.complete && el.naturalWidth > 0;
    });
    const size = await img.evaluate((el: HTMLImageElement) => ({ natural: el.naturalWidth, shown: el.getBoundingClientRect().width, height: el.naturalHeight }));
    expect(size.natural).toBe(576);
    expect(size.shown).toBe(576);
    expect(size.height).toBeGreaterThan(400);
    await shot('vi-slip-preview');

    const connectionsBefore = capture.connectionCount;
    await page.getByTestId('slip-print').click();
    const outcome = page.getByTestId('print-outcome');
    await outcome.waitFor();
    expect(await outcome.getAttribute('data-outcome')).toBe('printed');

    // The job on the wire: one raster, the printed QR opens the portal with an opaque token.
    const job = await rasterJobAfter(capture, connectionsBefore);
    const url = scanQr(job);
    expect(url).toMatch(new RegExp(`^${PORTAL.replace(/[.]/g, '\\.')}/r/[A-Za-z0-9_-]{22}$`));
    expect(job.width).toBe(576);

    const slips = page.locator('[data-testid=slip-list] tbody tr');
    await page.locator('[data-testid=slip-list] tr[data-status=active]').waitFor();
    expect(await slips.count()).toBe(1);
    const code = (await page.locator('[data-testid=slip-list] .lookup-code').textContent()) ?? '';
    expect(await outcome.textContent()).toContain(code);
    await page.locator('[data-chip=slip][data-value=active]').first().waitFor();
    await shot('vi-visit-detail');
  });

  it('reprints with a reason, revoking the old slip', async () => {
    await page.locator('[data-testid=slip-list] tr[data-status=active]').getByRole('button', { name: 'In lại' }).click();
    await page.getByTestId('slip-preview').waitFor();
    const print = page.getByTestId('slip-print');
    expect(await print.isDisabled()).toBe(true);
    await page.locator('#slip-reprint-reason').fill('Phiếu bị ướt');
    const before = capture.connectionCount;
    await print.click();
    await page.locator('[data-testid=print-outcome][data-outcome=printed]').waitFor();
    await rasterJobAfter(capture, before);
    await page.locator('[data-testid=slip-list] tr[data-status=revoked]').waitFor();
    expect(await page.locator('[data-testid=slip-list] tr[data-status=active]').count()).toBe(1);
  });

  it('shows the outbox during a PACS outage, in the page and the status bar', async () => {
    await go('#/sync', '[data-testid=sync-summary]');
    await page.locator('[data-testid=sync-connection][data-connection=offline]').waitFor();
    await page.locator('[data-count=studiesWaiting] dd', { hasText: /^1$/ }).waitFor();
    const row = page.locator(`[data-testid=sync-studies] tr[data-study-uid="${studyUid}"]`);
    await row.waitFor();
    expect(await row.locator('progress').getAttribute('value')).toBe('0');
    // The row names the patient as sync.list does (PN carets shown as spaces).
    const listed = await call<{ items: { studyInstanceUID: string; patientName: string }[] }>('sync.list', {});
    const pn = listed.items.find((i) => i.studyInstanceUID === studyUid)!.patientName;
    expect(await row.locator('.sync-name').textContent()).toBe(pn.split('^').join(' '));
    expect(await page.getByTestId('sync-last-error').getAttribute('data-code')).toMatch(/^PACS_/);
    expect(await page.getByTestId('sync-strip').textContent()).toContain('PACS mất kết nối — 1 ca đang chờ gửi');
    const status = await call<{ pending: number; sending: number; verified: number }>('sync.status');
    expect(status.pending + status.sending).toBe(1);
    expect(status.verified).toBe(0);

    // Retry now is accepted (and, the PACS still being down, changes nothing else).
    await page.getByTestId('sync-retry-all').click();
    await page.locator('.sync-summary .alert-info').waitFor();
  });

  it('releases a held study only after the operator confirms its tags match', async () => {
    const held = makeDx(exportDir, { patientName: 'LÊ^VĂN CƯỜNG', patientID: 'BN-7781', accessionNumber: 'ACC-7781', rows: 256, columns: 256 });
    const item = page.locator(`[data-testid=release-panel] li[data-study-uid="${held.studyInstanceUID}"]`);
    await item.waitFor();
    expect(await item.locator('dd').first().textContent()).toBe('LÊ^VĂN CƯỜNG');
    await item.getByRole('button', { name: 'Gửi không cần lượt khám…' }).click();
    const send = item.getByRole('button', { name: 'Gửi lên PACS' });
    expect(await send.isDisabled()).toBe(true);
    await item.locator('input[type=checkbox]').check();
    await send.click();
    await item.waitFor({ state: 'detached' });
    await page.locator(`[data-testid=sync-studies] tr[data-study-uid="${held.studyInstanceUID}"]`).waitFor();
    await page.locator('[data-count=studiesWaiting] dd', { hasText: /^2$/ }).waitFor();
    await shot('vi-sync');
  });

  it('lists a bad file in quarantine with its reason, retries it and exports it', async () => {
    writeFileSync(join(exportDir, 'ghi-chu.dcm'), 'Đây không phải là tệp DICOM.\n');
    const row = page.locator('[data-testid=quarantine-list] tr[data-reason=NOT_DICOM]');
    await row.waitFor();
    expect(await row.textContent()).toContain('ghi-chu.dcm');
    expect(await row.locator('.reason-text').textContent()).toContain('Không phải tệp DICOM');
    await page.locator('[data-testid=ingest-counters] [data-count=quarantined] dd', { hasText: /^1$/ }).waitFor();

    await row.getByRole('button', { name: 'Thử lại' }).click();
    const retried = row.getByTestId('retry-outcome');
    await retried.waitFor();
    expect(await retried.textContent()).toContain('NOT_DICOM');

    await row.getByRole('button', { name: 'Xuất tệp…' }).click();
    await row.locator('.export-form input').fill(exportTo.path);
    await row.getByRole('button', { name: 'Xuất', exact: true }).click();
    const exported = row.getByTestId('export-outcome');
    await exported.waitFor();
    const path = (await exported.locator('.export-path').textContent()) ?? '';
    expect(path.startsWith(exportTo.path)).toBe(true);
    expect(existsSync(path)).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe('Đây không phải là tệp DICOM.\n');
    await shot('vi-quarantine');
  });

  it('tests the PACS values typed in Settings and prints a test page', async () => {
    await go('#/settings', '.settings-form');
    await page.getByRole('button', { name: 'Kiểm tra kết nối PACS' }).click();
    const pacs = page.getByTestId('pacs-test');
    await pacs.locator('.alert').waitFor();
    expect(await pacs.locator('.alert').textContent()).toContain('Không kết nối được PACS');

    const before = capture.connectionCount;
    await page.getByRole('button', { name: 'In trang thử' }).click();
    await page.getByTestId('printer-test').locator('.alert-ok').waitFor();
    await rasterJobAfter(capture, before);
    await shotOf(page.locator('fieldset.settings-section', { has: pacs }), 'vi-settings-pacs');
    await shotOf(page.locator('fieldset.settings-section', { has: page.getByTestId('printer-test') }), 'vi-settings-printer');
  });

  it('shows the same pages in English', async () => {
    await page.locator('.language-switch select').selectOption('en');
    await go('#/visits', '.visits-page');
    await page.getByRole('heading', { name: 'Visits', exact: true }).waitFor();
    expect(await page.locator(`tr[data-visit-id="${walkInId}"] .visit-name-link`).textContent()).toBe(WALK_IN);
    await page.locator(`tr[data-visit-id="${walkInId}"] [data-chip=slip]`, { hasText: 'Slip printed' }).waitFor();
    await shot('en-visits');
    await go(`#/visits/${walkInId}`, '[data-testid=visit-name]');
    await page.getByRole('heading', { name: 'Result slip (QR)' }).waitFor();
    await shot('en-visit-detail');
    await go('#/sync', '[data-testid=sync-summary]');
    await page.getByTestId('sync-strip').filter({ hasText: 'PACS offline — 2 studies waiting' }).waitFor();
    await page.locator('[data-testid=quarantine-list] .reason-text', { hasText: 'Not a DICOM file' }).waitFor();
    await shot('en-sync');
    await go('#/visits', '.visits-page');
    await page.locator('.unattached').waitFor();
    await page.locator('.language-switch select').selectOption('vi');
  });
  // Last: its extra study would change the counts the pages above check.
  it('opens a study from a link and attaches it from the inbox in three clicks', async () => {
    const second = makeDx(exportDir, { patientName: 'LE^VAN^C', patientID: 'MOD-0077', rows: 128, columns: 128 });
    await page.locator(`.unattached tr[data-study-uid="${second.studyInstanceUID}"]`).waitFor();
    await go(`#/inbox/${encodeURIComponent(second.studyInstanceUID)}`, '.inbox-page');
    // The study under review: attach button → the visit → confirm.
    await page.getByRole('button', { name: 'Gán lượt khám' }).click();
    const dialog = page.locator('dialog.attach-dialog');
    await dialog.locator(`.visit-choice[data-visit-id="${walkInId}"]`).click();
    await dialog.getByRole('button', { name: 'Xác nhận gán' }).click();
    await dialog.getByTestId('attach-done').waitFor();
    await dialog.getByRole('button', { name: 'Xong' }).click();
    const visit = await call<{ studies: { studyInstanceUID: string }[] }>('visits.get', { id: walkInId });
    expect(visit.studies.map((x) => x.studyInstanceUID)).toContain(second.studyInstanceUID);
    // Attached, the same study now offers to change its visit.
    await page.getByRole('button', { name: 'Đổi lượt khám' }).waitFor();
  });

});

/** The first capture connection from `from` on that carried a raster job, once it closed. */
async function rasterJobAfter(capture: PrinterCapture, from: number) {
  for (;;) {
    const conn: CapturedConnection = await capture.nextClosed();
    if (conn.index < from) continue;
    const job = decodeEscPos(conn.bytes());
    if (job.raster) return job.raster;
  }
}
