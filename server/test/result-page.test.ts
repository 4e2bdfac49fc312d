/**
 * The patient's result page end to end: records posted by a "desk" over the API, the server
 * in-process on PGlite with a fake clock, and a real Orthanc as the PACS holding two patients'
 * studies. Each test opens its own sessions, so the order of tests does not matter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { manualClock } from '../../electron/services/clock';
import { orthancAvailable, requireOrHave, startOrthanc, type OrthancHandle } from '../../test/support/orthanc';
import { memorySql } from './support/memory-sql';
import { DAY, newToken, revocationRecord, slipRecord, tokenHash } from './support/fixtures';
import { enrol, get, imageIds, openToken, postForm, postRecords, startTestServer, type TestServer } from './support/test-server';
import { orthancImages, studyFiles, upload } from './support/pacs';
import type { Sql } from '../src/db/sql';

const NOW = Date.UTC(2026, 0, 15, 2, 0, 0); // 15/01/2026 09:00 in Hà Nội

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Every entry of a ZIP, read by Info-ZIP `unzip` (an independent reader) after it tested the archive. */
function unzipAll(zip: Buffer): { name: string; bytes: Buffer }[] {
  const dir = mkdtempSync(join(tmpdir(), 'srv-zip-'));
  try {
    const file = join(dir, 'a.zip');
    writeFileSync(file, zip);
    expect(execFileSync('unzip', ['-t', file]).toString()).toMatch(/No errors detected/);
    const names = execFileSync('unzip', ['-Z1', file]).toString().trim().split('\n');
    return names.map((name) => ({ name, bytes: execFileSync('unzip', ['-p', file, name], { maxBuffer: 1 << 26 }) }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.skipIf(!requireOrHave('Orthanc', orthancAvailable()))('result page', () => {
  const clock = manualClock(NOW);
  let sql: Sql;
  let orthanc: OrthancHandle;
  let server: TestServer;
  let key: string;
  const A = studyFiles({ patientName: 'NGUYỄN^VĂN AN', views: 2 });
  const B = studyFiles({ patientName: 'TRẦN^THỊ BÌNH', views: 1 });
  const late = studyFiles({ patientName: 'LÊ^MINH', views: 1 });
  const uid = (s: typeof A) => s.files[0]!.studyInstanceUID;
  const tokens: string[] = [];

  /** Issues a slip for `study` (as a desk would) and returns its token. */
  async function issue(study: typeof A | null, o: Parameters<typeof slipRecord>[1] = {}): Promise<string> {
    const token = newToken();
    tokens.push(token);
    const r = await postRecords(server.url, key, [slipRecord(token, { now: NOW, studyInstanceUIDs: study ? [uid(study)] : [], ...o })]);
    expect(r.body.results?.[0]?.status).toBe('stored');
    return token;
  }
  async function session(token: string): Promise<string> {
    const { cookie } = await openToken(server.url, token);
    expect(cookie).not.toBeNull();
    return cookie as string;
  }

  beforeAll(async () => {
    [sql, orthanc] = await Promise.all([memorySql(), startOrthanc()]);
    await upload(orthanc, [...A.bytes, ...B.bytes]);
    server = await startTestServer({ sql, pacs: orthancImages(orthanc), clock });
    key = await enrol(sql);
  });
  afterAll(async () => {
    await server?.close();
    await Promise.all([sql?.close(), orthanc?.stop()]);
  });

  it('exchanges a valid token for an HttpOnly SameSite=Strict cookie and a token-free 303', async () => {
    const token = await issue(A);
    const { cookie, res } = await openToken(server.url, token);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/result');
    const set = res.headers.getSetCookie().join('\n');
    expect(set).toMatch(/^kq=[A-Za-z0-9_-]{43}; Path=\/; SameSite=Strict; HttpOnly$/m);
    expect(set).not.toMatch(/Secure/); // plain http on loopback (PUBLIC_BASE_URL decides)
    expect(cookie).not.toContain(token);
  });

  it('shows the clinic, the exam, the date, the masked name and birth year, and the images as JPEGs — no UID anywhere', async () => {
    const cookie = await session(await issue(A));
    const page = await get(`${server.url}/result`, { cookie });
    expect(page.status).toBe(200);
    expect(page.text).toContain('Phòng khám Đa khoa Hòa Bình');
    expect(page.text).toContain('X-quang ngực thẳng');
    expect(page.text).toContain('15/01/2026');
    expect(page.text).toContain('NGUYỄN V** A*');
    expect(page.text).not.toContain('NGUYỄN VĂN AN');
    expect(page.text).toContain('1985');
    expect(page.text).toContain('Tải DICOM cho bác sĩ');
    expect(page.text).not.toContain(uid(A));
    for (const f of A.files) expect(page.text).not.toContain(f.sopInstanceUID);
    const ids = imageIds(page.text);
    expect(ids).toHaveLength(2);
    for (const id of ids) {
      const img = await get(`${server.url}/result/img/${id}`, { cookie });
      expect(img.status).toBe(200);
      expect(img.headers.get('content-type')).toBe('image/jpeg');
      expect(img.body.subarray(0, 3).toString('hex')).toBe('ffd8ff');
      expect(img.headers.get('cache-control')).toBe('no-store');
    }
    const dl = await get(`${server.url}/result/img/${ids[0]}?download=1`, { cookie });
    expect(dl.headers.get('content-disposition')).toMatch(/^attachment; filename="xquang-[A-Za-z0-9_-]{6}\.jpg"$/);
  });

  it('sends strict headers: no referrer, no cache, a CSP without inline script or third parties', async () => {
    const cookie = await session(await issue(A));
    const page = await get(`${server.url}/result`, { cookie });
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    expect(page.text).not.toMatch(/<script>|<style|style="|\son[a-z]+=|https?:\/\//);
  });

  it('keeps the first screen under 100 KB before images, on a 360-px viewport meta', async () => {
    const cookie = await session(await issue(A));
    const page = await get(`${server.url}/result`, { cookie });
    expect(page.text).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    const assets = [...page.text.matchAll(/(?:href|src)="(\/static\/[^"]+)"/g)].map((m) => m[1] as string);
    expect(assets).toHaveLength(2);
    let bytes = page.body.length;
    for (const a of assets) bytes += (await get(`${server.url}${a.replace(/&amp;/g, '&')}`)).body.length;
    expect(bytes).toBeLessThan(100 * 1024);
  });

  it('streams the study as a ZIP of the very DICOM files the PACS holds', async () => {
    const cookie = await session(await issue(A));
    const zip = await get(`${server.url}/result/dicom.zip`, { cookie });
    expect(zip.status).toBe(200);
    expect(zip.headers.get('content-type')).toBe('application/zip');
    const entries = unzipAll(zip.body);
    expect(entries.map((e) => e.name)).toEqual(['DICOM/S1/I0001.dcm', 'DICOM/S1/I0002.dcm']);
    expect(entries.map((e) => sha(e.bytes)).sort()).toEqual(A.bytes.map(sha).sort());
  });

  it('says "đang cập nhật" (and refreshes) until the images reach the PACS, then shows them', async () => {
    const cookie = await session(await issue(late));
    const before = await get(`${server.url}/result`, { cookie });
    expect(before.status).toBe(200);
    expect(before.text).toContain('Ảnh đang được cập nhật');
    expect(before.text).toMatch(/<meta http-equiv="refresh" content="30">/);
    expect(imageIds(before.text)).toHaveLength(0);
    await upload(orthanc, late.bytes);
    const after = await get(`${server.url}/result`, { cookie });
    expect(imageIds(after.text)).toHaveLength(1);
  });

  it('answers unknown, expired and revoked tokens with the same status and the same page', async () => {
    const expired = await issue(A, { expiresAt: NOW - 1 });
    const revoked = await issue(A);
    await postRecords(server.url, key, [revocationRecord(revoked, NOW)]);
    const answers = await Promise.all([newToken(), expired, revoked, 'x', 'a'.repeat(300)].map((t) => openToken(server.url, t)));
    for (const a of answers) {
      expect(a.res.status).toBe(404);
      expect(a.cookie).toBeNull();
      expect(a.res.text).toBe(answers[0]!.res.text);
    }
    expect(answers[0]!.res.text).toContain('Không mở được kết quả');
  });

  it('stops working at once when the desk revokes the token, even for an open session', async () => {
    const token = await issue(A);
    const cookie = await session(token);
    const ids = imageIds((await get(`${server.url}/result`, { cookie })).text);
    expect(ids.length).toBeGreaterThan(0);
    await postRecords(server.url, key, [revocationRecord(token, NOW, 'In lại phiếu')]);
    const page = await get(`${server.url}/result`, { cookie });
    expect(page.status).toBe(404);
    expect(page.text).toContain('Không mở được kết quả');
    expect((await get(`${server.url}/result/img/${ids[0]}`, { cookie })).status).toBe(404);
    expect((await get(`${server.url}/result/dicom.zip`, { cookie })).status).toBe(404);
    expect((await openToken(server.url, token)).res.status).toBe(404);
  });

  it('locks the token for 15 minutes after 5 wrong birth years, audits it, and opens after', async () => {
    const token = await issue(A, { requireBirthYear: true });
    const cookie = await session(token);
    const ask = await get(`${server.url}/result`, { cookie });
    expect(ask.text).toContain('Xác nhận năm sinh');
    expect(imageIds(ask.text)).toHaveLength(0);
    // no image or ZIP before the answer
    expect((await get(`${server.url}/result/dicom.zip`, { cookie })).status).toBe(404);
    for (let left = 4; left >= 1; left--) {
      const r = await postForm(`${server.url}/result/verify`, cookie, { birthYear: '1900' });
      expect(r.text).toContain(`Còn ${left} lần thử`);
    }
    const fifth = await postForm(`${server.url}/result/verify`, cookie, { birthYear: '1901' });
    expect(fifth.text).toContain('Tạm khóa');
    // Now even the right answer, or a fresh session, gets the lock.
    expect((await postForm(`${server.url}/result/verify`, cookie, { birthYear: '1985' })).text).toContain('Tạm khóa');
    const other = await session(token);
    expect((await get(`${server.url}/result`, { cookie: other })).text).toContain('Tạm khóa');
    const audit = await sql.query<{ action: string; detail: { tok: string } }>(`SELECT action, detail FROM server_audit WHERE action = 'birth-year-lock'`);
    expect(audit.map((a) => a.detail.tok)).toEqual([tokenHash(token).slice(0, 8)]);

    clock.advance(15 * 60_000 + 1000);
    const ok = await postForm(`${server.url}/result/verify`, cookie, { birthYear: '1985' });
    expect(ok.status).toBe(303);
    expect(imageIds((await get(`${server.url}/result`, { cookie })).text)).toHaveLength(2);
  });

  it('lets 20 crafted requests reach nothing of another patient’s study', async () => {
    const tokenA = await issue(A);
    const cookieA = await session(tokenA);
    const pageA = await get(`${server.url}/result`, { cookie: cookieA });
    const idsA = imageIds(pageA.text);
    const jpegA = (await get(`${server.url}/result/img/${idsA[0]}`, { cookie: cookieA })).body;
    const cookieB = await session(await issue(B, { patient: { name: 'TRẦN THỊ BÌNH', birthYear: '1990', sex: 'F' } }));
    const u = server.url;
    const sopA = A.files[0]!.sopInstanceUID;
    const attempts: [string, Promise<Awaited<ReturnType<typeof get>>>][] = [
      ['A image, B cookie', get(`${u}/result/img/${idsA[0]}`, { cookie: cookieB })],
      ['A image, no cookie', get(`${u}/result/img/${idsA[0]}`)],
      ['A image, forged cookie', get(`${u}/result/img/${idsA[0]}`, { cookie: `kq=${randomBytes(32).toString('base64url')}` })],
      ['token as cookie', get(`${u}/result/img/${idsA[0]}`, { cookie: `kq=${tokenA}` })],
      ['hash of token as cookie', get(`${u}/result`, { cookie: `kq=${tokenHash(tokenA)}` })],
      ['guessed image id', get(`${u}/result/img/${randomBytes(16).toString('base64url')}`, { cookie: cookieA })],
      ['image id, one char short', get(`${u}/result/img/${idsA[0]!.slice(1)}`, { cookie: cookieA })],
      ['SOP UID as image id', get(`${u}/result/img/${sopA}`, { cookie: cookieA })],
      ['encoded traversal', get(`${u}/result/img/%2e%2e%2f%2e%2e%2fdicom-web%2fstudies%2f${uid(A)}`, { cookie: cookieB })],
      ['dot segments to A image', get(`${u}/result/img/x/../${idsA[0]}`, { cookie: cookieB })],
      ['PACS path on our server', get(`${u}/dicom-web/studies/${uid(A)}/series`, { cookie: cookieA })],
      ['WADO path on our server', get(`${u}/studies/${uid(A)}/instances/${sopA}/rendered`, { cookie: cookieA })],
      ['token in query', get(`${u}/result?token=${tokenA}`)],
      ['token as bearer', get(`${u}/result`, { headers: { authorization: `Bearer ${tokenA}` } })],
      ['token upper-cased', get(`${u}/r/${tokenA.toUpperCase()}`)],
      ['token with trailing slash', get(`${u}/r/${tokenA}/`)],
      ['token with NUL', get(`${u}/r/${tokenA}%00`)],
      ['token POSTed', get(`${u}/r/${tokenA}`, { method: 'POST' })],
      ['token in /r/ query', get(`${u}/r/?t=${tokenA}`)],
      ['two cookies, B first', get(`${u}/result/img/${idsA[0]}`, { cookie: `${cookieB}; ${cookieA}` })],
    ];
    expect(attempts).toHaveLength(20);
    for (const [what, p] of attempts) {
      const r = await p;
      expect(r.status, what).not.toBe(200);
      expect(r.status, what).not.toBe(303);
      expect(r.body.includes(jpegA), what).toBe(false);
      expect(r.text, what).not.toContain('NGUYỄN V** A*');
    }
    // B's own ZIP holds B's files only.
    const zipB = await get(`${u}/result/dicom.zip`, { cookie: cookieB });
    expect(zipB.status).toBe(200);
    expect(unzipAll(zipB.body).map((e) => sha(e.bytes))).toEqual(B.bytes.map(sha));
  });

  it('records every view and download against the token', async () => {
    const token = await issue(A);
    const cookie = await session(token);
    const ids = imageIds((await get(`${server.url}/result`, { cookie })).text);
    await get(`${server.url}/result/img/${ids[0]}`, { cookie });
    await get(`${server.url}/result/img/${ids[0]}?download=1`, { cookie });
    await get(`${server.url}/result/dicom.zip`, { cookie });
    const rows = await sql.query<{ event: string }>('SELECT event FROM access_log WHERE token_hash = $1 ORDER BY id', [tokenHash(token)]);
    expect(rows.map((r) => r.event)).toEqual(['link-opened', 'page-view', 'image-view', 'image-download', 'dicom-download']);
  });

  it('expires with the clock', async () => {
    const token = await issue(A, { expiresAt: NOW + DAY });
    const cookie = await session(token);
    expect((await get(`${server.url}/result`, { cookie })).status).toBe(200);
    const saved = clock.now();
    clock.set(NOW + DAY + 1);
    try {
      expect((await get(`${server.url}/result`, { cookie })).status).toBe(404);
      expect((await openToken(server.url, token)).res.status).toBe(404);
    } finally {
      clock.set(saved);
    }
  });

  it('never writes a token, a token hash or a name into a log line (only 8-character hash prefixes)', () => {
    expect(tokens.length).toBeGreaterThan(10);
    const log = server.logger.lines.join('\n');
    for (const t of tokens) {
      expect(log).not.toContain(t);
      expect(log).not.toContain(tokenHash(t));
    }
    expect(log).not.toMatch(/NGUYỄN|TRẦN|1985/);
    expect(log).toContain(`"tok":"${tokenHash(tokens[0]!).slice(0, 8)}"`);
    expect(log).toContain('"route":"/r/:token"');
  });
});

describe('result page limits and cookie security (no PACS needed)', () => {
  let sql: Sql;
  beforeAll(async () => {
    sql = await memorySql();
  });
  afterAll(() => sql?.close());

  it('rate-limits /r/ per client with 429 and Retry-After', async () => {
    const server = await startTestServer({ sql, env: { RESULT_RATE_PER_MINUTE: '3' } });
    try {
      const codes = [];
      for (let i = 0; i < 4; i++) codes.push((await openToken(server.url, newToken())).res);
      expect(codes.map((c) => c.status)).toEqual([404, 404, 404, 429]);
      expect(Number(codes[3]!.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });

  it('makes the cookie Secure and __Host- prefixed, and sends HSTS, when the public address is https', async () => {
    const server = await startTestServer({ sql, env: { PUBLIC_BASE_URL: 'https://kq.phongkham.test' } });
    try {
      const key = await enrol(sql);
      const token = newToken();
      await postRecords(server.url, key, [slipRecord(token)]);
      const { res } = await openToken(server.url, token);
      expect(res.status).toBe(303);
      expect(res.headers.getSetCookie().join('\n')).toMatch(/^__Host-kq=[A-Za-z0-9_-]{43}; Path=\/; SameSite=Strict; HttpOnly; Secure$/m);
      expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    } finally {
      await server.close();
    }
  });

  it('answers a request target that is not a plain path with 400, and stays up', async () => {
    const server = await startTestServer({ sql });
    try {
      const { port } = new URL(server.url);
      const raw = (target: string) =>
        new Promise<string>((resolve, reject) => {
          const sock = connect(Number(port), '127.0.0.1', () => sock.end(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
          let out = '';
          sock.on('data', (d) => (out += d.toString()));
          sock.on('end', () => resolve(out.split('\r\n')[0] ?? ''));
          sock.on('error', reject);
        });
      expect(await raw('//evil.example/r/abc')).toBe('HTTP/1.1 400 Bad Request');
      expect(await raw('http://evil.example/r/abc')).toBe('HTTP/1.1 400 Bad Request');
      expect((await get(`${server.url}/`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('serves the English page on request and remembers it', async () => {
    const server = await startTestServer({ sql });
    try {
      const sw = await get(`${server.url}/lang/en?next=/result`);
      expect(sw.status).toBe(303);
      expect(sw.headers.get('location')).toBe('/result');
      const lang = sw.headers.getSetCookie()[0]!.split(';')[0]!;
      expect((await get(`${server.url}/r/${newToken()}`, { cookie: lang })).text).toContain('The result cannot be opened');
      // never an open redirect
      expect((await get(`${server.url}/lang/en?next=//evil.example/`)).headers.get('location')).toBe('/');
    } finally {
      await server.close();
    }
  });
});
