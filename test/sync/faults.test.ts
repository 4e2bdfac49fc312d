/**
 * A flaky network between the desk and a real Orthanc: a loopback proxy answers 503, hangs until
 * the desk's timeout, resets connections, and forwards uploads but drops the answer (the PACS
 * stored it, the desk never heard). Whatever the mix, the end state is the same: every instance in
 * Orthanc exactly once, byte for byte, and nothing marked failed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHmac, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { orthancAvailable, requireOrHave, startOrthanc, type OrthancHandle } from '../support/orthanc';
import { startFaultProxy, type Fault, type FaultProxy } from '../support/fault-proxy';
import { tempDir } from '../support/temp-dir';
import { generatePool, md5, seedFromPool } from './seed';
import { syncHarness, type SyncHarness } from './harness';

const HAVE_ORTHANC = requireOrHave('Orthanc with the DICOMweb plugin', orthancAvailable());

describe.skipIf(!HAVE_ORTHANC)('sync through injected network faults', () => {
  let orthanc: OrthancHandle;
  let p: FaultProxy;
  let h: SyncHarness;
  let tmp: ReturnType<typeof tempDir>;

  beforeAll(async () => {
    orthanc = await startOrthanc();
    p = await startFaultProxy(orthanc.httpUrl);
    tmp = tempDir('raddesk-sync-faults-');
  });
  afterAll(async () => {
    await h?.close();
    await p?.close();
    await orthanc?.stop();
    tmp?.remove();
  });

  it('503, timeouts, resets and lost acknowledgements: same end state, no duplicates', async () => {
    // Reproducible from the printed seed: SYNC_FAULT_SEED=<hex> npx vitest run test/sync/faults.test.ts
    const seed = process.env.SYNC_FAULT_SEED ?? randomBytes(8).toString('hex');
    console.log(`fault plan seed: ${seed}`);
    const roll = (n: number): number => createHmac('sha256', seed).update(String(n)).digest().readUInt32BE(0) % 100;
    // The first requests meet each fault once for sure; after that the seed decides.
    const first: Fault[] = [{ kind: 'lostAck' }, { kind: 'hang' }, { kind: 'reset' }, { kind: 'status', status: 503 }];
    const pick = (n: number): Fault => {
      if (n <= first.length) return first[n - 1] as Fault;
      const r = roll(n);
      if (r < 45) return { kind: 'pass' };
      if (r < 60) return { kind: 'status', status: 503 };
      if (r < 67) return { kind: 'hang' };
      if (r < 80) return { kind: 'reset' };
      return { kind: 'lostAck' };
    };
    p.setPlan(({ n }) => pick(n));

    const pool = generatePool(join(tmp.path, 'pool'), 6, 10);
    h = syncHarness({ dicomwebUrl: `${p.url}/dicom-web`, timeoutMs: 1000, concurrency: 3 }, { batchMaxCount: 4 });
    const seeded = seedFromPool(h.db, h.dataDir, pool, 'pending', h.clock.now());

    let passes = 0;
    while (passes < 200 && (h.counts().verified ?? 0) < seeded.length) {
      await h.sync.runOnce();
      passes++;
      // Move to the next moment anything is due (a probe, a backoff, a verification).
      const st = h.sync.status();
      h.clock.advance(st.nextProbeAt !== null ? Math.max(1, st.nextProbeAt - h.clock.now()) : 60_000);
    }
    const kinds = new Set(p.requests.map((r) => r.fault));
    console.log(`passes: ${passes}, requests: ${p.requests.length}, faults seen: ${[...kinds].join(', ')}`);

    expect(h.counts()).toEqual({ verified: seeded.length });
    const held = await orthanc.sopInstanceUIDs();
    expect(held.length).toBe(seeded.length);
    expect(new Set(held)).toEqual(new Set(seeded.map((s) => s.sopInstanceUID)));
    for (const s of seeded) expect(md5(await orthanc.instanceFile(s.sopInstanceUID))).toBe(s.md5);
    // The plan did inject faults of every kind.
    expect(kinds).toEqual(new Set(['pass', 'status', 'hang', 'reset', 'lostAck']));
  });
});
