/**
 * The review workstation in a real browser for tests and the viewer bench: a desk in browser mode
 * (ingest watching its export folder), the loopback bridge serving the built renderer and the
 * image route, Debian Chromium signed in as the default admin, on the inbox.
 *
 * Browser mode wires the image route itself once the lead adds it (`routes` of startBridge); the
 * harness passes it explicitly, which is the same bridge with the same route.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { compose, type Desk } from '../../electron/compose';
import { startBridge, type Bridge } from '../../electron/bridge/bridge-server';
import { createImageRoute } from '../../electron/services/images/image-route';
import { silentLogger } from '../../electron/services/logger';
import { launchChromium, type TestBrowser } from '../support/chromium';
import { tempDir } from '../support/temp-dir';

export const RENDERER_DIST = join(import.meta.dirname, '..', '..', 'renderer', 'dist');

export interface Workstation {
  desk: Desk;
  bridge: Bridge;
  browser: TestBrowser;
  page: Page;
  dataDir: string;
  exportDir: string;
  adminId: string;
  /** Calls the desk as the admin; throws on an error answer. */
  call(method: string, input?: unknown): Promise<unknown>;
  close(): Promise<void>;
}

export async function openWorkstation(opts: { locale?: 'vi-VN' | 'en-GB'; viewport?: { width: number; height: number } } = {}): Promise<Workstation> {
  const dir = tempDir('raddesk-e2e-');
  const undo: Array<() => Promise<void> | void> = [() => dir.remove()];
  // Last opened, first closed; a second call finds nothing left to do.
  const unwind = async () => {
    for (const step of undo.splice(0).reverse()) await step();
  };
  try {
    const desk = await compose({ dataDir: dir.path, mode: 'browser', version: '0.0.0-e2e', background: true, logger: silentLogger });
    undo.push(() => desk.close());
    const bridge = await startBridge({
      desk,
      staticDir: RENDERER_DIST,
      routes: [createImageRoute({ db: desk.db, dataDir: dir.path, logger: silentLogger })],
    });
    undo.push(() => bridge.close());
    const ops = await desk.dispatch('operators.list', {});
    if (!ops.ok) throw new Error('operators.list failed');
    const adminId = ops.value.items.find((o) => o.role === 'admin')!.id;
    const call = async (method: string, input: unknown = {}) => {
      const r = await desk.dispatch(method, input, { operatorId: adminId });
      if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
      return r.value;
    };
    const exportDir = join(dir.path, 'export');
    mkdirSync(exportDir, { recursive: true });
    // Files written by the fixtures are complete when renamed into place: no need to wait 2 s.
    await call('settings.update', { ingest: { stableMs: 200, watchFolders: [exportDir] } });

    const browser = await launchChromium();
    undo.push(() => browser.close());
    const context = await browser.newContext({ locale: opts.locale ?? 'vi-VN', viewport: opts.viewport ?? { width: 1366, height: 768 } });
    const page = await context.newPage();
    await page.goto(`${bridge.url}/?token=${bridge.token}`);
    await page.locator('.operator-button').first().click();
    await page.locator('.inbox-page').waitFor();
    return { desk, bridge, browser, page, dataDir: dir.path, exportDir, adminId, call, close: unwind };
  } catch (e) {
    // A half-open workstation is taken down here: the caller never got it to close.
    await unwind();
    throw e;
  }
}

/** The row of a study in the inbox, by StudyInstanceUID. */
export function row(page: Page, studyInstanceUID: string) {
  return page.locator(`.study-row[data-study-uid="${studyInstanceUID}"]`);
}

/** Clicks a study and waits until its first image is drawn (the viewport's rendered state). */
export async function openStudy(page: Page, studyInstanceUID: string): Promise<void> {
  await row(page, studyInstanceUID).click();
  await page.locator('.study-row[aria-selected="true"]').and(row(page, studyInstanceUID)).waitFor();
  await waitRendered(page);
}

export async function renderCount(page: Page): Promise<number> {
  return Number((await page.locator('[data-testid=viewport]').getAttribute('data-render-count')) ?? 0);
}

/** Waits for the viewport's rendered state, and — given a count — for a frame newer than it. */
export async function waitRendered(page: Page, after?: number): Promise<void> {
  await page.locator('[data-testid=viewport][data-render-state="rendered"]').waitFor();
  if (after !== undefined) {
    // A function, not a string: the page's CSP forbids eval, and functions are passed over CDP.
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid=viewport]')?.getAttribute('data-render-count')) > n, after, { polling: 'raf' });
  }
}

/**
 * Mean grey (red channel) of a square patch of the displayed image around an image pixel, read
 * back from the viewport's 2-D canvas. `at` is where that pixel lands on screen, computed by the
 * caller from the fitted geometry (see `fitGeometry`).
 */
export async function sampleCanvas(page: Page, x: number, y: number, half = 3): Promise<number> {
  return page.evaluate(
    `(() => {
      const c = document.querySelector('[data-testid=viewport] [data-active=true] canvas');
      const r = c.getBoundingClientRect();
      const sx = c.width / r.width, sy = c.height / r.height;
      const cx = Math.round(${x} * sx), cy = Math.round(${y} * sy), h = ${half};
      const d = c.getContext('2d').getImageData(cx - h, cy - h, 2 * h + 1, 2 * h + 1).data;
      let s = 0; for (let i = 0; i < d.length; i += 4) s += d[i];
      return s / (d.length / 4);
    })()`,
  );
}

export interface Geometry {
  /** CSS px of image pixel (ix, iy) centre in the viewport, for an unrotated, unflipped image at fit. */
  at(ix: number, iy: number): { x: number; y: number };
  scale: number;
  ox: number;
  oy: number;
}

/** Where a square `n`×`n` image sits in the viewport at "fit": centred, scaled to the short side. */
export async function fitGeometry(page: Page, columns: number, rows: number): Promise<Geometry> {
  const box = (await page.locator('[data-testid=viewport]').boundingBox())!;
  const scale = Math.min(box.width / columns, box.height / rows);
  const ox = (box.width - columns * scale) / 2;
  const oy = (box.height - rows * scale) / 2;
  return { scale, ox, oy, at: (ix, iy) => ({ x: ox + (ix + 0.5) * scale, y: oy + (iy + 0.5) * scale }) };
}
