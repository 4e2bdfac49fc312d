/**
 * Restart safety. First, each reconciliation rule on a state built by hand; then the real thing:
 * an ingest child process SIGKILLed at every durable step of the pipeline (and once from outside,
 * mid-batch), restarted each time, until the batch is done — nothing lost, nothing twice.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { dcmtkAvailable, makeDx, makeNoPixelData, makeTextFile, makeTruncated, type DxFile } from '../support/dicom-fixtures';
import { count, filesUnder, sha256, startIngest, waitFor, type Harness } from './harness';

const run = dcmtkAvailable();
let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

describe.skipIf(!run)('reconciliation on start', () => {
  it('rolls back a copy that was renamed into the store but never committed, and receives the source once', async () => {
    h = await startIngest();
    const dataDir = h.dataDir;
    const paths = h.svc.paths;
    await h.close(false);
    // State after a crash between "rename into store" and "commit": journal + store file, no row.
    const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'stage-'));
    const f = makeDx(staging);
    fs.mkdirSync(path.join(paths.store, '2026/01/15'), { recursive: true });
    const rel = '2026/01/15/11111111-1111-4111-8111-111111111111.dcm';
    fs.copyFileSync(f.path, path.join(paths.store, rel));
    fs.writeFileSync(path.join(paths.incoming, '11111111-1111-4111-8111-111111111111.json'), JSON.stringify({ rel, sourcePath: null }));
    fs.writeFileSync(path.join(paths.incoming, '22222222-2222-4222-8222-222222222222.part'), 'half a copy');
    fs.renameSync(f.path, path.join(paths.export, 'again.dcm'));

    h = await startIngest({}, { dataDir });
    await waitFor(() => h!.svc.summary().received === 1, 'the source received');
    await h.svc.idle();
    expect(h.svc.summary()).toMatchObject({ received: 1, accepted: 1, duplicates: 0 });
    expect(fs.existsSync(path.join(paths.store, rel))).toBe(false);
    expect(filesUnder(paths.incoming)).toEqual([]);
    expect(filesUnder(paths.store).filter((x) => x.endsWith('.dcm'))).toHaveLength(1);
    fs.rmSync(staging, { recursive: true, force: true });
  });

  it('recovers a quarantine move whose row was never written, and drops a lone sidecar', async () => {
    h = await startIngest();
    const dataDir = h.dataDir;
    const q = h.svc.paths.quarantine;
    await h.close(false);
    const id = '33333333-3333-4333-8333-333333333333';
    fs.writeFileSync(path.join(q, `${id}.dcm`), 'not dicom at all');
    const sidecar = { id, reason: 'NOT_DICOM', messages: { vi: 'x', en: 'y' }, detail: 'no DICM prefix', originalName: 'notes.dcm', receivedAt: 1_700_000_000_000, sha256: 'ab', size: 16, source: 'folder', sopInstanceUID: null, sourcePath: '/nowhere/notes.dcm', sourceSize: 16, sourceMtimeMs: 1 };
    fs.writeFileSync(path.join(q, `${id}.json`), JSON.stringify(sidecar));
    const lone = '44444444-4444-4444-8444-444444444444';
    fs.writeFileSync(path.join(q, `${lone}.json`), JSON.stringify({ ...sidecar, id: lone }));

    h = await startIngest({}, { dataDir });
    expect(h.svc.summary()).toMatchObject({ received: 1, quarantined: 1 });
    expect(h.db.prepare('SELECT reason, original_name FROM quarantine WHERE id = ?').get(id)).toEqual({ reason: 'NOT_DICOM', original_name: 'notes.dcm' });
    expect(fs.existsSync(path.join(q, `${lone}.json`))).toBe(false);
    expect(fs.existsSync(path.join(q, `${id}.dcm`))).toBe(true);
  });

  it('ingests store files no row knows, and flags rows whose file is gone', async () => {
    h = await startIngest();
    const first = makeDx(h.exportDir);
    await waitFor(() => h!.svc.summary().accepted === 1, 'first accepted');
    await h.svc.idle();
    const dataDir = h.dataDir;
    const paths = h.svc.paths;
    const stored = h.db.prepare('SELECT file_path FROM instances').pluck().get() as string;
    await h.close(false);
    fs.rmSync(path.join(paths.store, stored));
    const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'stage-'));
    const orphan = makeDx(staging);
    fs.mkdirSync(path.join(paths.store, '2025/12/31'), { recursive: true });
    const orphanRel = '2025/12/31/77777777-7777-4777-8777-777777777777.dcm';
    fs.copyFileSync(orphan.path, path.join(paths.store, orphanRel));
    // Another capability's file in the store (visits keeps corrected copies there): not ingest's to touch.
    fs.mkdirSync(path.join(paths.store, 'corrected'), { recursive: true });
    const foreign = makeDx(path.join(paths.store, 'corrected'), { fileName: 'copy.dcm' });

    h = await startIngest({}, { dataDir });
    await waitFor(() => h!.svc.summary().accepted === 2, 'orphan ingested');
    await h.svc.idle();
    expect(count(h.db, 'SELECT COUNT(*) AS n FROM instances WHERE sop_instance_uid = ?', orphan.sopInstanceUID)).toBe(1);
    expect(fs.existsSync(path.join(paths.store, orphanRel))).toBe(false);
    expect(fs.existsSync(foreign.path)).toBe(true);
    expect(count(h.db, 'SELECT COUNT(*) AS n FROM instances WHERE sop_instance_uid = ?', foreign.sopInstanceUID)).toBe(0);
    expect(
      h.db.prepare('SELECT o.status, o.last_error_code FROM outbox o JOIN instances i ON i.id = o.instance_id WHERE i.sop_instance_uid = ?').get(first.sopInstanceUID),
    ).toEqual({ status: 'failed', last_error_code: 'MISSING_FILE' });
    fs.rmSync(staging, { recursive: true, force: true });
  });

  it('ingests complete C-STORE spool files and removes partial ones', async () => {
    h = await startIngest();
    const dataDir = h.dataDir;
    const spool = h.svc.paths.spool;
    await h.close(false);
    const f = makeDx(spool, { fileName: '55555555-5555-4555-8555-555555555555.dcm' });
    fs.writeFileSync(path.join(spool, '66666666-6666-4666-8666-666666666666.part'), 'cut off');
    h = await startIngest({}, { dataDir });
    await waitFor(() => h!.svc.summary().accepted === 1, 'spooled file ingested');
    await h.svc.idle();
    expect(h.db.prepare('SELECT source FROM instances WHERE sop_instance_uid = ?').pluck().get(f.sopInstanceUID)).toBe('scp');
    expect(filesUnder(spool)).toEqual([]);
  });
});

function startChild(dataDir: string, crashAt?: string, afterImport = 'move'): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'ingest-child.ts'), dataDir], {
    cwd: process.cwd(),
    env: { ...process.env, CRASH_AT: crashAt ?? '', AFTER_IMPORT: afterImport },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr!.on('data', (d: Buffer) => process.stderr.write(d));
  return child;
}

function exited(child: ChildProcess): Promise<NodeJS.Signals | number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.signalCode ?? child.exitCode);
    else child.once('exit', (code, signal) => resolve(signal ?? code));
  });
}

function receipts(dbFile: string): number {
  if (!fs.existsSync(dbFile)) return 0;
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'receipts'").get() as { n: number }).n === 0
      ? 0
      : (db.prepare('SELECT COUNT(*) AS n FROM receipts').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe.skipIf(!run)('a source taken by hard link', () => {
  it('leaves the store with bytes of its own when a restart finds the source under afterImport = leave', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kill9-link-'));
    const exportDir = path.join(dataDir, 'export');
    fs.mkdirSync(exportDir, { recursive: true });
    const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'kill9-link-stage-'));
    const f = makeDx(staging);
    const source = path.join(exportDir, 'IMG1.dcm');
    fs.renameSync(f.path, source);
    const hash = sha256(source);
    // Killed after the commit, before the source left the export folder: store and source are one inode.
    const child = startChild(dataDir, 'committed:1');
    expect(await exited(child)).toBe('SIGKILL');
    expect(fs.statSync(source).nlink).toBe(2);

    h = await startIngest({ afterImport: 'leave' }, { dataDir });
    const stored = path.join(h.svc.paths.store, h.db.prepare('SELECT file_path FROM instances').pluck().get() as string);
    await waitFor(() => fs.statSync(source).nlink === 1, 'the store file unshared');
    expect(fs.statSync(stored).ino).not.toBe(fs.statSync(source).ino);
    expect(sha256(stored)).toBe(hash);
    expect(sha256(source)).toBe(hash);
    expect(h.svc.summary()).toMatchObject({ received: 1, accepted: 1 });
    fs.rmSync(staging, { recursive: true, force: true });
  });
});

describe.skipIf(!run)('kill -9 mid-batch', () => {
  it('loses and duplicates nothing across crashes at every durable step', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kill9-'));
    const exportDir = path.join(dataDir, 'export');
    const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'kill9-stage-'));
    const good: DxFile[] = Array.from({ length: 36 }, (_, i) => makeDx(staging, { rows: 384, columns: 384, instanceNumber: i + 1 }));
    const bad = [makeTextFile(staging, 'bad-text.dcm'), makeTruncated(staging, 'pixels'), makeNoPixelData(staging)];
    const hashes = new Map(good.map((g) => [g.sopInstanceUID, sha256(g.path)]));
    fs.mkdirSync(exportDir, { recursive: true });
    const drop = (files: string[]) => {
      for (const f of files) fs.renameSync(f, path.join(exportDir, path.basename(f)));
    };
    const total = good.length + bad.length;
    const dbFile = path.join(dataDir, 'desk.sqlite');
    const crashRun = async (crashAt: string) => {
      const child = startChild(dataDir, crashAt);
      const how = await Promise.race([exited(child), new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 30_000))]);
      if (how === 'timeout') {
        child.kill('SIGKILL');
        await exited(child);
      }
      expect(how, `crash at ${crashAt}`).toBe('SIGKILL');
    };

    // Phase A: good files; the child dies at each step of an accepted file in turn.
    drop(good.slice(0, 12).map((g) => g.path));
    for (const crashAt of ['copied:2', 'renamed:2', 'committed:2', 'renamed:1', 'committed:1']) await crashRun(crashAt);
    // Phase B: bad files join; the child dies at each step of a quarantined file.
    drop([...bad, ...good.slice(12, 24).map((g) => g.path)]);
    for (const crashAt of ['quarantine-sidecar:1', 'quarantine-moved:1']) await crashRun(crashAt);
    // Phase C: more files, and a SIGKILL from outside in the middle of the work.
    drop(good.slice(24).map((g) => g.path));
    const before = receipts(dbFile);
    const outside = startChild(dataDir);
    await waitFor(() => receipts(dbFile) >= before + 3, 'a few more receipts', 30_000);
    outside.kill('SIGKILL');
    expect(await exited(outside)).toBe('SIGKILL');
    expect(receipts(dbFile)).toBeLessThan(total);

    // Final run, to completion.
    const last = startChild(dataDir);
    await waitFor(() => fs.readdirSync(exportDir).length === 0 && receipts(dbFile) >= total, 'batch finished', 60_000);
    last.kill('SIGTERM');
    await exited(last);

    const db = new Database(dbFile, { readonly: true });
    try {
      const outcomes = db.prepare('SELECT outcome, COUNT(*) AS n FROM receipts GROUP BY outcome').all() as Array<{ outcome: string; n: number }>;
      expect(Object.fromEntries(outcomes.map((o) => [o.outcome, o.n]))).toEqual({ accepted: good.length, quarantined: bad.length });
      const rows = db.prepare('SELECT sop_instance_uid, file_path, sha256 FROM instances').all() as Array<{ sop_instance_uid: string; file_path: string; sha256: string }>;
      expect(rows.map((r) => r.sop_instance_uid).sort()).toEqual(good.map((g) => g.sopInstanceUID).sort());
      const storeDir = path.join(dataDir, 'store');
      for (const r of rows) {
        expect(sha256(path.join(storeDir, r.file_path))).toBe(hashes.get(r.sop_instance_uid));
        expect(r.sha256).toBe(hashes.get(r.sop_instance_uid));
      }
      expect(filesUnder(storeDir).filter((f) => !f.startsWith('.incoming'))).toEqual(rows.map((r) => r.file_path).sort());
      expect(filesUnder(path.join(storeDir, '.incoming'))).toEqual([]);
      const qIds = db.prepare('SELECT id FROM quarantine').pluck().all() as string[];
      expect(qIds).toHaveLength(bad.length);
      expect(filesUnder(path.join(dataDir, 'quarantine'))).toEqual(qIds.flatMap((id) => [`${id}.dcm`, `${id}.json`]).sort());
      expect(filesUnder(path.join(dataDir, 'done'))).toHaveLength(good.length);
      expect((db.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n).toBe(good.length);
    } finally {
      db.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(staging, { recursive: true, force: true });
    }
  }, 240_000);
});
