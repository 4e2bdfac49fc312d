/**
 * The packaged shell in a real Electron window, for machines that have the Electron binary.
 * Where it is missing (it cannot be downloaded on our build machines) these tests skip and say
 * so; every behaviour they touch is also tested through compose() and the bridge.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { _electron as electron } from 'playwright-core';
import { electronBinary } from '../support/electron-binary';
import { tempDir } from '../support/temp-dir';

const binary = electronBinary();
if (!binary) console.warn('SKIPPED: Electron e2e — the Electron binary is not installed (cannot be downloaded here); behaviour is covered by the bridge tests.');

describe.skipIf(!binary)('Electron app (needs the Electron binary)', () => {
  it('opens a sandboxed window that speaks the contract through the preload only', async () => {
    execFileSync(process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'build'], { stdio: 'inherit' });
    const data = tempDir();
    const app = await electron.launch({ executablePath: binary!, args: ['.', `--user-data-dir=${data.path}`] });
    try {
      const page = await app.firstWindow();
      const shape = await page.evaluate(() => ({
        keys: Object.keys((window as unknown as { desk: object }).desk).sort(),
        node: typeof (window as unknown as { require?: unknown }).require,
      }));
      expect(shape).toEqual({ keys: ['call', 'on'], node: 'undefined' });
      const info = await page.evaluate(() => (window as unknown as { desk: { call(m: string, i: unknown): Promise<unknown> } }).desk.call('app.info', {}));
      expect(info).toMatchObject({ ok: true, value: { mode: 'electron' } });
      const opened = await page.evaluate(() => window.open('https://example.com') === null);
      expect(opened).toBe(true);
    } finally {
      await app.close();
      data.remove();
    }
  }, 120_000);
});
