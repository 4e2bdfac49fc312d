/**
 * A PACS outage is a normal state: the queue waits, one probe goes out per backoff period (counted
 * at a loopback proxy in front of the real Orthanc), and the queue drains by itself when the PACS is
 * back. Time between probes is moved on the manual clock; only request timeouts are real (1 s).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { orthancAvailable, requireOrHave, startOrthanc, type OrthancHandle } from '../support/orthanc';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { tempDir } from '../support/temp-dir';
import type { DxFile } from '../support/dicom-fixtures';
import { generatePool, md5, seedFromPool, type SeededInstance } from './seed';
import { syncHarness, type SyncHarness } from './harness';

const HAVE_ORTHANC = requireOrHave('Orthanc with the DICOMweb plugin', orthancAvailable());
const OFFLINE = { baseMs: 2_000, capMs: 60_000 };

async function until(cond: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function expectExactly(orthanc: OrthancHandle, seeded: readonly SeededInstance[]): Promise<void> {
  const held = await orthanc.sopInstanceUIDs();
  expect(held.length).toBe(seeded.length);
  expect(new Set(held)).toEqual(new Set(seeded.map((s) => s.sopInstanceUID)));
  for (const s of seeded) expect(md5(await orthanc.instanceFile(s.sopInstanceUID))).toBe(s.md5);
}

/**
 * Runs passes through `probes` backoff periods of an outage. Before each probe is due a pass sends
 * nothing; at the due time it sends exactly one request. Returns the waits between probes.
 */
async function rideOutage(h: SyncHarness, p: FaultProxy, probes: number): Promise<number[]> {
  const waits: number[] = [];
  for (let i = 0; i < probes; i++) {
    const st = h.sync.status();
    expect(st.connection).toBe('offline');
    const due = st.nextProbeAt as number;
    waits.push(due - h.clock.now());
    const before = p.requests.length;
    h.clock.set(due - 1);
    await h.sync.runOnce();
    expect(p.requests.length).toBe(before);
    h.clock.set(due);
    await h.sync.runOnce();
    expect(p.requests.length).toBe(before + 1);
  }
  return waits;
}

describe.skipIf(!HAVE_ORTHANC)('PACS outage', () => {
  let tmp: ReturnType<typeof tempDir>;
  let pool: DxFile[];
  const cleanups: (() => Promise<void> | void)[] = [];

  beforeAll(() => {
    tmp = tempDir('raddesk-sync-outage-');
    pool = generatePool(join(tmp.path, 'pool'), 6, 10);
  });
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
    tmp?.remove();
  });

  it('Orthanc frozen (SIGSTOP) mid-sync: one probe per growing backoff period, then drains with no operator action', async () => {
    const orthanc = await startOrthanc();
    cleanups.push(() => orthanc.stop());
    const p = await startFaultProxy(orthanc.httpUrl);
    cleanups.push(() => p.close());
    const h = syncHarness({ dicomwebUrl: `${p.url}/dicom-web`, timeoutMs: 1000, concurrency: 2 }, { batchMaxCount: 1, offlineBackoff: OFFLINE });
    cleanups.push(() => h.close());
    const seeded = seedFromPool(h.db, h.dataDir, pool.slice(0, 40), 'pending', h.clock.now());

    let posts = 0;
    p.setPlan(({ method }) => {
      if (method === 'POST' && ++posts === 10) orthanc.pause();
      return { kind: 'pass' };
    });
    await h.sync.runOnce();
    const atFreeze = p.requests.findIndex((r) => r.method === 'POST' && r.n >= 10 && r.status === null);
    expect(atFreeze).toBeGreaterThanOrEqual(0);
    const st = h.sync.status();
    expect(st).toMatchObject({ online: false, connection: 'offline', failed: 0, lastError: { code: 'PACS_TIMEOUT' } });
    expect(st.pending).toBeGreaterThan(25);
    // Requests during the outage so far: only those already in flight on the two lanes.
    const sentWhileFrozen = () => p.requests.length - atFreeze;
    expect(sentWhileFrozen()).toBeLessThanOrEqual(2);

    const waits = await rideOutage(h, p, 5);
    expect(sentWhileFrozen()).toBeLessThanOrEqual(2 + 5);
    // Exponential with equal jitter: the k-th wait lies in [½, 1] × min(cap, base·2^k).
    waits.forEach((w, k) => {
      const ceiling = Math.min(OFFLINE.capMs, OFFLINE.baseMs * 2 ** k);
      expect(w).toBeGreaterThanOrEqual(ceiling / 2);
      expect(w).toBeLessThanOrEqual(ceiling);
    });
    expect(h.counts().failed).toBeUndefined();

    orthanc.resume();
    h.clock.set(h.sync.status().nextProbeAt as number);
    await h.sync.runOnce();
    expect(h.counts()).toEqual({ verified: 40 });
    expect(h.sync.status()).toMatchObject({ online: true, lastError: null, nextProbeAt: null });
    await expectExactly(orthanc, seeded);
  });

  it('Orthanc stopped mid-sync and started again on its storage: the queue keeps growing, then drains', async () => {
    const storageDir = join(tmp.path, 'pacs-storage');
    const first = await startOrthanc({ storageDir });
    const p = await startFaultProxy(first.httpUrl);
    cleanups.push(() => p.close());
    const h = syncHarness({ dicomwebUrl: `${p.url}/dicom-web`, timeoutMs: 1000, concurrency: 2 }, { batchMaxCount: 1, offlineBackoff: OFFLINE });
    cleanups.push(() => h.close());
    const seeded = seedFromPool(h.db, h.dataDir, pool.slice(0, 40), 'pending', h.clock.now());

    let stopping: Promise<void> | null = null;
    let posts = 0;
    // From the tenth upload on, requests reach Orthanc only once it is shutting down and gone.
    p.setPlan(({ method }) => {
      if (method === 'POST' && ++posts === 10) stopping = first.stop();
      return stopping ? { kind: 'pass', after: stopping } : { kind: 'pass' };
    });
    const pass = h.sync.runOnce();
    await until(() => stopping !== null, 'the tenth upload');
    await stopping;
    await pass;
    const atStop = p.requests.length;
    expect(h.sync.status()).toMatchObject({ connection: 'offline', failed: 0 });
    expect(h.counts().pending).toBeGreaterThanOrEqual(25);

    // The queue keeps growing while the PACS is down.
    seeded.push(...seedFromPool(h.db, h.dataDir, pool.slice(40, 60), 'pending', h.clock.now()));
    await h.sync.runOnce();
    expect(h.sync.status()).toMatchObject({ connection: 'offline', failed: 0, studiesWaiting: 6 });
    expect(h.sync.status().pending).toBeGreaterThanOrEqual(45);
    await rideOutage(h, p, 4);
    expect(h.sync.status()).toMatchObject({ lastError: { code: 'PACS_UNREACHABLE', en: expect.stringContaining(p.url) } });
    // When the outage was discovered: per lane one request plus one fresh-connection retry (a reset
    // on a kept-alive socket looks like a stale socket); then one request per probe.
    expect(p.requests.length - atStop).toBeLessThanOrEqual(2 * 2 + 4);

    const second = await startOrthanc({ storageDir });
    cleanups.push(() => second.stop());
    p.setTarget(second.httpUrl);
    h.clock.set(h.sync.status().nextProbeAt as number);
    await h.sync.runOnce();
    expect(h.counts()).toEqual({ verified: 60 });
    await expectExactly(second, seeded);
  });
});
