/**
 * The review workstation end to end in Debian Chromium, through the loopback bridge: studies
 * dropped into the watch folder appear live; opening one draws its pixels; window/level, rotate,
 * flip and invert change the drawn pixels as they should (read back from the canvas and compared
 * with the DICOM display pipeline, not a screenshot diff); every compressed syntax renders; names
 * are shown exactly; search ignores accents; a barcode selects a patient; a rejected image cannot
 * be sent. Waits are on the viewport's rendered state and render count, never on time.
 *
 * Fixture pictures (dicom-fixtures.ts dxPixels, 12-bit, window 2048/4096 in the file): a saturated
 * marker block at the image's top-left (4095), the body ring (2300), a gradient background (≈700
 * near the top-right corner).
 */
import { execFileSync } from 'node:child_process';
import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDx, makeStudy, newUid, type DxFile } from '../support/dicom-fixtures';
import { chromiumAvailable } from '../support/real-parts';
import { tempDir } from '../support/temp-dir';
import { fitGeometry, openStudy, openWorkstation, renderCount, row, sampleCanvas, waitRendered, type Workstation } from './viewer-harness';

const N = 512;
/** Image pixels whose stored values are known (see the file comment). */
const MARKER = { ix: 12, iy: 12, value: 4095 };
const BODY = { ix: 256, iy: 460, value: 2300 };
const BACKGROUND = { ix: 500, iy: 12, value: 200 + Math.floor((1000 * (500 + 12)) / (N + N)) };

/** Grey level of a stored value under a linear window (PS3.3 §C.11.2.1.2), 0–255. */
function grey(value: number, w: number, l: number): number {
  const y = ((value - (l - 0.5)) / (w - 1) + 0.5) * 255;
  return Math.max(0, Math.min(255, y));
}

describe.skipIf(!chromiumAvailable())('review workstation in Chromium', () => {
  let ws: Workstation;
  let an: DxFile[];
  let ha: DxFile;
  /** Every Content-Security-Policy complaint the page logs (Chromium reports each as a console error). */
  const cspErrors: string[] = [];

  beforeAll(async () => {
    ws = await openWorkstation();
    ws.page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
    });
  });
  afterAll(async () => {
    await ws?.close();
  });

  const wl = async () => {
    const text = (await ws.page.locator('[data-testid=overlay-wl]').textContent()) ?? '';
    const m = /W (-?\d+) \/ L (-?\d+)/.exec(text);
    if (!m) throw new Error(`no W/L in overlay: ${text}`);
    return { w: Number(m[1]), l: Number(m[2]) };
  };
  const sampleAt = async (p: { ix: number; iy: number }) => {
    const g = await fitGeometry(ws.page, N, N);
    const at = g.at(p.ix, p.iy);
    return sampleCanvas(ws.page, at.x, at.y);
  };

  it('shows studies dropped into the watch folder live, with names exactly as written', async () => {
    const { page } = ws;
    await page.locator('.inbox-empty').waitFor();
    an = makeStudy(ws.exportDir, { views: 2, patientName: 'NGUYỄN VĂN AN', patientID: 'BN7001', rows: N, columns: N, seed: 7 });
    await row(page, an[0]!.studyInstanceUID).waitFor();
    ha = makeDx(ws.exportDir, { patientName: 'LÊ^VÂN HÀ', charset: 'ISO_IR 100', patientID: 'BN7002', sex: 'F', rows: N, columns: N, seed: 7 });
    await row(page, ha.studyInstanceUID).waitFor();
    expect(await row(page, an[0]!.studyInstanceUID).locator('.study-name').textContent()).toBe('NGUYỄN VĂN AN');
    expect(await row(page, ha.studyInstanceUID).locator('.study-name').textContent()).toBe('LÊ VÂN HÀ');
    // Newest first, and the image count follows the second view as it arrives.
    await page.locator(`.study-row[data-index="0"][data-study-uid="${ha.studyInstanceUID}"]`).waitFor();
    await row(page, an[0]!.studyInstanceUID).locator('.study-meta', { hasText: '2 ảnh' }).waitFor();
  });

  it('opens a study and draws its pixels with the file’s window', async () => {
    await openStudy(ws.page, an[0]!.studyInstanceUID);
    expect(await ws.page.locator('[data-testid=overlay-top-left] .overlay-name').textContent()).toBe('NGUYỄN VĂN AN');
    expect(await wl()).toEqual({ w: 4096, l: 2048 });
    expect(await sampleAt(MARKER)).toBeGreaterThan(245);
    expect(Math.abs((await sampleAt(BODY)) - grey(BODY.value, 4096, 2048))).toBeLessThan(5);
    expect(Math.abs((await sampleAt(BACKGROUND)) - grey(BACKGROUND.value, 4096, 2048))).toBeLessThan(5);
  });

  it('maps pixels through the window/level set by dragging and by preset, as the overlay reads', async () => {
    const { page } = ws;
    const before = await renderCount(page);
    const box = (await page.locator('[data-testid=viewport]').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 - 120, box.y + box.height / 2 + 60, { steps: 6 });
    await page.mouse.up();
    await waitRendered(page, before);
    const dragged = await wl();
    expect(dragged).not.toEqual({ w: 4096, l: 2048 });
    for (const p of [BODY, BACKGROUND]) expect(Math.abs((await sampleAt(p)) - grey(p.value, dragged.w, dragged.l)), `${p.value}`).toBeLessThan(6);

    const beforeBone = await renderCount(page);
    await page.keyboard.press('4');
    await waitRendered(page, beforeBone);
    const bone = await wl();
    expect(bone.l).toBeGreaterThan(2048);
    for (const p of [MARKER, BODY, BACKGROUND]) expect(Math.abs((await sampleAt(p)) - grey(p.value, bone.w, bone.l)), `${p.value}`).toBeLessThan(6);

    const beforeFile = await renderCount(page);
    await page.keyboard.press('1');
    await waitRendered(page, beforeFile);
    expect(await wl()).toEqual({ w: 4096, l: 2048 });
  });

  it('rotates, flips and inverts the drawn pixels', async () => {
    const { page } = ws;
    const act = async (key: string) => {
      const n = await renderCount(page);
      await page.keyboard.press(key);
      await waitRendered(page, n);
    };
    const corners = async () => ({
      tl: await sampleAt({ ix: 12, iy: 12 }),
      tr: await sampleAt({ ix: N - 13, iy: 12 }),
      bl: await sampleAt({ ix: 12, iy: N - 13 }),
    });
    const bright = 245;

    let c = await corners();
    expect(c.tl).toBeGreaterThan(bright);
    expect(c.tr).toBeLessThan(150);

    await act('r'); // 90° clockwise: the top-left corner goes to the top-right.
    c = await corners();
    expect(c.tr).toBeGreaterThan(bright);
    expect(c.tl).toBeLessThan(150);
    await act('Home');

    await act('h'); // flip horizontal: top-left ↔ top-right
    c = await corners();
    expect(c.tr).toBeGreaterThan(bright);
    expect(c.tl).toBeLessThan(150);
    await act('Home');

    await act('v'); // flip vertical: top-left ↔ bottom-left
    c = await corners();
    expect(c.bl).toBeGreaterThan(bright);
    expect(c.tl).toBeLessThan(150);
    await act('Home');

    const body = await sampleAt(BODY);
    const background = await sampleAt(BACKGROUND);
    await act('i');
    expect(Math.abs((await sampleAt(BODY)) - (255 - body))).toBeLessThan(5);
    expect(Math.abs((await sampleAt(BACKGROUND)) - (255 - background))).toBeLessThan(5);
    expect(await sampleAt(MARKER)).toBeLessThan(10);
    await act('Home');
    expect(await sampleAt(MARKER)).toBeGreaterThan(bright);
  });

  it('draws the study the pointer rests on out of sight, and shows it on the click', async () => {
    const { page } = ws;
    const vp = page.locator('[data-testid=viewport]');
    const preparedBefore = Number((await vp.getAttribute('data-prepared-count')) ?? 0);
    await row(page, ha.studyInstanceUID).hover();
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid=viewport]')?.getAttribute('data-prepared-count')) > n, preparedBefore);
    // Still showing the previous study until the click.
    expect(await page.locator('[data-testid=overlay-top-left] .overlay-name').textContent()).toBe('NGUYỄN VĂN AN');
    const n = await renderCount(page);
    await page.mouse.down();
    await page.mouse.up();
    await waitRendered(page, n);
    expect(await page.locator('[data-testid=overlay-top-left] .overlay-name').textContent()).toBe('LÊ VÂN HÀ');
    expect(await sampleAt(MARKER)).toBeGreaterThan(245);
    expect(Math.abs((await sampleAt(BODY)) - grey(BODY.value, 4096, 2048))).toBeLessThan(5);
    // The swapped-in viewport takes the tools: a preset still maps the pixels.
    const before = await renderCount(page);
    await page.keyboard.press('4');
    await waitRendered(page, before);
    const bone = await wl();
    expect(Math.abs((await sampleAt(BODY)) - grey(BODY.value, bone.w, bone.l))).toBeLessThan(6);
  });

  it('measures a length, shows 1:1, and steps through images and series', async () => {
    const { page } = ws;
    const cspBefore = cspErrors.length;
    const study = newUid();
    const s1 = makeStudy(ws.exportDir, { views: 2, studyInstanceUID: study, seriesNumber: 1, patientName: 'VÕ MINH TÂM', patientID: 'BN7003', rows: N, columns: N, seed: 7 });
    makeStudy(ws.exportDir, { views: 1, studyInstanceUID: study, seriesNumber: 2, patientName: 'VÕ MINH TÂM', patientID: 'BN7003', rows: N, columns: N, seed: 7, viewPosition: 'LL' });
    await row(page, s1[0]!.studyInstanceUID).waitFor();
    await row(page, study).locator('.study-meta', { hasText: '3 ảnh' }).waitFor();
    await openStudy(page, study);
    // The viewer knows every image of the study (its image list may trail the study list).
    await page.locator('.image-strip .strip-item').nth(2).waitFor();
    const bl = page.locator('.overlay-bl');
    expect(await bl.textContent()).toContain('Loạt 1/2');

    let n = await renderCount(page);
    await page.keyboard.press('ArrowRight');
    await waitRendered(page, n);
    expect(await bl.textContent()).toContain('Ảnh 2/2');
    n = await renderCount(page);
    await page.keyboard.press(']');
    await waitRendered(page, n);
    expect(await bl.textContent()).toContain('Loạt 2/2');
    expect(await bl.textContent()).toContain('LL');

    n = await renderCount(page);
    await page.keyboard.press('0');
    await waitRendered(page, n);
    expect(await page.locator('[data-testid=overlay-bottom-right]').textContent()).toContain('Thu phóng 100%');
    n = await renderCount(page);
    await page.keyboard.press('f');
    await waitRendered(page, n);

    // Length: the tool takes the left button. The label must read the drawn line's length in
    // image pixels × Imager Pixel Spacing (0.139 mm in the fixtures), whatever the last drag step.
    await page.keyboard.press('l');
    await page.locator('[data-action=toolLength][aria-pressed=true]').waitFor();
    const g = await fitGeometry(page, N, N);
    const box = (await page.locator('[data-testid=viewport]').boundingBox())!;
    const a = g.at(150, 250);
    const b = g.at(350, 250);
    await page.mouse.move(box.x + a.x, box.y + a.y);
    await page.mouse.down();
    await page.mouse.move(box.x + b.x, box.y + b.y, { steps: 8 });
    await page.mouse.up();
    const svg = page.locator('[data-testid=viewport] [data-active=true] svg');
    await svg.locator('text').first().waitFor();
    const line = await svg.locator('line').first().evaluate((l) => ['x1', 'y1', 'x2', 'y2'].map((k) => Number(l.getAttribute(k))));
    const drawnPx = Math.hypot(line[2]! - line[0]!, line[3]! - line[1]!) / g.scale;
    expect(drawnPx).toBeGreaterThan(100);
    const expected = drawnPx * 0.139;
    // The label settles on the final length once the drag has ended (a state, polled per frame).
    await page.waitForFunction(
      (want) => {
        const texts = [...document.querySelectorAll('[data-testid=viewport] [data-active=true] svg text')].map((t) => t.textContent ?? '');
        const m = /([\d.]+)\s*mm/.exec(texts.join(' '));
        return m !== null && Math.abs(Number(m[1]) - want) < 0.6;
      },
      expected,
      { polling: 'raf', timeout: 5000 },
    );
    // No CSP complaint while drawing. Console messages arrive in order, so once a deliberate
    // violation (a style attribute no hash allows) has been reported, any from the label would have been too.
    await page.evaluate(() => document.body.setAttribute('style', 'outline: 1px solid red'));
    await expect.poll(() => cspErrors.length - cspBefore).toBeGreaterThan(0);
    await page.evaluate(() => document.body.removeAttribute('style'));
    expect(cspErrors.slice(cspBefore)).toHaveLength(1);
    expect(cspErrors[cspBefore]).toMatch(/style-src-attr/);
    // The label's own style is applied (its drop shadow keeps it readable over bone), not blocked.
    const shadow = await svg.locator('text').first().evaluate((t) => getComputedStyle(t).filter);
    expect(shadow).toMatch(/^url\("#shadow-svg-layer-desk-viewport-[ab]"\)$/);
    await page.keyboard.press('w');
  });

  it('renders every syntax ingest accepts — JPEG lossless, JPEG-LS, JPEG 2000, RLE, implicit, big endian, deflated — with the same pixels', async () => {
    const files: Array<[string, DxFile]> = [];
    for (const syntax of ['jpeg-lossless', 'jpeg-ls', 'jpeg2000', 'implicit-le', 'explicit-be', 'deflated'] as const) {
      files.push([syntax, makeDx(ws.exportDir, { patientName: `TEST ${syntax}`, patientID: `SYN-${syntax}`, rows: N, columns: N, seed: 7, syntax })]);
    }
    // RLE Lossless (PS3.5 Annex G) by dcmtk, renamed into the watch folder once complete.
    const scratch = tempDir('rle-');
    const native = makeDx(scratch.path, { patientName: 'TEST rle', patientID: 'SYN-rle', rows: N, columns: N, seed: 7 });
    execFileSync('dcmcrle', [native.path, join(scratch.path, 'rle.dcm')]);
    renameSync(join(scratch.path, 'rle.dcm'), join(ws.exportDir, 'rle.dcm'));
    scratch.remove();
    files.push(['rle', native]);
    // All rows first: arrivals reorder the live list (newest first), and a row that moves under
    // the pointer between Playwright's checks and its click would select its neighbour instead.
    for (const [, f] of files) await row(ws.page, f.studyInstanceUID).waitFor();
    for (const [syntax, f] of files) {
      await openStudy(ws.page, f.studyInstanceUID);
      expect(await sampleAt(MARKER), syntax).toBeGreaterThan(245);
      expect(Math.abs((await sampleAt(BODY)) - grey(BODY.value, 4096, 2048)), syntax).toBeLessThan(5);
      expect(Math.abs((await sampleAt(BACKGROUND)) - grey(BACKGROUND.value, 4096, 2048)), syntax).toBeLessThan(5);
    }
  }, 90_000);

  it('finds patients whatever the accents and case', async () => {
    const { page } = ws;
    const search = page.locator('#inbox-search');
    const shownName = await page.locator('[data-testid=overlay-top-left] .overlay-name').textContent();
    await search.fill('nguyen van an');
    await page.locator('[data-testid=inbox-count]', { hasText: '1 ca khớp' }).waitFor();
    await row(page, an[0]!.studyInstanceUID).waitFor();
    expect(await page.locator('.study-row[data-study-uid]').count()).toBe(1);
    // Searching moves rows, not what the viewer shows.
    expect(await page.locator('[data-testid=overlay-top-left] .overlay-name').textContent()).toBe(shownName);
    await search.fill('LE VAN HA');
    await row(page, ha.studyInstanceUID).waitFor();
    expect(await page.locator('.study-row[data-study-uid]').count()).toBe(1);
    await search.fill('bn7001');
    await row(page, an[0]!.studyInstanceUID).waitFor();
    await search.fill('');
    await page.locator('[data-testid=inbox-count]', { hasText: '10 ca chụp' }).waitFor();
  });

  it('opens a patient’s study from a barcode scanned outside any text box', async () => {
    const { page } = ws;
    await page.locator('[data-testid=inbox-list]').focus();
    const n = await renderCount(page);
    await page.keyboard.type('BN7002');
    await page.keyboard.press('Enter');
    await page.locator('.study-row[aria-selected="true"]').and(row(page, ha.studyInstanceUID)).waitFor();
    await waitRendered(page, n);
    expect(await page.locator('[data-testid=overlay-top-left] .overlay-name').textContent()).toBe('LÊ VÂN HÀ');
    // The scanned characters did not run as shortcuts (B, N, 7, 0, 0, 2 would have changed the window).
    expect(await wl()).toEqual({ w: 4096, l: 2048 });
    await page.locator('#inbox-search').fill('');
  });

  it('rejects an image with an IOCM reason, and the rejected image cannot be sent', async () => {
    const { page } = ws;
    await openStudy(page, an[0]!.studyInstanceUID);
    const shown = Number(await page.locator('[data-testid=viewport]').getAttribute('data-instance-id'));
    await page.keyboard.press('x');
    await page.locator('.qa-reasons').waitFor();
    await page.keyboard.press('1');
    await page.locator('[data-testid=qa-decision]', { hasText: 'Đã loại — Chất lượng ảnh' }).waitFor();
    // The second view is accepted with the button.
    await page.keyboard.press('ArrowRight');
    await page.locator('[data-testid=qa-decision]', { hasText: 'Chưa duyệt' }).waitFor();
    await page.locator('.qa-accept').click();
    await page.locator('[data-testid=qa-progress]', { hasText: '2/2' }).waitFor();

    const listed = (await ws.call('images.list', { studyInstanceUIDs: [an[0]!.studyInstanceUID] })) as {
      items: { series: { images: { instanceId: number; decision: string; reason: string | null }[] }[] }[];
    };
    const images = listed.items[0]!.series.flatMap((s) => s.images);
    const rejected = images.find((i) => i.instanceId === shown)!;
    const accepted = images.find((i) => i.instanceId !== shown)!;
    expect(rejected).toMatchObject({ decision: 'rejected', reason: '113001' });
    expect(accepted).toMatchObject({ decision: 'accepted', reason: null });

    // Released for sending: the accepted image may be leased by the sender, the rejected one never.
    ws.desk.db.prepare(`UPDATE outbox SET status = 'pending' WHERE instance_id IN (?, ?)`).run(rejected.instanceId, accepted.instanceId);
    const lease = ws.desk.db.prepare(`UPDATE outbox SET status = 'sending' WHERE instance_id = ?`);
    expect(() => lease.run(rejected.instanceId)).toThrow(/QA_REJECTED/);
    expect(lease.run(accepted.instanceId).changes).toBe(1);

    const audit = (await ws.call('audit.list', { action: 'images.review' })) as { items: { patientID: string; detail: Record<string, unknown> }[] };
    expect(audit.items.find((a) => a.detail.instanceId === rejected.instanceId)).toMatchObject({ patientID: 'BN7001', detail: { reason: '113001' } });
  });

  it('tears the viewer down when the inbox is left, and starts clean on return', async () => {
    const { page } = ws;
    await page.evaluate(`location.hash = '#/settings'`);
    await page.locator('.inbox-page').waitFor({ state: 'detached' });
    expect(await page.locator('canvas.cornerstone-canvas').count()).toBe(0);
    await page.evaluate(`location.hash = '#/inbox'`);
    await row(page, ha.studyInstanceUID).waitFor();
    await openStudy(page, ha.studyInstanceUID);
    // One canvas per viewport slot (the shown one and the one drawing ahead).
    expect(await page.locator('canvas.cornerstone-canvas').count()).toBe(2);
    expect(await sampleAt(MARKER)).toBeGreaterThan(245);
  });
});
