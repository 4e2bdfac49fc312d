/**
 * Credentials and TLS against real parts: an Orthanc with HTTP basic authentication, and the same
 * Orthanc behind a TLS-terminating loopback forwarder whose certificate comes from a private CA
 * (self-signed, made with openssl). A wrong setting is an operator-visible state, never a loss.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { join } from 'node:path';
import { orthancAvailable, requireOrHave, startOrthanc, type OrthancHandle } from '../support/orthanc';
import { tempDir } from '../support/temp-dir';
import type { DxFile } from '../support/dicom-fixtures';
import { generatePool, seedFromPool } from './seed';
import { syncHarness, type SyncHarness } from './harness';

const HAVE = requireOrHave('Orthanc with the DICOMweb plugin', orthancAvailable()) && requireOrHave('openssl', existsSync('/usr/bin/openssl'));

describe.skipIf(!HAVE)('PACS credentials and TLS', () => {
  let orthanc: OrthancHandle;
  let tmp: ReturnType<typeof tempDir>;
  let pool: DxFile[];
  let tls: https.Server;
  let tlsUrl: string;
  let caFile: string;
  const harnesses: SyncHarness[] = [];

  beforeAll(async () => {
    orthanc = await startOrthanc({ username: 'desk', password: 'đúng-mật-khẩu' });
    tmp = tempDir('raddesk-sync-tls-');
    pool = generatePool(join(tmp.path, 'pool'), 1, 6);
    caFile = join(tmp.path, 'cert.pem');
    const keyFile = join(tmp.path, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', caFile, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], {
      stdio: 'ignore',
    });
    const target = new URL(orthanc.httpUrl);
    tls = https.createServer({ key: readFileSync(keyFile), cert: readFileSync(caFile) }, (req, res) => {
      const up = http.request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      up.on('error', () => res.destroy());
      req.pipe(up);
    });
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    tlsUrl = `https://127.0.0.1:${(tls.address() as { port: number }).port}/dicom-web`;
  });
  afterAll(async () => {
    for (const h of harnesses) await h.close();
    tls?.closeAllConnections();
    await new Promise((r) => tls?.close(r));
    await orthanc?.stop();
    tmp?.remove();
  });

  it('wrong credentials: PACS_AUTH for the operator, nothing lost, drains once the password is fixed', async () => {
    await orthanc.reset();
    const h = syncHarness({ dicomwebUrl: orthanc.dicomwebUrl, username: 'desk', password: 'sai' });
    harnesses.push(h);
    seedFromPool(h.db, h.dataDir, pool, 'pending', h.clock.now());

    await expect(h.sync.test()).rejects.toMatchObject({ code: 'PACS_AUTH' });
    await h.sync.runOnce();
    const st = h.sync.status();
    expect(st).toMatchObject({ online: false, connection: 'offline', pending: 6, failed: 0, studiesWaiting: 1 });
    expect(st.lastError).toMatchObject({ code: 'PACS_AUTH', vi: 'PACS từ chối tên đăng nhập hoặc mật khẩu', en: 'The PACS rejected the username or password' });
    expect(h.counts()).toEqual({ pending: 6 });
    // Going offline is announced at once (not throttled) to the status bar.
    expect(h.states.at(-1)).toMatchObject({ connection: 'offline', lastError: { code: 'PACS_AUTH' } });
    // The Settings page can test a password before saving it.
    await expect(h.sync.test({ password: 'đúng-mật-khẩu' })).resolves.toMatchObject({ ok: true });

    h.patch({ pacs: { password: 'đúng-mật-khẩu' } });
    await h.sync.runOnce();
    expect(h.counts()).toEqual({ verified: 6 });
    expect(await orthanc.sopInstanceUIDs()).toHaveLength(6);
    // The password never reaches the log.
    expect(h.logger.lines.join('\n')).not.toMatch(/mật-khẩu|sai"/);
  });

  it('a certificate from an unknown CA is PACS_TLS; with the CA file the same PACS works over TLS', async () => {
    await orthanc.reset();
    const h = syncHarness({ dicomwebUrl: tlsUrl, username: 'desk', password: 'đúng-mật-khẩu' });
    harnesses.push(h);
    seedFromPool(h.db, h.dataDir, pool, 'pending', h.clock.now());

    await expect(h.sync.test()).rejects.toMatchObject({ code: 'PACS_TLS' });
    await expect(h.sync.test({ caFile: join(tmp.path, 'missing.pem') })).rejects.toMatchObject({ code: 'PACS_TLS' });
    await h.sync.runOnce();
    expect(h.sync.status()).toMatchObject({ connection: 'offline', pending: 6, lastError: { code: 'PACS_TLS' } });

    await expect(h.sync.test({ caFile })).resolves.toMatchObject({ ok: true });
    h.patch({ pacs: { caFile } });
    await h.sync.runOnce();
    expect(h.counts()).toEqual({ verified: 6 });
    expect(new Set(await orthanc.sopInstanceUIDs())).toEqual(new Set(pool.map((f) => f.sopInstanceUID)));
  });
});
