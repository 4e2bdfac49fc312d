/**
 * The sync worker against a real Orthanc (Debian package, DICOMweb plugin): what the PACS holds is
 * compared with what the desk sent, byte for byte.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { appendFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { orthancAvailable, requireOrHave, startOrthanc, type OrthancHandle } from '../support/orthanc';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { tempDir } from '../support/temp-dir';
import type { DxFile } from '../support/dicom-fixtures';
import { generatePool, md5, seedFromPool, seedGarbage } from './seed';
import { syncHarness, type SyncHarness } from './harness';

const HAVE_ORTHANC = requireOrHave('Orthanc with the DICOMweb plugin', orthancAvailable());
const DAY = 86_400_000;

describe.skipIf(!HAVE_ORTHANC)('sync to a real Orthanc over DICOMweb', () => {
  let orthanc: OrthancHandle;
  let poolDir: ReturnType<typeof tempDir>;
  let pool: DxFile[];
  const harnesses: SyncHarness[] = [];
  const proxies: FaultProxy[] = [];

  const harness = (pacs: Parameters<typeof syncHarness>[0], tuning?: Parameters<typeof syncHarness>[1]) => {
    const h = syncHarness(pacs, tuning);
    harnesses.push(h);
    return h;
  };
  const proxy = async () => {
    const p = await startFaultProxy(orthanc.httpUrl);
    proxies.push(p);
    return p;
  };

  beforeAll(async () => {
    orthanc = await startOrthanc();
    poolDir = tempDir('raddesk-sync-pool-');
    pool = generatePool(poolDir.path, 20, 10);
  });
  afterAll(async () => {
    for (const h of harnesses) await h.close();
    for (const p of proxies) await p.close();
    await orthanc?.stop();
    poolDir?.remove();
  });
  beforeEach(async () => {
    await orthanc.reset();
  });

  it('sends 200 instances: Orthanc holds exactly those SOP Instance UIDs, byte for byte, all verified', async () => {
    const h = harness({ dicomwebUrl: orthanc.dicomwebUrl });
    const seeded = seedFromPool(h.db, h.dataDir, pool, 'pending', h.clock.now());
    expect(h.sync.status()).toMatchObject({ pending: 200, studiesWaiting: 20 });

    await h.sync.runOnce();

    expect(h.counts()).toEqual({ verified: 200 });
    const held = await orthanc.sopInstanceUIDs();
    expect(held.length).toBe(200);
    expect(new Set(held)).toEqual(new Set(seeded.map((s) => s.sopInstanceUID)));
    for (const s of seeded) expect(md5(await orthanc.instanceFile(s.sopInstanceUID))).toBe(s.md5);

    const status = h.sync.status();
    expect(status).toMatchObject({ online: true, connection: 'online', pending: 0, sending: 0, sent: 0, verified: 200, failed: 0, bytesPending: 0, studiesWaiting: 0, lastError: null });
    expect(status.diskFreeBytes).toBeGreaterThan(0);
    // The quota warning: less free space than sync.diskWarnGB.
    const freeGB = status.diskFreeBytes! / 1024 ** 3;
    h.patch({ sync: { diskWarnGB: Math.floor(freeGB / 2) } });
    expect(h.sync.status().diskLow).toBe(false);
    h.patch({ sync: { diskWarnGB: Math.ceil(freeGB) + 1 } });
    expect(h.sync.status().diskLow).toBe(true);
    const list = h.sync.list({ unresolvedOnly: false, limit: 50, offset: 0 });
    expect(list.total).toBe(20);
    expect(list.items.every((s) => s.progress === 1 && s.counts.verified === 10 && s.lastError === null)).toBe(true);
    // Per-study progress reached the total for every study.
    const last = new Map(h.progress.map((p) => [p.studyInstanceUID, p]));
    expect(last.size).toBe(20);
    for (const p of last.values()) expect(p).toMatchObject({ sent: 10, total: 10, etaSeconds: 0 });
    // The throttled state event catches up with the end state (waited for, not slept on).
    for (let i = 0; i < 200 && h.states.at(-1)?.verified !== 200; i++) await new Promise((r) => setTimeout(r, 10));
    expect(h.states.at(-1)).toMatchObject({ verified: 200, pending: 0, online: true });
  });

  it('purges local files only after verification plus retention, and only for settled studies', async () => {
    const h = harness({ dicomwebUrl: orthanc.dicomwebUrl });
    h.patch({ sync: { retentionDays: 7 } });
    const seeded = seedFromPool(h.db, h.dataDir, pool.slice(0, 20), 'pending', h.clock.now());
    const [studyA, studyB] = [...new Set(seeded.map((s) => s.studyInstanceUID))] as [string, string];
    const unsettled = new Set([studyB]);
    h.sync.addSettledCheck((uid) => !unsettled.has(uid));

    await h.sync.runOnce();
    expect(h.counts()).toEqual({ verified: 20 });
    h.clock.advance(7 * DAY - 1000);
    await h.sync.runOnce();
    expect(seeded.every((s) => existsSync(s.path))).toBe(true);

    h.clock.advance(2000);
    await h.sync.runOnce();
    const inA = seeded.filter((s) => s.studyInstanceUID === studyA);
    const inB = seeded.filter((s) => s.studyInstanceUID === studyB);
    expect(inA.every((s) => !existsSync(s.path))).toBe(true);
    // The other capability's hook says study B is not settled: its files stay.
    expect(inB.every((s) => existsSync(s.path))).toBe(true);
    expect(h.counts()).toEqual({ purged: 10, verified: 10 });

    unsettled.clear();
    await h.sync.runOnce();
    expect(h.counts()).toEqual({ purged: 20 });
    expect(h.sync.status().verified).toBe(20);
    expect(await orthanc.sopInstanceUIDs()).toHaveLength(20);
  });

  it('keeps held studies back until released; a study with a failed instance is never purged', async () => {
    const h = harness({ dicomwebUrl: orthanc.dicomwebUrl });
    h.patch({ sync: { retentionDays: 0 } });
    const seeded = seedFromPool(h.db, h.dataDir, pool.slice(0, 20), 'held', h.clock.now());
    const [studyA, studyB] = [...new Set(seeded.map((s) => s.studyInstanceUID))] as [string, string];

    await h.sync.runOnce();
    expect(await orthanc.sopInstanceUIDs()).toEqual([]);
    expect(h.sync.status()).toMatchObject({ held: 20, pending: 0 });
    expect(() => h.sync.release(['1.2.3.999'])).toThrow(/not found/);

    const r = h.sync.release([studyA, studyB]);
    expect(r).toMatchObject({ released: [studyA, studyB], instances: 20 });
    const garbage = seedGarbage(h.db, h.dataDir, studyA, h.clock.now());
    await h.sync.runOnce();

    expect(new Set(await orthanc.sopInstanceUIDs())).toEqual(new Set(seeded.map((s) => s.sopInstanceUID)));
    expect(h.counts()).toMatchObject({ failed: 1 });
    // Retention 0: study B's files are purged at once; A keeps everything while an instance failed.
    expect(seeded.filter((s) => s.studyInstanceUID === studyB).every((s) => !existsSync(s.path))).toBe(true);
    expect(seeded.filter((s) => s.studyInstanceUID === studyA).every((s) => existsSync(s.path))).toBe(true);
    expect(h.sync.isStudySettled(studyA)).toBe(false);
    expect(existsSync(garbage.path)).toBe(true);
  });

  it('an instance Orthanc cannot read fails on its own, with the reason, and is not retried in a loop', async () => {
    const h = harness({ dicomwebUrl: (await proxy()).url + '/dicom-web' });
    const p = proxies.at(-1) as FaultProxy;
    const seeded = seedFromPool(h.db, h.dataDir, pool.slice(0, 5), 'pending', h.clock.now());
    const garbage = seedGarbage(h.db, h.dataDir, seeded[0]!.studyInstanceUID, h.clock.now());

    await h.sync.runOnce();
    expect(h.counts()).toEqual({ verified: 5, failed: 1 });
    expect(new Set(await orthanc.sopInstanceUIDs())).toEqual(new Set(seeded.map((s) => s.sopInstanceUID)));
    const study = h.sync.list({ unresolvedOnly: true, limit: 10, offset: 0 }).items;
    expect(study).toHaveLength(1);
    expect(study[0]!.counts.failed).toBe(1);
    expect(study[0]!.lastError).toMatchObject({ code: 'PACS_REJECTED', en: 'The PACS rejected the image: HTTP 400' });
    expect(study[0]!.lastError!.vi).toContain('PACS từ chối ảnh');

    // Time passes, passes run: a permanent failure costs no further request.
    const before = p.requests.length;
    for (let i = 0; i < 5; i++) {
      h.clock.advance(3600_000);
      await h.sync.runOnce();
    }
    expect(p.requests.length).toBe(before);

    // "Retry now" tries it again, once.
    expect(h.sync.retry([garbage.studyInstanceUID])).toBe(1);
    await h.sync.runOnce();
    expect(p.requests.filter((r) => r.method === 'POST').length).toBeGreaterThan(0);
    expect(p.requests.length - before).toBe(1);
    expect(h.counts()).toEqual({ verified: 5, failed: 1 });
  });

  it('a refused batch with nothing listed is split, so each instance gets its own verdict', async () => {
    const p = await proxy();
    const h = harness({ dicomwebUrl: p.url + '/dicom-web' });
    const study = pool[0]!.studyInstanceUID;
    seedFromPool(h.db, h.dataDir, pool.slice(0, 1), 'pending', h.clock.now());
    seedGarbage(h.db, h.dataDir, study, h.clock.now());
    seedGarbage(h.db, h.dataDir, study, h.clock.now());
    const posts = () => p.requests.filter((r) => r.method === 'POST').map((r) => r.status);
    await h.sync.runOnce();
    // One batch of three → 400 listing the good one as stored (Orthanc): the unlisted two were refused.
    expect(h.counts()).toEqual({ verified: 1, failed: 2 });
    expect(posts()).toEqual([400]);
    // Retried together, nothing is listed at all: the batch is split and each is refused on its own.
    h.sync.retry();
    await h.sync.runOnce();
    expect(posts()).toEqual([400, 400, 400, 400]);
    expect(h.counts()).toEqual({ verified: 1, failed: 2 });
  });

  it('reads a 202 partial answer per instance: C000 fails, A700 backs off and then goes through', async () => {
    const p = await proxy();
    const h = harness({ dicomwebUrl: p.url + '/dicom-web' });
    const seeded = seedFromPool(h.db, h.dataDir, pool.slice(0, 6), 'pending', h.clock.now());
    const [c000, a700] = [seeded[1]!.sopInstanceUID, seeded[4]!.sopInstanceUID];
    let rewrites = 0;
    // Orthanc stores everything; the answer is rewritten so two instances come back failed.
    p.setPlan(({ method }) =>
      method === 'POST' && rewrites++ === 0
        ? {
            kind: 'rewrite',
            rewrite: ({ body }) => {
              const ds = JSON.parse(body) as Record<string, { vr: string; Value?: Record<string, { Value: string[] }>[] }>;
              const refs = ds['00081199']!.Value!;
              const take = (uid: string) => refs.splice(refs.findIndex((r) => r['00081155']!.Value[0] === uid), 1)[0]!;
              const failed = [
                { ...take(c000), '00081197': { vr: 'US', Value: [0xc000] } },
                { ...take(a700), '00081197': { vr: 'US', Value: [0xa700] } },
              ];
              ds['00081198'] = { vr: 'SQ', Value: failed as never };
              return { status: 202, body: JSON.stringify(ds) };
            },
          }
        : { kind: 'pass' },
    );

    await h.sync.runOnce();
    expect(h.counts()).toEqual({ verified: 4, failed: 1, pending: 1 });
    const failedRow = h.db.prepare(`SELECT o.last_error FROM outbox o JOIN instances i ON i.id = o.instance_id WHERE i.sop_instance_uid = ?`).get(c000) as { last_error: string };
    expect(failedRow.last_error).toContain('C000 cannot understand');
    const backing = h.db.prepare(`SELECT o.status, o.attempts, o.available_at FROM outbox o JOIN instances i ON i.id = o.instance_id WHERE i.sop_instance_uid = ?`).get(a700) as {
      status: string;
      attempts: number;
      available_at: number;
    };
    expect(backing).toMatchObject({ status: 'pending', attempts: 1 });
    expect(backing.available_at).toBeGreaterThan(h.clock.now());

    // Not before its time…
    const n = p.requests.length;
    await h.sync.runOnce();
    expect(p.requests.length).toBe(n);
    // …then it goes, and is verified.
    h.clock.set(backing.available_at);
    await h.sync.runOnce();
    expect(h.counts()).toEqual({ verified: 5, failed: 1 });
    expect(await orthanc.sopInstanceUIDs()).toHaveLength(6);
  });

  it('a PACS that keeps refusing with A700 ends in failed after the attempt budget, not in a loop', async () => {
    const p = await proxy();
    const h = harness({ dicomwebUrl: p.url + '/dicom-web' }, { maxAttempts: 3 });
    seedFromPool(h.db, h.dataDir, pool.slice(0, 1), 'pending', h.clock.now());
    p.setPlan(({ method }) =>
      method === 'POST'
        ? {
            kind: 'rewrite',
            rewrite: ({ body }) => {
              const ds = JSON.parse(body) as Record<string, { vr: string; Value?: Record<string, unknown>[] }>;
              ds['00081198'] = { vr: 'SQ', Value: ds['00081199']!.Value!.map((r) => ({ ...r, '00081197': { vr: 'US', Value: [0xa700] } })) };
              ds['00081199'] = { vr: 'SQ' };
              return { status: 409, body: JSON.stringify(ds) };
            },
          }
        : { kind: 'pass' },
    );
    for (let i = 0; i < 10; i++) {
      await h.sync.runOnce();
      h.clock.advance(24 * 3600_000);
    }
    expect(p.requests.filter((r) => r.method === 'POST')).toHaveLength(3);
    expect(h.counts()).toEqual({ failed: 1 });
    expect(h.sync.list({ unresolvedOnly: true, limit: 5, offset: 0 }).items[0]!.lastError!.en).toContain('A700 out of resources');
  });

  it('a PACS that answers queries but refuses every upload (503) is not hammered: the waits keep growing', async () => {
    const p = await proxy();
    const offlineBackoff = { baseMs: 2_000, capMs: 600_000 };
    const h = harness({ dicomwebUrl: p.url + '/dicom-web', concurrency: 4 }, { offlineBackoff, batchMaxCount: 1 });
    seedFromPool(h.db, h.dataDir, pool.slice(0, 20), 'pending', h.clock.now());
    p.setPlan(({ method }) => (method === 'POST' ? { kind: 'status', status: 503 } : { kind: 'pass' }));
    const posts = () => p.requests.filter((r) => r.method === 'POST').length;

    await h.sync.runOnce();
    expect(posts()).toBeLessThanOrEqual(4);
    for (let k = 1; k <= 6; k++) {
      const st = h.sync.status();
      expect(st).toMatchObject({ connection: 'offline', lastError: { code: 'PACS_SERVER_ERROR' } });
      const wait = st.nextProbeAt! - h.clock.now();
      // The probe (a QIDO) answers, the uploads fail again: still the k-th wait of one outage.
      expect(wait).toBeGreaterThanOrEqual(Math.min(offlineBackoff.capMs, offlineBackoff.baseMs * 2 ** (k - 1)) / 2);
      h.clock.set(st.nextProbeAt!);
      const before = p.requests.length;
      await h.sync.runOnce();
      // One probe, then at most one upload per lane.
      expect(p.requests.length - before).toBeLessThanOrEqual(1 + 4);
    }
    expect(h.counts()).toEqual({ pending: 20 });
  });

  it('pacs.test says plainly what is wrong', async () => {
    const h = harness({ dicomwebUrl: '' });
    await expect(h.sync.test()).rejects.toMatchObject({ code: 'PACS_NOT_CONFIGURED' });
    await expect(h.sync.test({ dicomwebUrl: orthanc.dicomwebUrl })).resolves.toMatchObject({ ok: true, url: orthanc.dicomwebUrl });
    // Orthanc's REST root is a web server but not a DICOMweb root.
    await expect(h.sync.test({ dicomwebUrl: orthanc.httpUrl })).rejects.toMatchObject({ code: 'PACS_NOT_DICOMWEB' });
    await expect(h.sync.test({ dicomwebUrl: orthanc.httpUrl + '/app' })).rejects.toMatchObject({ code: 'PACS_NOT_DICOMWEB' });
    const closed = await (await import('../support/orthanc')).freePort();
    await expect(h.sync.test({ dicomwebUrl: `http://127.0.0.1:${closed}/dicom-web` })).rejects.toMatchObject({ code: 'PACS_UNREACHABLE' });
    orthanc.pause();
    try {
      await expect(h.sync.test({ dicomwebUrl: orthanc.dicomwebUrl, timeoutMs: 1000 })).rejects.toMatchObject({ code: 'PACS_TIMEOUT', params: { seconds: 1 } });
    } finally {
      orthanc.resume();
    }
    // The saved settings are what the worker uses; test() never changed them.
    expect(h.settings.pacs.dicomwebUrl).toBe('');
  });

  it('a store file that is missing or changed fails that instance only, and is never sent', async () => {
    const p = await proxy();
    const h = harness({ dicomwebUrl: p.url + '/dicom-web' });
    const seeded = seedFromPool(h.db, h.dataDir, pool.slice(0, 4), 'pending', h.clock.now());
    expect(seeded[0]!.path.startsWith(join(h.dataDir, 'store'))).toBe(true);
    rmSync(seeded[1]!.path);
    appendFileSync(seeded[2]!.path, Buffer.from([0]));
    await h.sync.runOnce();
    expect(h.counts()).toEqual({ verified: 2, failed: 2 });
    expect(new Set(await orthanc.sopInstanceUIDs())).toEqual(new Set([seeded[0]!.sopInstanceUID, seeded[3]!.sopInstanceUID]));
    const errors = h.db.prepare(`SELECT last_error_code AS code FROM outbox WHERE status = 'failed'`).all() as { code: string }[];
    expect(errors.map((e) => e.code)).toEqual(['SYNC_FILE_MISSING', 'SYNC_FILE_MISSING']);
  });
});
