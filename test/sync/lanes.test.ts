/**
 * `pacs.concurrency` holds while ingest is still committing rows: lanes that find the queue
 * momentarily empty wait for the next nudge instead of leaving the pass, so instances that arrive
 * while an upload is in flight go out beside it, not after it; and the QIDO checks after a send
 * run side by side too. A proxy holds the requests open, so the number in flight at once is
 * counted, not timed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { orthancAvailable, requireOrHave, startOrthanc, type OrthancHandle } from '../support/orthanc';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { tempDir } from '../support/temp-dir';
import { generatePool, seedFromPool } from './seed';
import { syncHarness, type SyncHarness } from './harness';

const HAVE_ORTHANC = requireOrHave('Orthanc with the DICOMweb plugin', orthancAvailable());

async function until(cond: () => boolean, deadlineMs: number): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
}

describe.skipIf(!HAVE_ORTHANC)('sync lanes with rows arriving during a pass', () => {
  let orthanc: OrthancHandle;
  let p: FaultProxy;
  let h: SyncHarness;
  let tmp: ReturnType<typeof tempDir>;

  beforeAll(async () => {
    orthanc = await startOrthanc();
    p = await startFaultProxy(orthanc.httpUrl);
    tmp = tempDir('raddesk-sync-lanes-');
  });
  afterAll(async () => {
    await h?.close();
    await p?.close();
    await orthanc?.stop();
    tmp?.remove();
  });

  it('sends rows committed mid-pass on the idle lanes, up to pacs.concurrency at once', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    p.setPlan(({ method }) => (method === 'POST' ? { kind: 'pass', after: gate } : { kind: 'pass' }));
    const stows = () => p.requests.filter((r) => r.method === 'POST').length;

    const pool = generatePool(join(tmp.path, 'pool'), 1, 4);
    h = syncHarness({ dicomwebUrl: `${p.url}/dicom-web`, concurrency: 4 }, { batchMaxCount: 1 });
    const first = seedFromPool(h.db, h.dataDir, pool.slice(0, 1), 'pending', h.clock.now());
    const pass = h.sync.runOnce();
    await until(() => stows() === 1, 10_000);
    expect(stows()).toBe(1);

    // Ingest commits three more while the first upload is still in flight, and nudges.
    const later = seedFromPool(h.db, h.dataDir, pool.slice(1), 'pending', h.clock.now());
    h.sync.nudge();
    await until(() => stows() === 4, 10_000);
    expect(stows()).toBe(4);

    open();
    await pass;
    expect(h.counts()).toEqual({ verified: first.length + later.length });
    expect(stows()).toBe(4);
  });

  it('verifies the studies of a pass side by side, up to pacs.concurrency QIDO requests at once', async () => {
    await h?.close();
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const isStudyQido = (method: string, path: string) => method === 'GET' && /\/studies\/[^/?]+\/instances/.test(path);
    p.setPlan(({ method, path }) => (isStudyQido(method, path) ? { kind: 'pass', after: gate } : { kind: 'pass' }));
    const before = p.requests.length; // the proxy's log spans both tests
    const qidos = () => p.requests.slice(before).filter((r) => isStudyQido(r.method, r.path)).length;

    const pool = generatePool(join(tmp.path, 'pool-verify'), 5, 1);
    h = syncHarness({ dicomwebUrl: `${p.url}/dicom-web`, concurrency: 3 });
    const seeded = seedFromPool(h.db, h.dataDir, pool, 'pending', h.clock.now());
    const pass = h.sync.runOnce();
    await until(() => qidos() === 3, 10_000);
    expect(qidos()).toBe(3);
    open();
    await pass;
    expect(h.counts()).toEqual({ verified: seeded.length });
    expect(qidos()).toBe(5);
  });
});
