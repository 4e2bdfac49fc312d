/**
 * kill -9 of the process doing the sync at 20 random moments, restarting it each time, then a last
 * run to the end: 0 lost, 0 duplicated, 0 corrupt (Orthanc's contents against the originals).
 *
 * The moments are spread over the whole sync: the i-th kill waits until a random share of the
 * instances is acknowledged (read from the database as the child writes it), then a further random
 * 0–30 ms, so kills land mid-request, mid-transaction and mid-verification alike. The schedule
 * comes from a printed seed (SYNC_KILL_SEED=<hex> reproduces it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { openDatabase } from '../../electron/services/store/database';
import { orthancAvailable, requireOrHave, startOrthanc, type OrthancHandle } from '../support/orthanc';
import { tempDir } from '../support/temp-dir';
import { generatePool, md5, seedFromPool, type SeededInstance } from './seed';

const HAVE_ORTHANC = requireOrHave('Orthanc with the DICOMweb plugin', orthancAvailable());
const CHILD = fileURLToPath(new URL('./sync-child.ts', import.meta.url));
const KILLS = 20;

interface Run {
  child: ChildProcess;
  /** Resolves with the first line the child prints ("ready" or "done"). */
  ready: Promise<string>;
  done: Promise<boolean>;
  exited: Promise<void>;
}

function startChild(dataDir: string, url: string): Run {
  // node itself (not the tsx wrapper), so the pid killed is the one doing the sync.
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, url], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  let readyResolve!: (l: string) => void;
  let doneResolve!: (d: boolean) => void;
  const ready = new Promise<string>((r) => (readyResolve = r));
  const done = new Promise<boolean>((r) => (doneResolve = r));
  lines.on('line', (l) => {
    readyResolve(l);
    if (l === 'done') doneResolve(true);
  });
  const exited = new Promise<void>((r) =>
    child.on('exit', () => {
      readyResolve('exit');
      doneResolve(false);
      r();
    }),
  );
  return { child, ready, done, exited };
}

describe.skipIf(!HAVE_ORTHANC)('sync survives kill -9', () => {
  let orthanc: OrthancHandle;
  let tmp: ReturnType<typeof tempDir>;

  beforeAll(async () => {
    orthanc = await startOrthanc();
    tmp = tempDir('raddesk-sync-kill-');
  });
  afterAll(async () => {
    await orthanc?.stop();
    tmp?.remove();
  });

  it(`${KILLS} kills at random moments: 0 lost, 0 duplicated, 0 corrupt`, { timeout: 150_000 }, async () => {
    const seed = process.env.SYNC_KILL_SEED ?? randomBytes(8).toString('hex');
    console.log(`kill schedule seed: ${seed}`);
    const draw = (label: string, i: number, mod: number) => createHmac('sha256', seed).update(`${label}${i}`).digest().readUInt32BE(0) % mod;

    const dataDir = join(tmp.path, 'desk');
    const pool = generatePool(join(tmp.path, 'pool'), 20, 10);
    let seeded: SeededInstance[];
    {
      const { mkdirSync } = await import('node:fs');
      mkdirSync(dataDir, { recursive: true });
      const db = openDatabase(join(dataDir, 'desk.sqlite'));
      seeded = seedFromPool(db, dataDir, pool, 'pending', Date.now());
      db.close();
    }
    const inFlightAtKill: number[] = [];
    const doneAtKill: number[] = [];
    const targets = Array.from({ length: KILLS }, (_, i) => draw('target', i, seeded.length + 1)).sort((a, b) => a - b);
    const watcher = openDatabase(join(dataDir, 'desk.sqlite'));
    const acknowledged = () => (watcher.prepare(`SELECT COUNT(*) AS n FROM outbox WHERE status IN ('sent', 'verified')`).get() as { n: number }).n;
    for (let i = 0; i < KILLS; i++) {
      const run = startChild(dataDir, orthanc.dicomwebUrl);
      await run.ready;
      while (acknowledged() < targets[i]! && run.child.exitCode === null) await new Promise((r) => setTimeout(r, 2));
      await new Promise((r) => setTimeout(r, draw('delay', i, 31)));
      run.child.kill('SIGKILL');
      await run.exited;
      const db = openDatabase(join(dataDir, 'desk.sqlite'));
      inFlightAtKill.push((db.prepare(`SELECT COUNT(*) AS n FROM outbox WHERE status = 'sending'`).get() as { n: number }).n);
      doneAtKill.push((db.prepare(`SELECT COUNT(*) AS n FROM outbox WHERE status IN ('sent', 'verified')`).get() as { n: number }).n);
      db.close();
    }
    watcher.close();
    console.log(`rows in flight at each kill: ${inFlightAtKill.join(' ')}`);
    console.log(`rows sent or verified at each kill: ${doneAtKill.join(' ')}`);
    // The kills did land while uploads were in flight (otherwise this test would prove nothing).
    expect(inFlightAtKill.filter((n) => n > 0).length).toBeGreaterThanOrEqual(KILLS / 4);

    const last = startChild(dataDir, orthanc.dicomwebUrl);
    const finished = await Promise.race([last.done, new Promise<boolean>((r) => setTimeout(() => r(false), 90_000))]);
    if (!finished) last.child.kill('SIGKILL');
    await last.exited;
    expect(finished).toBe(true);

    const db = openDatabase(join(dataDir, 'desk.sqlite'));
    const rows = db.prepare(`SELECT status, COUNT(*) AS n FROM outbox GROUP BY status`).all();
    db.close();
    expect(rows).toEqual([{ status: 'verified', n: seeded.length }]);
    const held = await orthanc.sopInstanceUIDs();
    expect(held.length).toBe(seeded.length); // 0 duplicated
    expect(new Set(held)).toEqual(new Set(seeded.map((s) => s.sopInstanceUID))); // 0 lost
    for (const s of seeded) expect(md5(await orthanc.instanceFile(s.sopInstanceUID))).toBe(s.md5); // 0 corrupt
  });
});
