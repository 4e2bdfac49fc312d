/**
 * From the desk's thermal slip to the patient's phone, with every part real: a desk built by
 * compose() with its background work on (watch-folder ingest, PACS sync, records sender) and the
 * system clock; Orthanc as the PACS; the clinic server in-process on a real PostgreSQL 15; a TCP
 * socket standing in for the printer; Debian Chromium at 390×844 as the phone.
 *
 *   a. walk-in (Vietnamese name) → DX in the watch folder → attach → print → the captured `GS v 0`
 *      raster is decoded, jsQR reads the link → the phone opens it → the images, once the sync
 *      verified them and the records sender delivered the slip;
 *   b. the same with the PACS and the server down: the slip is printed before the images even
 *      exist (the slip record then lists no study; attaching enqueues the update), both queues
 *      fail and back off, then the PACS and the server start on the addresses the desk was given,
 *      and the phone sees the images with no operator action — the desk's own backoff brings it
 *      back (systemClock: nothing here advances time or presses "retry");
 *   c. revoke → once the revocation reached the server, the same link shows the page a stranger's
 *      unknown token gets, byte for byte, and the phone's open session stops showing images.
 *
 * Every wait is on a state (desk status, page content), bounded, never a blind sleep. The phone
 * reloads the "đang cập nhật" page itself rather than waiting the page's 30 s meta refresh (that
 * refresh is asserted on the page when it shows). The per-minute rate limit on the patient pages
 * is raised here because this one "phone" polls far faster than a person would.
 *
 * Screenshots of the phone go to SLIP_PHONE_SCREENSHOTS when it names a folder.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { compose, type Desk } from '../../electron/compose';
import { systemClock } from '../../electron/services/clock';
import { memoryLogger } from '../../electron/services/logger';
import type { Caller } from '../../electron/core/dispatch';
import type { MethodName, MethodOutput } from '../../shared/contract';
import { loadConfig } from '../../server/src/config';
import { createClinicServer, type ClinicServer } from '../../server/src/app';
import { openStore } from '../../server/src/db/open-store';
import { createDicomwebImageSource } from '../../server/src/pacs/dicomweb-image-source';
import { enrolDesk } from '../../server/src/records/desks';
import type { Sql } from '../../server/src/db/sql';
import { launchChromium, type TestBrowser } from '../support/chromium';
import { dcmtkAvailable, makeStudy, type DxFile } from '../support/dicom-fixtures';
import { decodeEscPos } from '../support/escpos-decoder';
import { freePort, orthancAvailable, startOrthanc, type OrthancHandle } from '../support/orthanc';
import { havePostgres, startPostgres, type PostgresHandle } from '../support/postgres';
import { startPrinterCapture, type PrinterCapture } from '../support/printer-capture';
import { chromiumAvailable, requirePart } from '../support/real-parts';
import { tempDir } from '../support/temp-dir';
import { scanQr } from '../slips/slip-fixtures';

const ready =
  requirePart('Orthanc', orthancAvailable(), 'apt-get install orthanc orthanc-dicomweb') &&
  havePostgres() &&
  chromiumAvailable() &&
  requirePart('dcmtk', dcmtkAvailable(), 'apt-get install dcmtk');

const PHONE = { width: 390, height: 844 };
const SHOTS = process.env.SLIP_PHONE_SCREENSHOTS;
/** Bounds of the state waits: the desk's own backoff (records: ≤ 5 s poll, then 2.5–5 s…) fits well inside. */
const WAIT_MS = 40_000;

/** Polls `probe` until it returns something truthy; fails naming `what` after `timeoutMs`. */
async function until<T>(what: string, probe: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs = WAIT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

interface ClinicServerHandle {
  readonly url: string;
  readonly logger: ReturnType<typeof memoryLogger>;
  close(): Promise<void>;
}

/** A server's store: its PostgreSQL database migrated, and one desk enrolled (as `enrol-desk` does). */
async function serverStore(pg: PostgresHandle, name: string): Promise<{ sql: Sql; apiKey: string; databaseUrl: string }> {
  const databaseUrl = await pg.createDatabase(name);
  const sql = await openStore({ databaseUrl, dataDir: '' });
  const { apiKey } = await enrolDesk(sql, systemClock, 'Bàn chụp X-quang 1');
  return { sql, apiKey, databaseUrl };
}

/** The clinic server in-process, listening on `port`, its public address that same loopback port. */
async function startClinicServer(o: { sql: Sql; databaseUrl: string; port: number; pacsUrl: string }): Promise<ClinicServerHandle> {
  const logger = memoryLogger();
  const config = loadConfig({
    PORT: String(o.port),
    HOST: '127.0.0.1',
    DATABASE_URL: o.databaseUrl,
    PUBLIC_BASE_URL: `http://127.0.0.1:${o.port}`,
    PACS_DICOMWEB_URL: o.pacsUrl,
    PACS_TIMEOUT_MS: '5000',
    RESULT_RATE_PER_MINUTE: '100000',
  });
  const app: ClinicServer = createClinicServer({ config, sql: o.sql, pacs: createDicomwebImageSource(config.pacs!), clock: systemClock, logger });
  const url = await app.listen();
  expect(url).toBe(config.publicBaseUrl);
  return { url, logger, close: () => app.close() };
}

interface PhoneDesk {
  desk: Desk;
  exportDir: string;
  logger: ReturnType<typeof memoryLogger>;
  call<M extends MethodName>(method: M, input?: unknown): Promise<MethodOutput<M>>;
  close(): Promise<void>;
}

/** compose() twice: once to store the settings, then with the background on (the watcher reads them at start). */
async function startDesk(settings: Record<string, unknown>): Promise<PhoneDesk> {
  const dir = tempDir('raddesk-slip-phone-');
  const logger = memoryLogger();
  const setup = await compose({ dataDir: dir.path, mode: 'test', version: '0.0.0-e2e', clock: systemClock, logger, background: false });
  const ops = await setup.dispatch('operators.list', {});
  if (!ops.ok) throw new Error('operators.list failed');
  const admin: Caller = { operatorId: ops.value.items.find((o) => o.role === 'admin')!.id };
  const saved = await setup.dispatch('settings.update', settings, admin);
  if (!saved.ok) throw new Error(`settings.update: ${saved.error.message}`);
  await setup.close();
  const desk = await compose({ dataDir: dir.path, mode: 'test', version: '0.0.0-e2e', clock: systemClock, logger, background: true });
  return {
    desk,
    exportDir: join(dir.path, 'export'),
    logger,
    async call(method, input = {}) {
      const r = await desk.dispatch(method, input, admin);
      if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
      return r.value;
    },
    async close() {
      await desk.close();
      dir.remove();
    },
  };
}

function deskSettings(o: { pacsUrl: string; serverUrl: string; apiKey: string; printer: string }) {
  return {
    ingest: { stableMs: 200 },
    pacs: { dicomwebUrl: o.pacsUrl, timeoutMs: 5000 },
    server: { url: o.serverUrl, apiKey: o.apiKey },
    portal: { baseUrl: o.serverUrl },
    printer: { interface: o.printer },
    clinic: { name: 'Phòng khám Đa khoa Hòa Bình', address: '12 Lê Lợi, Huế', phone: '0234 382 1234' },
  };
}

/** Walk-in → print → the captured bytes decoded back to a raster → the link the QR holds. */
async function printSlip(d: PhoneDesk, capture: PrinterCapture, visitId: string): Promise<{ slipId: string; url: string }> {
  const printed = await d.call('slips.print', { visitId });
  const job = decodeEscPos((await capture.nextClosed()).bytes());
  expect(job.commands.some((c) => c.op === 'raster')).toBe(true);
  const url = scanQr(job.raster!);
  if (!url) throw new Error('jsQR read no QR code on the printed slip');
  return { slipId: printed.slipId, url };
}

/** The study's images dropped into the watch folder, as a modality exports them; resolves once ingested. */
async function dropStudy(d: PhoneDesk, patientName: string): Promise<DxFile[]> {
  const files = makeStudy(d.exportDir, { views: 2, patientName, rows: 512, columns: 512 });
  const uid = files[0]!.studyInstanceUID;
  await until('the images to be ingested', async () => (await d.call('studies.list', { text: files[0]!.patientID })).items.find((s) => s.studyInstanceUID === uid && s.instanceCount === files.length));
  return files;
}

/**
 * The phone opens the printed link and waits for the images: `/r/{token}` until the server knows
 * the token (then its cookie carries the session), then `/result` until the images show — every
 * <img> decoded. Returns what it saw on the way.
 */
async function phoneSeesImages(page: Page, link: string, count: number): Promise<{ sawUnknown: boolean; sawPending: boolean }> {
  let sawUnknown = false;
  let sawPending = false;
  await until('the server to know the token', async () => {
    const res = await page.goto(link);
    if (new URL(page.url()).pathname === '/result') return true;
    expect(res?.status()).toBe(404);
    sawUnknown = true;
    return false;
  });
  await until('the result page to show the images', async () => {
    if (new URL(page.url()).pathname !== '/result') await page.goto(link);
    else await page.reload();
    if ((await page.locator('.shots img').count()) === count) return true;
    if ((await page.locator('meta[http-equiv=refresh]').count()) === 1) {
      // The "đang cập nhật" page, which reloads itself.
      expect(await page.locator('h1').textContent()).toBe('Ảnh đang được cập nhật');
      expect(await page.locator('meta[http-equiv=refresh]').getAttribute('content')).toBe('30');
      sawPending = true;
    }
    return false;
  });
  // The first image is eager, the others lazy: bring the last into view, then every one must decode.
  await page.locator('.shots img').last().scrollIntoViewIfNeeded();
  await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('.shots img')].every((i) => i.complete && i.naturalWidth > 0), undefined, { timeout: WAIT_MS });
  return { sawUnknown, sawPending };
}

async function screenshot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

describe.runIf(ready)('slip → phone: the printed QR opens the patient’s images', () => {
  let pg: PostgresHandle;
  let orthanc: OrthancHandle;
  let capture: PrinterCapture;
  let browser: TestBrowser;
  let phone: BrowserContext;
  let store: { sql: Sql; apiKey: string; databaseUrl: string };
  let server: ClinicServerHandle;
  let desk: PhoneDesk;
  const cleanups: (() => Promise<unknown>)[] = [];
  const tokens: string[] = [];
  /** Every desk's and server's log, for the last test. */
  const logs: { lines: string[] }[] = [];
  /** Scenario a's slip, revoked in c. */
  let slipA: { slipId: string; url: string };

  beforeAll(async () => {
    [pg, orthanc, capture, browser] = await Promise.all([startPostgres(), startOrthanc(), startPrinterCapture(), launchChromium()]);
    store = await serverStore(pg, 'slip_phone');
    server = await startClinicServer({ ...store, port: await freePort(), pacsUrl: orthanc.dicomwebUrl });
    desk = await startDesk(deskSettings({ pacsUrl: orthanc.dicomwebUrl, serverUrl: server.url, apiKey: store.apiKey, printer: capture.uri }));
    logs.push(server.logger, desk.logger);
    phone = await browser.browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: 'vi-VN' });
  });

  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    await phone?.close();
    await desk?.close();
    await server?.close();
    await store?.sql.close();
    await browser?.close();
    await capture?.close();
    await orthanc?.stop();
    await pg?.stop();
  });

  it('a. walk-in → DX → attach → slip → QR → the phone shows the images', async () => {
    const t0 = performance.now();
    const visit = await desk.call('visits.create', { patientName: 'Đặng Thị Thu Hương', birthDate: '19870312', sex: 'F', procedure: { code: 'XQ.NGUC.T', name: 'X-quang ngực thẳng' } });
    const files = await dropStudy(desk, 'DANG^THI^HUONG');
    const uid = files[0]!.studyInstanceUID;
    await desk.call('visits.attach', { visitId: visit.id, studyInstanceUIDs: [uid] });

    slipA = await printSlip(desk, capture, visit.id);
    expect(slipA.url.startsWith(`${server.url}/r/`)).toBe(true);
    const token = slipA.url.slice(`${server.url}/r/`.length);
    expect(token).toMatch(/^[A-Za-z0-9_-]{22}$/);
    tokens.push(token);

    // The sync verified every image (QIDO listed it) and the records sender delivered the slip.
    await until('the sync to verify the study', async () => (await desk.call('sync.list', {})).items.find((s) => s.studyInstanceUID === uid && s.counts.verified === files.length));
    await until('the slip record to reach the server', async () => (await desk.call('records.status', {})).pending === 0);

    const page = await phone.newPage();
    const seen = await phoneSeesImages(page, slipA.url, files.length);
    expect(new URL(page.url()).pathname).toBe('/result');
    expect(await page.locator('h1').textContent()).toBe('Kết quả X-quang');
    expect(await page.locator('header .clinic').textContent()).toBe('Phòng khám Đa khoa Hòa Bình');
    expect(await page.locator('dd').first().textContent()).toBe('Đặng T** T** H****');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'a-phone-result');
    console.info(`slip-to-phone a: ${Math.round(performance.now() - t0)} ms from walk-in to images on the phone`, seen);
    await page.close();
  }, 60_000);

  it('b. PACS and server down at print time: the phone shows the images once both queues drain, with no operator action', async () => {
    const t0 = performance.now();
    // Addresses the desk is given now; nothing listens there until later.
    const [pacsPort, serverPort] = [await freePort(), await freePort()];
    const pacsUrl = `http://127.0.0.1:${pacsPort}/dicom-web`;
    const serverUrl = `http://127.0.0.1:${serverPort}`;
    const outage = await serverStore(pg, 'slip_phone_outage');
    cleanups.push(() => outage.sql.close());
    const d = await startDesk(deskSettings({ pacsUrl, serverUrl, apiKey: outage.apiKey, printer: capture.uri }));
    cleanups.push(() => d.close());
    logs.push(d.logger);

    // Printed before the images exist: nothing in printing needs the server or the PACS.
    const visit = await d.call('visits.create', { patientName: 'Võ Minh Quân', birthDate: '1992', sex: 'M', procedure: { code: 'XQ.CSTL', name: 'X-quang cột sống thắt lưng' } });
    const slip = await printSlip(d, capture, visit.id);
    expect(slip.url.startsWith(`${serverUrl}/r/`)).toBe(true);
    tokens.push(slip.url.slice(`${serverUrl}/r/`.length));

    const files = await dropStudy(d, 'VO^MINH^QUAN');
    const uid = files[0]!.studyInstanceUID;
    await d.call('visits.attach', { visitId: visit.id, studyInstanceUIDs: [uid] });

    // Both queues tried and failed: the sync is offline, the records sender backs off.
    await until('the sync to find the PACS offline', async () => (await d.call('sync.status', {})).connection === 'offline');
    const failed = await until('the records sender to fail once', async () => {
      const st = await d.call('records.status', {});
      return st.lastError?.code === 'SERVER_UNREACHABLE' && st;
    });
    // Nothing reached the server: every record (slips and the audit trail) waits.
    const queued = (d.desk.db.prepare('SELECT count(*) AS n FROM records_outbox').get() as { n: number }).n;
    expect(failed.pending).toBe(queued);
    expect(failed.delivered).toBe(0);
    // The slip as issued listed no study; the attach added an update that lists the study.
    const slipRecords = d.desk.db.prepare(`SELECT payload FROM records_outbox WHERE kind = 'slip' ORDER BY rowid`).all() as { payload: string }[];
    expect(slipRecords.map((r) => (JSON.parse(r.payload) as { studyInstanceUIDs: string[] }).studyInstanceUIDs)).toEqual([[], [uid]]);
    const downMs = performance.now() - t0;

    // The PACS and the server come up where the desk expects them.
    const pacs = await startOrthanc({ httpPort: pacsPort });
    cleanups.push(() => pacs.stop());
    if (pacs.dicomwebUrl !== pacsUrl) throw new Error(`port ${pacsPort} was taken between reserving it and starting Orthanc; run again`);
    const srv = await startClinicServer({ ...outage, port: serverPort, pacsUrl });
    cleanups.push(() => srv.close());
    logs.push(srv.logger);
    const up = performance.now();

    // Another phone (cookies are per host, not per port: the two servers must not share a jar).
    const other = await browser.browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: 'vi-VN' });
    cleanups.push(() => other.close());
    const page = await other.newPage();
    const seen = await phoneSeesImages(page, slip.url, files.length);
    const shownMs = performance.now() - up;
    expect(await page.locator('dd').first().textContent()).toBe('Võ M*** Q***');
    await screenshot(page, 'b-phone-after-outage');
    await page.close();

    const sync = (await d.call('sync.list', {})).items.find((s) => s.studyInstanceUID === uid);
    expect(sync?.counts.verified).toBe(files.length);
    expect((await d.call('records.status', {})).pending).toBe(0);
    console.info(`slip-to-phone b: down ${Math.round(downMs)} ms, images on the phone ${Math.round(shownMs)} ms after the PACS and server came up`, seen);
  }, 90_000);

  it('c. revoke → once the revocation reached the server, the link shows the not-found page', async () => {
    const page = await phone.newPage();
    // The phone still has its session from a.
    await page.goto(`${server.url}/result`);
    expect(await page.locator('.shots img').count()).toBeGreaterThan(0);

    await desk.call('slips.revoke', { slipId: slipA.slipId, reason: 'Khách báo mất phiếu' });
    await until('the revocation to reach the server', async () =>
      (await desk.call('records.list', { limit: 20 })).items.some((r) => r.kind === 'token-revocation' && r.status === 'delivered'),
    );

    const res = await page.goto(slipA.url);
    expect(res?.status()).toBe(404);
    expect(new URL(page.url()).pathname).toMatch(/^\/r\//);
    expect(await page.locator('h1').textContent()).toBe('Không mở được kết quả');
    await screenshot(page, 'c-phone-revoked');
    // Exactly what a stranger guessing a token gets.
    const stranger = await fetch(`${server.url}/r/${randomBytes(16).toString('base64url')}`);
    const revoked = await fetch(slipA.url);
    expect(revoked.status).toBe(stranger.status);
    expect(await revoked.text()).toBe(await stranger.text());
    // The session opened before the revocation shows nothing any more.
    await page.goto(`${server.url}/result`);
    expect(await page.locator('.shots img').count()).toBe(0);
    await page.close();
  }, 60_000);

  it('no token appears in any desk or server log line', () => {
    const all = logs.flatMap((l) => l.lines).join('\n');
    expect(logs).toHaveLength(4);
    expect(tokens).toHaveLength(2);
    for (const t of tokens) expect(all).not.toContain(t);
  });
});
