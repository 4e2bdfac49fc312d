/**
 * Issue 2's checks end to end: `npm run web` as a process, its API, a restart that keeps settings,
 * and the Vietnamese shell in Debian Chromium (sign in, settings, audit with a verified chain).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebProcess, type WebProcess } from '../support/web-process';
import { launchChromium, type TestBrowser } from '../support/chromium';
import { chromiumAvailable } from '../support/real-parts';
import { tempDir } from '../support/temp-dir';

const data = tempDir('raddesk-web-');
let web: WebProcess;
let adminId: string;

async function api(method: string, body: unknown, operator = true) {
  const res = await fetch(`${web.url}/api/${method}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${web.token}`, 'Content-Type': 'application/json', ...(operator ? { 'X-Desk-Operator': adminId } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { ok: boolean; value?: Record<string, unknown>; error?: Record<string, unknown> } };
}

beforeAll(async () => {
  web = await startWebProcess(data.path);
  const ops = await api('operators.list', {}, false);
  adminId = (ops.body.value!.items as { id: string; role: string }[]).find((o) => o.role === 'admin')!.id;
}, 120_000);

afterAll(async () => {
  if (web.child.exitCode === null) await web.stop();
  data.remove();
});

describe('npm run web', () => {
  it('prints the sign-in link and binds 127.0.0.1', () => {
    expect(web.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(web.output()).toContain(`${web.url}/?token=${web.token}`);
  });

  it('creates the default watch folder on first start', async () => {
    expect(existsSync(join(data.path, 'export'))).toBe(true);
  });

  it('keeps settings across a SIGTERM and a restart, with a new token', async () => {
    const saved = await api('settings.update', { pacs: { dicomwebUrl: 'http://127.0.0.1:8042/dicom-web' }, clinic: { name: 'Phòng khám Đa khoa Tâm Đức' } });
    expect(saved.status).toBe(200);
    const oldToken = web.token;
    expect(await web.stop()).toBe(0);
    expect(existsSync(join(data.path, 'bridge.json'))).toBe(false);

    web = await startWebProcess(data.path);
    expect(web.token).not.toBe(oldToken);
    const got = await api('settings.get', {});
    expect(got.body.value).toMatchObject({ pacs: { dicomwebUrl: 'http://127.0.0.1:8042/dicom-web' }, clinic: { name: 'Phòng khám Đa khoa Tâm Đức' } });
  }, 120_000);
});

describe.runIf(chromiumAvailable())('the shell in Chromium', () => {
  let browser: TestBrowser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());

  it('signs in through the printed link and shows the Vietnamese shell, settings and a verified audit chain', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    // Failed requests are listed by URL below; other console errors are problems.
    page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && problems.push(m.text()));
    const failed: string[] = [];
    page.on('response', (r) => r.status() >= 400 && failed.push(`${r.status()} ${new URL(r.url()).pathname}`));

    await page.goto(`${web.url}/?token=${web.token}`);
    expect(new URL(page.url()).search).toBe(''); // the token does not stay in the address bar
    await page.getByRole('heading', { name: 'Ai đang làm việc?' }).waitFor();
    await page.getByRole('button').filter({ hasText: 'Quản trị' }).first().click();
    const nav = page.getByRole('navigation', { name: 'Điều hướng chính' });
    for (const label of ['Hàng chờ', 'Lượt khám', 'Cấp phim', 'Đồng bộ', 'Cài đặt', 'Nhật ký']) {
      await nav.getByRole('link', { name: label }).waitFor();
    }
    await page.screenshot({ path: join(data.path, 'shell.png') });

    await nav.getByRole('link', { name: 'Cài đặt' }).click();
    await expect(page.getByLabel('Tên phòng khám').inputValue()).resolves.toBe('Phòng khám Đa khoa Tâm Đức');
    await page.getByLabel('Địa chỉ DICOMweb').fill('not a url');
    await page.getByRole('button', { name: 'Lưu thay đổi' }).click();
    await page.getByRole('alert').filter({ hasText: 'pacs.dicomwebUrl' }).waitFor();

    await nav.getByRole('link', { name: 'Nhật ký' }).click();
    await page.getByRole('button', { name: 'Kiểm tra chuỗi' }).click();
    await page.getByRole('status').filter({ hasText: 'Chuỗi nguyên vẹn' }).waitFor();
    expect(problems).toEqual([]);
    // Only the deliberately invalid save failed.
    expect(failed).toEqual(['400 /api/settings.update']);
    await context.close();
  }, 60_000);

  it('refuses the page without the sign-in cookie', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const res = await page.goto(`${web.url}/`);
    expect(res?.status()).toBe(401);
    await context.close();
  });
});
