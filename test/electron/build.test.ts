/**
 * The Electron build (electron-vite) without the Electron binary: what a packaged app would load.
 * The preload must be one CommonJS file that requires nothing but 'electron' (a sandboxed
 * preload cannot load anything else), and the main bundle must not expect TypeScript at run time.
 * The app icon is one SVG: the browser tab's, and drawn to the PNG electron-builder packages.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ICON_SVG, renderIcon } from '../../scripts/make-icon';

describe('electron-vite build', () => {
  beforeAll(() => {
    execFileSync(process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'build', '--logLevel', 'error'], { stdio: 'inherit' });
  }, 180_000);

  it('bundles the preload into one CommonJS file that requires only electron', () => {
    const preload = readFileSync('out/preload/index.cjs', 'utf8');
    const required = [...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect([...new Set(required)]).toEqual(['electron']);
    expect(preload).toContain('exposeInMainWorld');
  });

  it('builds the main process and its worker entries as JavaScript, and main hands their URLs to the services', () => {
    const files = readdirSync('out/main');
    expect(files).toEqual(expect.arrayContaining(['index.js', 'header-worker.js', 'thumbnail-worker.js']));
    // A worker loaded from its `.ts` source would only run under tsx, never in the packaged app.
    const main = readFileSync('out/main/index.js', 'utf8');
    expect(main).toContain('new URL("./header-worker.js", import.meta.url)');
    expect(main).toContain('new URL("./thumbnail-worker.js", import.meta.url)');
    for (const w of ['header-worker.js', 'thumbnail-worker.js']) expect(readFileSync(`out/main/${w}`, 'utf8')).not.toMatch(/\.ts["']/);
  });

  it('builds the renderer page, with the app icon beside it', () => {
    const html = readFileSync('out/renderer/index.html', 'utf8');
    expect(html).toContain('<div id="root">');
    expect(html).toContain('<link rel="icon" type="image/svg+xml" href="./icon.svg"');
    expect(readFileSync('out/renderer/icon.svg', 'utf8')).toBe(readFileSync(ICON_SVG, 'utf8'));
  });
});

describe('app icon for packaging', () => {
  it('draws the SVG as a 512 × 512 PNG: transparent outside the rounded square, the desk teal inside', async () => {
    const png = PNG.sync.read(await renderIcon(readFileSync(ICON_SVG)));
    expect([png.width, png.height]).toEqual([512, 512]);
    const rgba = (x: number, y: number) => [...png.data.subarray((y * 512 + x) * 4, (y * 512 + x) * 4 + 4)];
    expect(rgba(2, 2)[3]).toBe(0);
    expect(rgba(40, 256)).toEqual([0x0e, 0x5a, 0x6b, 255]);
  });
});
