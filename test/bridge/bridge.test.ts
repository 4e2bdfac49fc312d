/** The loopback bridge over real sockets: auth, errors, events, binding. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:http';
import { networkInterfaces } from 'node:os';
import { startBrowserMode, type BrowserMode } from '../../electron/bridge/browser-mode';
import { tempDir } from '../support/temp-dir';

describe('loopback bridge', () => {
  const dir = tempDir();
  let mode: BrowserMode;
  let adminId: string;

  const api = (method: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${mode.bridge.url}/api/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${mode.bridge.token}`, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  beforeAll(async () => {
    mode = await startBrowserMode({ dataDir: dir.path, version: '0.0.0-test', background: false });
    const r = (await (await api('operators.list', {})).json()) as { value: { items: { id: string; role: string }[] } };
    adminId = r.value.items.find((o) => o.role === 'admin')!.id;
  });
  afterAll(async () => {
    await mode.close();
    dir.remove();
  });

  it('writes bridge.json with the url and this run’s token', () => {
    const info = JSON.parse(readFileSync(join(dir.path, 'bridge.json'), 'utf8')) as { url: string; token: string };
    expect(info).toEqual({ url: mode.bridge.url, token: mode.bridge.token });
    expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(info.token.length).toBeGreaterThanOrEqual(40);
  });

  it('answers 401 without the token, and with a wrong one', async () => {
    const none = await fetch(`${mode.bridge.url}/api/app.info`, { method: 'POST', body: '{}' });
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    const wrong = await api('app.info', {}, { Authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
  });

  it('answers ok/value for a good call', async () => {
    const res = await api('app.info', {});
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, value: { name: 'Radiology Desk', mode: 'browser', dataDir: dir.path } });
  });

  it('answers a coded 4xx error naming the field for bad input', async () => {
    const res = await api('settings.update', { printer: { widthDots: 'wide' } }, { 'X-Desk-Operator': adminId });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { ok: boolean; error: { code: string; field: string; message: string } };
    expect(body).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'printer.widthDots' } });
    expect(body.error.message).toContain('printer.widthDots');
    const notJson = await api('settings.update', '{oops', { 'X-Desk-Operator': adminId });
    expect(notJson.status).toBe(400);
  });

  it('deep-merges settings.update and hides secrets', async () => {
    const res = await api('settings.update', { pacs: { dicomwebUrl: 'http://127.0.0.1:8042/dicom-web', password: 'pw' } }, { 'X-Desk-Operator': adminId });
    const body = (await res.json()) as { value: { pacs: Record<string, unknown> } };
    expect(body.value.pacs).toMatchObject({ dicomwebUrl: 'http://127.0.0.1:8042/dicom-web', passwordSet: true });
    expect(body.value.pacs).not.toHaveProperty('password');
  });

  it('requires the operator header for non-public methods', async () => {
    const res = await api('settings.get', {});
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ ok: false, error: { code: 'OPERATOR_REQUIRED' } });
  });

  it('signs a browser in with ?token= (HttpOnly cookie, redirect to /)', async () => {
    const res = await fetch(`${mode.bridge.url}/?token=${mode.bridge.token}`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const withCookie = await fetch(`${mode.bridge.url}/api/app.info`, { method: 'POST', body: '{}', headers: { Cookie: cookie.split(';')[0]! } });
    expect(withCookie.status).toBe(200);
    const bad = await fetch(`${mode.bridge.url}/?token=wrong`, { redirect: 'manual' });
    expect(bad.status).toBe(401);
  });

  it('refuses a Host header that is not the loopback address (DNS rebinding)', async () => {
    const status = await new Promise<number>((ok, fail) => {
      const req = request(`${mode.bridge.url}/api/app.info`, { method: 'POST', headers: { Host: 'evil.example:80', Authorization: `Bearer ${mode.bridge.token}` } }, (res) => {
        res.resume();
        ok(res.statusCode ?? 0);
      });
      req.on('error', fail);
      req.end('{}');
    });
    expect(status).toBe(421);
  });

  it('streams events over SSE', async () => {
    const ctrl = new AbortController();
    const res = await fetch(`${mode.bridge.url}/api/events`, { headers: { Authorization: `Bearer ${mode.bridge.token}` }, signal: ctrl.signal });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    await api('settings.update', { clinic: { phone: '028 3838 0000' } }, { 'X-Desk-Operator': adminId });
    let text = '';
    while (!text.includes('028 3838 0000')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    expect(text).toContain('event: settings.changed');
    ctrl.abort();
  });

  it('serves image bytes only to a signed-in caller, by opaque id', async () => {
    expect((await fetch(`${mode.bridge.url}/files/instances/1`)).status).toBe(401);
    const missing = await fetch(`${mode.bridge.url}/files/instances/999999`, { headers: { Authorization: `Bearer ${mode.bridge.token}` } });
    expect(missing.status).toBe(404);
  });

  it('listens on 127.0.0.1 only', async () => {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (!external) return expect(mode.bridge.url).toContain('127.0.0.1');
    await expect(fetch(`http://${external.address}:${mode.bridge.port}/api/app.info`, { method: 'POST' })).rejects.toThrow();
  });

  it('removes bridge.json on close', async () => {
    const other = tempDir();
    const m = await startBrowserMode({ dataDir: other.path, version: 't', background: false });
    expect(existsSync(join(other.path, 'bridge.json'))).toBe(true);
    await m.close();
    expect(existsSync(join(other.path, 'bridge.json'))).toBe(false);
    other.remove();
  });
});
