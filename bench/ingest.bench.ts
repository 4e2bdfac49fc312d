/**
 * Ingest performance (issue 3), each figure against an anchor measured in the same run:
 *
 * 1. Throughput: 200 generated 15 MB DX files through the whole pipeline (framing, header parse
 *    in the worker pool, copy + SHA-256 + fsync, rename, SQLite commit) against a plain
 *    `copyFile` of the same files (the floor, no fsync; the faster of a pass before and a pass
 *    after the ingest). Target ≥ 0.5× copy speed. Measured with `afterImport` = leave, where every
 *    file is copied; the default `move` takes a file by hard link instead (it leaves the export
 *    folder anyway), printed beside it for reading.
 * 2. Latency: from "file stable" (the pipeline's first event for it) to its row being visible in
 *    studies.list, one 15 MB file at a time through the real watcher. Target ≤ 300 ms median;
 *    the anchor is a plain copy of one such file.
 * 3. Memory: process RSS after 1,000 files (1024×1024, 2 MB) against RSS before. Target ≤ 300 MB.
 *
 * BENCH_QUICK=1 scales the counts down (20 / 5 / 100) for a smoke run.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { systemClock } from '../electron/services/clock';
import { createIngestService, type IngestService } from '../electron/services/ingest/ingest-service';
import { silentLogger } from '../electron/services/logger';
import { openDatabase, type Db } from '../electron/services/store/database';
import { listStudies } from '../electron/services/store/studies-repo';
import { settingsSchema, type Settings } from '../shared/settings-schema';
import { BENCH_SIZE, makeDx } from '../test/support/dicom-fixtures';
import { tempDir } from '../test/support/temp-dir';
import { median, type BenchResult } from './bench-result';
import { bundledHeaderWorker } from './bundled-worker';

const QUICK = process.env.BENCH_QUICK === '1';
const THROUGHPUT_FILES = QUICK ? 20 : 200;
const LATENCY_FILES = QUICK ? 5 : 20;
const MEMORY_FILES = QUICK ? 100 : 1000;

/**
 * Writes dirty pages out before a timed phase, so neither side pays for the other's (or the
 * generator's) writeback during its own fsyncs.
 */
function flushDisk(): void {
  try {
    execFileSync('sync');
  } catch {
    // no sync(1) on this OS: figures are noisier, not wrong
  }
}

/** A 44-character UID, so copies can be made by patching bytes in place. */
function fixedUid(): string {
  const digits = BigInt(`0x${randomBytes(16).toString('hex')}`).toString(10).padStart(39, '0').slice(-38);
  return `2.25.1${digits}`;
}

/** Writes `count` copies of a template with new Study/Series/SOP UIDs (same length, same framing). */
function cloneFiles(template: { bytes: Buffer; uids: string[] }, dir: string, count: number): string[] {
  fs.mkdirSync(dir, { recursive: true });
  // One working buffer, patched in place for each copy: the bench must not inflate the RSS it measures.
  const out = Buffer.from(template.bytes);
  const at = template.uids.map((uid) => {
    const needle = Buffer.from(uid, 'latin1');
    const offsets: number[] = [];
    for (let i = out.indexOf(needle); i >= 0; i = out.indexOf(needle, i + 1)) offsets.push(i);
    return offsets;
  });
  return Array.from({ length: count }, (_, i) => {
    for (const offsets of at) {
      const fresh = Buffer.from(fixedUid(), 'latin1');
      for (const o of offsets) fresh.copy(out, o);
    }
    const file = path.join(dir, `IMG${String(i).padStart(5, '0')}.dcm`);
    fs.writeFileSync(file, out);
    return file;
  });
}

function template(workDir: string, rows: number, columns: number): { bytes: Buffer; uids: string[] } {
  const uids = [fixedUid(), fixedUid(), fixedUid()];
  const f = makeDx(workDir, { rows, columns, studyInstanceUID: uids[0], seriesInstanceUID: uids[1], sopInstanceUID: uids[2], patientName: 'NGUYỄN VĂN AN' });
  const bytes = fs.readFileSync(f.path);
  fs.rmSync(f.path);
  return { bytes, uids };
}

let workerUrl: URL | undefined;

async function startService(dataDir: string, settings: Settings): Promise<{ db: Db; svc: IngestService; events: Array<{ name: string; payload: unknown; at: number }> }> {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = openDatabase(path.join(dataDir, 'desk.sqlite'));
  const events: Array<{ name: string; payload: unknown; at: number }> = [];
  const svc = createIngestService({
    db,
    clock: systemClock,
    logger: silentLogger,
    dataDir,
    settings: () => settings,
    events: { emit: (name, payload) => events.push({ name, payload, at: performance.now() }) },
    ...(workerUrl ? { workerUrl } : {}),
  });
  await svc.start();
  return { db, svc, events };
}

async function throughput(root: string): Promise<BenchResult[]> {
  const tpl = template(root, BENCH_SIZE.rows, BENCH_SIZE.columns);
  const files = cloneFiles(tpl, path.join(root, 'src'), THROUGHPUT_FILES);
  const bytes = files.length * tpl.bytes.length;

  const copyDir = path.join(root, 'copy');
  /** One plain copyFile pass over `from` (the floor), into an emptied folder after a sync. */
  const copyPass = async (from: string[]): Promise<number> => {
    fs.rmSync(copyDir, { recursive: true, force: true });
    fs.mkdirSync(copyDir);
    flushDisk();
    const t0 = performance.now();
    for (const f of from) await fsp.copyFile(f, path.join(copyDir, path.basename(f)));
    const ms = performance.now() - t0;
    fs.rmSync(copyDir, { recursive: true, force: true });
    return ms;
  };
  const firstCopyMs = await copyPass(files);
  fs.mkdirSync(copyDir);
  flushDisk();
  const t = performance.now();
  for (const f of files) {
    const to = path.join(copyDir, path.basename(f));
    await fsp.copyFile(f, to);
    const h = await fsp.open(to, 'r+');
    await h.sync();
    await h.close();
  }
  const durableCopyMs = performance.now() - t;
  fs.rmSync(copyDir, { recursive: true, force: true });

  /** All `from` through a fresh desk at once; its data folder stays until `done` is read. */
  const ingestPass = async (afterImport: 'leave' | 'move', from: string[]) => {
    const dataDir = path.join(root, `desk-throughput-${afterImport}`);
    const { db, svc } = await startService(dataDir, settingsSchema.parse({ ingest: { afterImport } }));
    await svc.ingestFile(cloneFiles(tpl, path.join(root, `warm-${afterImport}`), 1)[0]!); // workers started and warm
    flushDisk();
    const t0 = performance.now();
    const outcomes = await Promise.all(from.map((f) => svc.ingestFile(f)));
    const ms = performance.now() - t0;
    await svc.stop();
    db.close();
    return { ms, accepted: outcomes.filter((o) => o.outcome === 'accepted').length, dataDir, done: svc.paths.done };
  };
  const copying = await ingestPass('leave', files);
  fs.rmSync(copying.dataDir, { recursive: true, force: true });
  const linking = await ingestPass('move', files);
  // The disk's own writeback makes a single copy pass swing by 4× here: the floor is the faster
  // of two passes, one before and one after the ingest (the same bytes, now in the done folder).
  const doneFiles = fs.readdirSync(linking.done, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  const copyMs = Math.min(firstCopyMs, await copyPass(doneFiles));
  fs.rmSync(linking.dataDir, { recursive: true, force: true });
  fs.rmSync(path.join(root, 'src'), { recursive: true, force: true });

  const mbps = (ms: number) => bytes / 1e6 / (ms / 1000);
  return [
    {
      name: `ingest ${files.length} × ${(tpl.bytes.length / 1e6).toFixed(1)} MB, copying, vs plain copy`,
      ratio: copyMs / copying.ms,
      detail:
        `ingest ${mbps(copying.ms).toFixed(0)} MB/s (${copying.accepted}/${files.length} accepted, afterImport = leave, fsync per file), copyFile ${mbps(copyMs).toFixed(0)} MB/s, ` +
        `copyFile+fsync ${mbps(durableCopyMs).toFixed(0)} MB/s (${(durableCopyMs / copying.ms).toFixed(2)}×); target ≥ 0.5×, higher is better`,
    },
    {
      name: `ingest ${files.length} × ${(tpl.bytes.length / 1e6).toFixed(1)} MB, by hard link, vs plain copy`,
      ratio: copyMs / linking.ms,
      detail: `ingest ${mbps(linking.ms).toFixed(0)} MB/s (${linking.accepted}/${files.length} accepted, afterImport = move, the default: taken by hard link, hashed, fsync per file), copyFile ${mbps(copyMs).toFixed(0)} MB/s; for reading`,
    },
  ];
}

async function latency(root: string): Promise<BenchResult> {
  const tpl = template(root, BENCH_SIZE.rows, BENCH_SIZE.columns);
  const files = cloneFiles(tpl, path.join(root, 'lat-src'), LATENCY_FILES + 1);
  flushDisk();
  const dataDir = path.join(root, 'desk-latency');
  const settings = settingsSchema.parse({ ingest: { stableMs: 300 } });
  const { db, svc, events } = await startService(dataDir, settings);
  const exportDir = svc.paths.export;
  const copyTimes: number[] = [];
  const latencies: number[] = [];
  for (const [i, f] of files.entries()) {
    const name = path.basename(f);
    const t0 = performance.now();
    await fsp.copyFile(f, path.join(root, 'anchor.dcm'));
    copyTimes.push(performance.now() - t0);
    fs.rmSync(path.join(root, 'anchor.dcm'));
    fs.renameSync(f, path.join(exportDir, name));
    const visibleAt = async (): Promise<number> => {
      for (;;) {
        const studies = listStudies(db, { limit: 1, offset: 0 }, Date.now()).items;
        if (studies.length > 0 && db.prepare('SELECT 1 FROM instances WHERE source_name = ?').get(name)) return performance.now();
        await new Promise((r) => setTimeout(r, 2));
      }
    };
    const visible = await visibleAt();
    const stable = events.find((e) => e.name === 'ingest.progress' && (e.payload as { stage: string; name: string }).stage === 'checking' && (e.payload as { name: string }).name === name)!.at;
    if (i > 0) latencies.push(visible - stable); // the first file also pays for the workers' start
  }
  await svc.idle();
  await svc.stop();
  db.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  const lat = median(latencies);
  const copy = median(copyTimes);
  return {
    name: `stable → row in studies.list, 15 MB, median of ${latencies.length}`,
    ratio: lat / copy,
    detail: `${lat.toFixed(0)} ms vs plain copy of the file ${copy.toFixed(0)} ms; target ≤ 300 ms, lower is better`,
  };
}

async function memory(root: string): Promise<BenchResult> {
  const tpl = template(root, 1024, 1024);
  const dataDir = path.join(root, 'desk-memory');
  const idle = process.memoryUsage().rss;
  const { db, svc } = await startService(dataDir, settingsSchema.parse({ ingest: { afterImport: 'delete' } }));
  // Warm: both header workers started (each is a V8 isolate of its own, counted in this RSS).
  await Promise.all(cloneFiles(tpl, path.join(root, 'mem-warm'), 2).map((f) => svc.ingestFile(f)));
  const before = process.memoryUsage().rss;
  let peak = before;
  const batch = 100;
  for (let done = 0; done < MEMORY_FILES; done += batch) {
    const files = cloneFiles(tpl, path.join(root, `mem-${done}`), Math.min(batch, MEMORY_FILES - done));
    await Promise.all(files.map((f) => svc.ingestFile(f)));
    fs.rmSync(path.join(root, `mem-${done}`), { recursive: true, force: true });
    peak = Math.max(peak, process.memoryUsage().rss);
    if (process.env.BENCH_VERBOSE === '1') console.log(`    ${done + batch} files: RSS ${(process.memoryUsage().rss / 1048576).toFixed(0)} MB`);
  }
  globalThis.gc?.();
  const after = process.memoryUsage().rss;
  const accepted = svc.summary().accepted;
  await svc.stop();
  db.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  const mb = (b: number) => (b / 1024 / 1024).toFixed(0);
  return {
    name: `RSS after ${MEMORY_FILES} × ${(tpl.bytes.length / 1e6).toFixed(1)} MB files vs before`,
    ratio: after / before,
    detail:
      `${mb(after)} MB after (peak ${mb(peak)} MB, ${accepted} accepted) vs ${mb(before)} MB with the workers started ` +
      `(${mb(idle)} MB before the service; ${workerUrl ? 'bundled worker' : 'tsx worker'}); target ≤ 300 MB, lower is better`,
  };
}

export async function run(): Promise<BenchResult[]> {
  const dir = tempDir('raddesk-bench-ingest-');
  try {
    workerUrl = (await bundledHeaderWorker(dir.path)) ?? undefined;
    // Memory first, while the process holds nothing from the other phases.
    const mem = await memory(dir.path);
    return [...(await throughput(dir.path)), await latency(dir.path), mem];
  } finally {
    dir.remove();
  }
}
