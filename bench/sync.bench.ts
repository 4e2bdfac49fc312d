/**
 * Getting images into the PACS, same files, same Orthanc, one run:
 *   desk      the whole pipeline: files appear in the watch folder → ingest (stable, take, fsync,
 *             record) → STOW-RS → verified by QIDO (sync.sendPolicy = immediately). Files appear
 *             as a modality's export does: each renamed into the folder, complete, with no other
 *             name, so the desk takes it by hard link (`afterImport` = move, the default);
 *   desk copy the same with `afterImport` = leave, where the desk must copy every file (as for an
 *             export folder on another file system): for reading, not a target;
 *   desk sync the STOW-RS + QIDO part alone, from the desk's store;
 *   REST ×4   Orthanc's own `POST /instances`, 4 uploads in parallel: the practical ceiling;
 *   storescu  dcmtk C-STORE of the same files over one association.
 * Ratios are anchor time / desk time (higher is better). Targets: ≥ 0.9× REST ×4, ≥ 2× storescu.
 *
 * BENCH_SYNC_COUNT (default 200) and BENCH_SYNC_ROWS (default 2800: 2800 × 2800 × 16 bit ≈ 15.7 MB)
 * size the workload; BENCH_QUICK=1 makes it 20 × 512².
 */
import http from 'node:http';
import { copyFileSync, createReadStream, linkSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { execFile, execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BenchResult } from './bench-result';
import { openDatabase } from '../electron/services/store/database';
import { systemClock } from '../electron/services/clock';
import { silentLogger } from '../electron/services/logger';
import { createEventHub } from '../electron/core/events';
import { createIngestService } from '../electron/services/ingest/ingest-service';
import { createSyncService, type SyncService } from '../electron/services/sync/sync-service';
import { settingsSchema } from '../shared/settings-schema';
import { makeDx, newUid, type DxFile } from '../test/support/dicom-fixtures';
import { orthancAvailable, startOrthanc, type OrthancHandle } from '../test/support/orthanc';
import { tempDir } from '../test/support/temp-dir';
import { bundledHeaderWorker } from './bundled-worker';

const QUICK = process.env.BENCH_QUICK === '1';
const COUNT = Number(process.env.BENCH_SYNC_COUNT ?? (QUICK ? 20 : 200));
const ROWS = Number(process.env.BENCH_SYNC_ROWS ?? (QUICK ? 512 : 2800));

async function instanceCount(orthanc: OrthancHandle): Promise<number> {
  return ((await orthanc.get('/statistics')) as { CountInstances: number }).CountInstances;
}

async function timed(label: string, orthanc: OrthancHandle, expected: number, work: () => Promise<void>): Promise<number> {
  await orthanc.reset();
  const t0 = performance.now();
  await work();
  const seconds = (performance.now() - t0) / 1000;
  const n = await instanceCount(orthanc);
  if (n !== expected) throw new Error(`${label}: Orthanc holds ${n} instances, expected ${expected}`);
  return seconds;
}

/** Orthanc REST `POST /instances`, `parallel` uploads at a time, each file streamed from disk. */
async function restUpload(orthanc: OrthancHandle, files: readonly DxFile[], parallel: number): Promise<void> {
  const url = new URL(`${orthanc.httpUrl}/instances`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: parallel });
  let next = 0;
  const one = (f: DxFile) =>
    new Promise<void>((resolve, reject) => {
      const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/dicom', 'content-length': String(f.size) } }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`REST ${res.statusCode}`))));
      });
      req.on('error', reject);
      createReadStream(f.path).pipe(req);
    });
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < files.length) await one(files[next++]!);
    }),
  );
  agent.destroy();
}

function storescu(orthanc: OrthancHandle, files: readonly DxFile[]): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile('storescu', ['-aet', 'BENCH', '-aec', orthanc.aet, '127.0.0.1', String(orthanc.dicomPort), ...files.map((f) => f.path)], { maxBuffer: 1 << 24 }, (e) =>
      e ? reject(e) : resolve(),
    ),
  );
}

async function until(cond: () => boolean): Promise<void> {
  // Every 25 ms: often enough to time a run of seconds, rarely enough not to take CPU from it.
  while (!cond()) await new Promise((r) => setTimeout(r, 25));
}

type AfterImport = 'move' | 'leave';

/**
 * The files as they will appear in the watch folder. `move`: each a fresh file with one name,
 * staged (untimed) on the export's file system and renamed in, as a modality's export lands.
 * `leave`: hard links to the generated files (atomic too; the desk copies either way).
 */
function stageDrops(files: readonly DxFile[], dataDir: string, exportDir: string, after: AfterImport): () => void {
  const named = files.map((f) => ({ from: f.path, name: `${f.sopInstanceUID}.dcm` }));
  if (after === 'leave') return () => named.forEach((f) => linkSync(f.from, join(exportDir, f.name)));
  const staging = join(dataDir, 'staging');
  mkdirSync(staging);
  for (const f of named) copyFileSync(f.from, join(staging, f.name));
  execFileSync('sync');
  return () => named.forEach((f) => renameSync(join(staging, f.name), join(exportDir, f.name)));
}

/** The desk: ingest + sync on a fresh data folder, then (move only) the sync part again alone. */
async function deskPipeline(
  orthanc: OrthancHandle,
  files: readonly DxFile[],
  root: string,
  workerUrl: URL | null,
  afterImport: AfterImport,
): Promise<{ pipeline: number; syncAlone: number | null }> {
  const dataDir = join(root, `desk-${newUid().slice(-8)}`);
  mkdirSync(dataDir, { recursive: true });
  const db = openDatabase(join(dataDir, 'desk.sqlite'));
  const settings = settingsSchema.parse({
    pacs: { dicomwebUrl: orthanc.dicomwebUrl, concurrency: 4 },
    sync: { sendPolicy: 'immediately', retentionDays: 3650 },
    ingest: { stableMs: 200, afterImport },
  });
  const events = createEventHub(() => undefined);
  let sync: SyncService | null = null;
  events.subscribe((name) => {
    if (name === 'studies.changed') sync?.nudge();
  });
  sync = createSyncService({ db, clock: systemClock, logger: silentLogger, dataDir, settings: () => settings, events });
  const ingest = createIngestService({ db, clock: systemClock, logger: silentLogger, dataDir, settings: () => settings, events, ...(workerUrl ? { workerUrl } : {}) });
  await ingest.start();
  sync.start();
  try {
    const s = sync;
    const drop = stageDrops(files, dataDir, ingest.paths.export, afterImport);
    const pipeline = await timed(`desk pipeline (${afterImport})`, orthanc, files.length, async () => {
      drop();
      await until(() => s.status().verified === files.length);
    });
    await sync.stop();
    if (afterImport === 'leave') return { pipeline, syncAlone: null };
    // Same store, same rows: the sync part alone, from pending to verified.
    db.prepare(`UPDATE outbox SET status = 'pending', available_at = 0, sent_at = NULL, verified_at = NULL`).run();
    const again = createSyncService({ db, clock: systemClock, logger: silentLogger, dataDir, settings: () => settings });
    const syncAlone = await timed('desk sync alone', orthanc, files.length, async () => {
      again.start();
      await until(() => again.status().verified === files.length);
    });
    await again.stop();
    return { pipeline, syncAlone };
  } finally {
    await sync.stop();
    await ingest.stop();
    db.close();
  }
}

export async function run(): Promise<BenchResult[]> {
  if (!orthancAvailable()) throw new Error('Orthanc with the DICOMweb plugin is not installed');
  const tmp = tempDir('raddesk-bench-sync-');
  const orthanc = await startOrthanc();
  try {
    // Studies of ten views, as a busy morning's chest and limb series would be.
    const files: DxFile[] = [];
    for (let i = 0; i < COUNT; i += 10) {
      const study = { studyInstanceUID: newUid(), seriesInstanceUID: newUid() };
      for (let j = 0; j < 10 && i + j < COUNT; j++) files.push(makeDx(join(tmp.path, 'files'), { rows: ROWS, columns: ROWS, ...study, instanceNumber: j + 1 }));
    }
    const bytes = files.reduce((n, f) => n + statSync(f.path).size, 0);
    // Write the generated files back now, so no timed run pays for another's dirty pages.
    execFileSync('sync');
    const mb = bytes / 1e6;

    // The ceiling is measured before and after the desk, and averaged: on a shared machine the
    // load drifts during a run of several minutes.
    const rest1 = await timed('REST ×4', orthanc, COUNT, () => restUpload(orthanc, files, 4));
    const scu = await timed('storescu', orthanc, COUNT, () => storescu(orthanc, files));
    const workerUrl = await bundledHeaderWorker(tmp.path);
    const desk = await deskPipeline(orthanc, files, tmp.path, workerUrl, 'move');
    const copying = await deskPipeline(orthanc, files, tmp.path, workerUrl, 'leave');
    const rest2 = await timed('REST ×4', orthanc, COUNT, () => restUpload(orthanc, files, 4));
    const rest = (rest1 + rest2) / 2;

    const rate = (s: number) => `${s.toFixed(2)} s (${(mb / s).toFixed(0)} MB/s)`;
    // Two cores shared with whatever else runs: the load says how far to trust one run.
    const load = `load ${loadavg()[0]!.toFixed(1)}`;
    const what = `${COUNT} × ${(mb / COUNT).toFixed(1)} MB`;
    return [
      {
        name: `sync ${what}: desk pipeline vs Orthanc REST ×4`,
        ratio: rest / desk.pipeline,
        detail: `desk ${rate(desk.pipeline)}, REST ×4 ${rate(rest)} (runs ${rest1.toFixed(1)} s, ${rest2.toFixed(1)} s); target ≥ 0.9×; ${workerUrl ? 'bundled worker' : 'tsx worker'}; ${load}`,
      },
      {
        name: `sync ${what}: desk pipeline vs storescu`,
        ratio: scu / desk.pipeline,
        detail: `desk ${rate(desk.pipeline)}, storescu ${rate(scu)}; target ≥ 2×; ${load}`,
      },
      {
        name: `sync ${what}: desk pipeline copying every file vs REST ×4`,
        ratio: rest / copying.pipeline,
        detail: `desk ${rate(copying.pipeline)} with afterImport = leave (as for an export on another disk), REST ×4 ${rate(rest)} (for reading the pipeline figure)`,
      },
      {
        name: `sync ${what}: desk STOW-RS + QIDO alone vs REST ×4`,
        ratio: rest / desk.syncAlone!,
        detail: `desk sync ${rate(desk.syncAlone!)}, REST ×4 ${rate(rest)} (for reading the pipeline figure)`,
      },
    ];
  } finally {
    await orthanc.stop();
    tmp.remove();
  }
}
