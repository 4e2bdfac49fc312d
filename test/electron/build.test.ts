/**
 * The Electron build (electron-vite) without the Electron binary: what a packaged app would load.
 * The preload must be one CommonJS file that requires nothing but 'electron' (a sandboxed
 * preload cannot load anything else), and the main bundle must not expect TypeScript at run time.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';

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

  it('builds the renderer page', () => {
    expect(readFileSync('out/renderer/index.html', 'utf8')).toContain('<div id="root">');
  });
});
