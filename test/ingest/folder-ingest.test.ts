/**
 * The export-folder path end to end, against real SQLite, real worker threads and a real chokidar
 * watcher: every accepted syntax, names in both character sets, the bad-input catalogue of issue 3,
 * duplicates and conflicts, ignored names, hostile names, and what happens to the source.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listStudies } from '../../electron/services/store/studies-repo';
import { BAD_INPUTS, dcmtkAvailable, makeDx, makeHostileName, makeHostilePatientId, newUid, type FixtureSyntax } from '../support/dicom-fixtures';
import { count, filesUnder, sha256, startIngest, waitFor, type Harness } from './harness';

const run = dcmtkAvailable();
let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

async function settle(harness: Harness, expectedReceipts: number): Promise<void> {
  await waitFor(() => harness.svc.summary().received >= expectedReceipts, `${expectedReceipts} receipts`);
  await harness.svc.idle();
}

describe.skipIf(!run)('export folder ingest', () => {
  it('accepts every transfer syntax, stores the bytes unchanged under generated names, moves the source to done', async () => {
    h = await startIngest();
    const syntaxes: FixtureSyntax[] = ['explicit-le', 'implicit-le', 'jpeg-lossless', 'jpeg-ls', 'jpeg2000', 'explicit-be', 'deflated'];
    const files = syntaxes.map((syntax) => makeDx(h!.exportDir, { syntax, patientName: 'NGUYỄN VĂN AN' }));
    const hashes = new Map(files.map((f) => [f.sopInstanceUID, sha256(f.path)]));
    await settle(h, files.length);

    expect(h.svc.summary()).toEqual({ received: 7, accepted: 7, duplicates: 0, quarantined: 0, inProgress: 0 });
    const rows = h.db.prepare('SELECT sop_instance_uid, file_path, sha256, transfer_syntax_uid, size FROM instances').all() as Array<{
      sop_instance_uid: string;
      file_path: string;
      sha256: string;
      transfer_syntax_uid: string;
      size: number;
    }>;
    expect(rows).toHaveLength(7);
    for (const r of rows) {
      const stored = path.join(h.svc.paths.store, r.file_path);
      expect(sha256(stored)).toBe(hashes.get(r.sop_instance_uid));
      expect(r.sha256).toBe(hashes.get(r.sop_instance_uid));
      expect(r.file_path).toMatch(/^\d{4}\/\d{2}\/\d{2}\/[0-9a-f-]{36}\.dcm$/);
      expect(r.file_path).not.toContain(r.sop_instance_uid);
    }
    expect(new Set(rows.map((r) => r.transfer_syntax_uid)).size).toBe(7);
    expect(filesUnder(h.exportDir)).toEqual([]);
    expect(filesUnder(h.svc.paths.done)).toHaveLength(7);
    // Export and store share a file system here, so each file was taken by hard link, not copied:
    // its one inode now has the store's name and the done folder's, and no other.
    const inodes = (files: string[]) => files.map((f) => fs.statSync(f).ino).sort();
    const stored = rows.map((r) => path.join(h!.svc.paths.store, r.file_path));
    expect(inodes(stored)).toEqual(inodes(filesUnder(h.svc.paths.done).map((f) => path.join(h!.svc.paths.done, f))));
    for (const f of stored) expect(fs.statSync(f).nlink).toBe(2);
    expect(count(h.db, "SELECT COUNT(*) AS n FROM outbox WHERE status = 'held'")).toBe(7);
    expect(filesUnder(h.svc.paths.incoming)).toEqual([]);
  });

  it('decodes PatientName under ISO_IR 192 and ISO_IR 100 and finds it without diacritics', async () => {
    h = await startIngest();
    const viet = makeDx(h.exportDir, { patientName: 'TRẦN THỊ BÍCH NGỌC', patientID: 'BN-0001', accessionNumber: 'ACC-77' });
    const latin = makeDx(h.exportDir, { charset: 'ISO_IR 100', patientName: 'LÊ^VÂN HÀ', patientID: 'BN-0002' });
    const dang = makeDx(h.exportDir, { patientName: 'ĐẶNG^VĂN ĐỨC', patientID: 'BN-0003' });
    await settle(h, 3);
    const all = listStudies(h.db, { limit: 10, offset: 0 }, Date.now()).items;
    const by = (uid: string) => all.find((s) => s.studyInstanceUID === uid)!;
    expect(by(viet.studyInstanceUID).patientName).toBe('TRẦN THỊ BÍCH NGỌC');
    expect(by(latin.studyInstanceUID).patientNameDicom).toBe('LÊ^VÂN HÀ');
    expect(by(latin.studyInstanceUID).patientName).toBe('LÊ VÂN HÀ');
    expect(by(dang.studyInstanceUID).patientName).toBe('ĐẶNG VĂN ĐỨC');
    const find = (text: string) => listStudies(h!.db, { text, limit: 10, offset: 0 }, Date.now()).items.map((s) => s.studyInstanceUID);
    expect(find('tran thi bich ngoc')).toEqual([viet.studyInstanceUID]);
    expect(find('ngoc BICH')).toEqual([viet.studyInstanceUID]);
    expect(find('le van ha')).toEqual([latin.studyInstanceUID]);
    expect(find('dang duc')).toEqual([dang.studyInstanceUID]);
    expect(find('acc-77')).toEqual([viet.studyInstanceUID]);
    expect(find('bn-0002')).toEqual([latin.studyInstanceUID]);
    expect(find('nguyen')).toEqual([]);
  });

  it('quarantines every bad input with its reason, keeps the original bytes and a sidecar, and keeps running', async () => {
    h = await startIngest();
    const made = BAD_INPUTS.map((b) => {
      const file = b.make(h!.exportDir);
      return { ...b, file, name: path.basename(file), sha: sha256(file), size: fs.statSync(file).size };
    });
    await settle(h, made.length);
    const s = h.svc.summary();
    expect(s).toEqual({ received: made.length, accepted: 0, duplicates: 0, quarantined: made.length, inProgress: 0 });

    const rows = h.db.prepare('SELECT id, original_name, reason, file_path, sha256, message_vi, message_en FROM quarantine').all() as Array<{
      id: string;
      original_name: string;
      reason: string;
      file_path: string;
      sha256: string;
      message_vi: string;
      message_en: string;
    }>;
    for (const m of made) {
      const row = rows.find((r) => r.original_name === m.name);
      expect(row, m.name).toBeDefined();
      expect(row!.reason, m.name).toBe(m.reason);
      const kept = path.join(h.svc.paths.quarantine, row!.file_path);
      expect(sha256(kept), `${m.name} bytes kept`).toBe(m.sha);
      expect(row!.sha256).toBe(m.sha);
      const sidecar = JSON.parse(fs.readFileSync(path.join(h.svc.paths.quarantine, `${row!.id}.json`), 'utf8'));
      expect(sidecar).toMatchObject({ id: row!.id, reason: m.reason, originalName: m.name, sha256: m.sha, size: m.size });
      expect(sidecar.messages.vi).toBeTruthy();
      expect(sidecar.messages.en).toBeTruthy();
      expect(typeof sidecar.receivedAt).toBe('number');
    }
    expect(filesUnder(h.exportDir)).toEqual([]);

    // Still working afterwards.
    const good = makeDx(h.exportDir);
    await settle(h, made.length + 1);
    expect(count(h.db, 'SELECT COUNT(*) AS n FROM instances WHERE sop_instance_uid = ?', good.sopInstanceUID)).toBe(1);
  });

  it('counts the same bytes twice as a duplicate and stores them once', async () => {
    h = await startIngest();
    const f = makeDx(h.exportDir);
    const copy = path.join(os.tmpdir(), `dup-${newUid()}.dcm`);
    fs.copyFileSync(f.path, copy);
    await settle(h, 1);
    fs.copyFileSync(copy, path.join(h.exportDir, '.again.part'));
    fs.renameSync(path.join(h.exportDir, '.again.part'), path.join(h.exportDir, 'again.dcm'));
    await settle(h, 2);
    fs.rmSync(copy);
    expect(h.svc.summary()).toMatchObject({ received: 2, accepted: 1, duplicates: 1, quarantined: 0 });
    expect(count(h.db, 'SELECT COUNT(*) AS n FROM instances')).toBe(1);
    expect(filesUnder(h.svc.paths.store).filter((x) => x.endsWith('.dcm'))).toHaveLength(1);
    expect(h.events.some((e) => e.name === 'ingest.progress' && (e.payload as { stage: string }).stage === 'duplicate')).toBe(true);
  });

  it('quarantines the same SOPInstanceUID with other bytes as CONFLICT and keeps both', async () => {
    h = await startIngest();
    const sop = newUid();
    const first = makeDx(h.exportDir, { sopInstanceUID: sop, patientName: 'NGUYỄN VĂN AN' });
    await settle(h, 1);
    const firstStored = h.db.prepare('SELECT file_path, sha256 FROM instances WHERE sop_instance_uid = ?').get(sop) as { file_path: string; sha256: string };
    const second = makeDx(h.exportDir, { sopInstanceUID: sop, patientName: 'NGUYỄN VĂN BÌNH', fileName: 'other.dcm' });
    const secondSha = sha256(second.path);
    await settle(h, 2);
    expect(h.svc.summary()).toMatchObject({ received: 2, accepted: 1, duplicates: 0, quarantined: 1 });
    const q = h.db.prepare('SELECT reason, sop_instance_uid, file_path FROM quarantine').get() as { reason: string; sop_instance_uid: string; file_path: string };
    expect(q.reason).toBe('CONFLICT');
    expect(q.sop_instance_uid).toBe(sop);
    expect(sha256(path.join(h.svc.paths.quarantine, q.file_path))).toBe(secondSha);
    expect(sha256(path.join(h.svc.paths.store, firstStored.file_path))).toBe(firstStored.sha256);
    expect(first.sopInstanceUID).toBe(second.sopInstanceUID);
  });

  it('ignores temporary names and symlinks, and takes files under hostile names safely', async () => {
    h = await startIngest();
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'outside-'));
    const target = makeDx(outside);
    const targetSha = sha256(target.path);
    fs.symlinkSync(target.path, path.join(h.exportDir, 'link.dcm'));
    fs.symlinkSync(outside, path.join(h.exportDir, 'linked-dir'));
    const temps = ['.hidden.dcm', 'scan.dcm.part', 'scan.tmp', '~scan.dcm', 'scan.dcm~', 'x.crdownload'];
    for (const t of temps) fs.writeFileSync(path.join(h.exportDir, t), 'still being written');
    const hostile = (['a..b.dcm', 'CON.dcm', 'aux.dcm', 'NUL'] as const).map((n) => makeHostileName(h!.exportDir, n));
    // On Linux a name starting with ".." is a dotfile: ignored like every temporary name, and left alone.
    makeHostileName(h.exportDir, '..\\..\\evil.dcm');
    const dotdot = makeHostilePatientId(h.exportDir, 'dotdot');
    await settle(h, hostile.length + 1);
    // Give the watcher a few more polls to prove the ignored ones stay ignored.
    await new Promise((r) => setTimeout(r, 800));
    await h.svc.idle();

    expect(h.svc.summary()).toMatchObject({ received: hostile.length + 1, accepted: hostile.length + 1, quarantined: 0 });
    expect(filesUnder(h.exportDir).sort()).toEqual([...temps, '..\\..\\evil.dcm'].sort());
    expect(fs.lstatSync(path.join(h.exportDir, 'link.dcm')).isSymbolicLink()).toBe(true);
    expect(sha256(target.path)).toBe(targetSha);
    const pid = h.db.prepare('SELECT patient_id, study_uid FROM studies WHERE patient_id = ?').get(dotdot.patientID) as { patient_id: string } | undefined;
    expect(pid?.patient_id).toBe('../../etc/pwd');
    const storeRoot = path.resolve(h.svc.paths.store);
    for (const r of h.db.prepare('SELECT file_path FROM instances').pluck().all() as string[]) {
      expect(path.resolve(storeRoot, r).startsWith(storeRoot + path.sep)).toBe(true);
    }
    for (const d of filesUnder(h.svc.paths.done)) expect(path.basename(d)).toMatch(/^\d+-[A-Za-z0-9._-]+$/);
    const names = h.db.prepare('SELECT source_name FROM instances').pluck().all() as string[];
    expect(names).toEqual(expect.arrayContaining(['a..b.dcm', 'CON.dcm', 'aux.dcm', 'NUL']));
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it('deletes or leaves the source as ingest.afterImport says, and a left file is not received again after a restart', async () => {
    h = await startIngest({ afterImport: 'delete' });
    makeDx(h.exportDir);
    await settle(h, 1);
    expect(filesUnder(h.exportDir)).toEqual([]);
    expect(filesUnder(h.svc.paths.done)).toEqual([]);
    const dataDir = h.dataDir;
    await h.close(false);

    h = await startIngest({ afterImport: 'leave' }, { dataDir });
    const left = makeDx(h.exportDir);
    fs.chmodSync(left.path, 0o644);
    await settle(h, 2);
    expect(fs.existsSync(left.path)).toBe(true);
    // A file left in the export folder is copied: the modality may still rewrite it by that name.
    const file = h.db.prepare('SELECT file_path FROM instances WHERE sop_instance_uid = ?').pluck().get(left.sopInstanceUID) as string;
    expect(fs.statSync(path.join(h.svc.paths.store, file)).ino).not.toBe(fs.statSync(left.path).ino);
    expect(fs.statSync(left.path).mode & 0o777).toBe(0o644);
    await h.close(false);

    h = await startIngest({ afterImport: 'leave' }, { dataDir });
    await new Promise((r) => setTimeout(r, 600));
    await h.svc.idle();
    expect(h.svc.summary()).toMatchObject({ received: 2, accepted: 2, duplicates: 0 });
    expect(fs.existsSync(left.path)).toBe(true);
  });

  it('gives the store file bytes of its own when a source taken by hard link cannot be moved to done', async () => {
    h = await startIngest();
    // A file where today's done folder should be: the move fails, the source stays in the export folder.
    const d = new Date();
    const today = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    fs.writeFileSync(path.join(h.svc.paths.done, today), 'in the way');
    const f = makeDx(h.exportDir);
    const hash = sha256(f.path);
    await settle(h, 1);
    expect(fs.existsSync(f.path)).toBe(true);
    const stored = path.join(h.svc.paths.store, h.db.prepare('SELECT file_path FROM instances').pluck().get() as string);
    expect(fs.statSync(stored).ino).not.toBe(fs.statSync(f.path).ino);
    expect(fs.statSync(f.path).nlink).toBe(1);
    expect(sha256(stored)).toBe(hash);
    expect(h.logger.lines.some((l) => l.includes('store file unshared from a source left in place'))).toBe(true);
  });

  it('releases on arrival when sync.sendPolicy = immediately', async () => {
    h = await startIngest({ sendPolicy: 'immediately' });
    const f = makeDx(h.exportDir);
    await settle(h, 1);
    expect(h.db.prepare('SELECT o.status FROM outbox o JOIN instances i ON i.id = o.instance_id WHERE i.sop_instance_uid = ?').pluck().get(f.sopInstanceUID)).toBe('pending');
    expect(h.db.prepare('SELECT released_at FROM studies WHERE study_uid = ?').pluck().get(f.studyInstanceUID)).not.toBeNull();
  });

  it('groups the views of one study and emits studies.changed', async () => {
    h = await startIngest();
    const study = newUid();
    const series = newUid();
    for (let i = 1; i <= 3; i++) makeDx(h.exportDir, { studyInstanceUID: study, seriesInstanceUID: series, instanceNumber: i, patientID: 'BN-9', viewPosition: ['PA', 'LL', 'AP'][i - 1] });
    await settle(h, 3);
    const item = listStudies(h.db, { limit: 10, offset: 0 }, Date.now()).items[0]!;
    expect(item).toMatchObject({ studyInstanceUID: study, instanceCount: 3, seriesCount: 1, state: 'new', modality: 'DX' });
    const changed = h.events.filter((e) => e.name === 'studies.changed').flatMap((e) => (e.payload as { studyInstanceUIDs: string[] }).studyInstanceUIDs);
    expect(new Set(changed)).toEqual(new Set([study]));
  });

  it('a retry that goes through resolves the item without counting the file twice', async () => {
    // A parse that times out (an overloaded machine) quarantines a good file as PARSE_ERROR.
    h = await startIngest({}, { deps: { parseTimeoutMs: 1 } });
    const f = makeDx(h.exportDir);
    const original = sha256(f.path);
    await settle(h, 1);
    expect(h.svc.summary()).toMatchObject({ received: 1, accepted: 0, quarantined: 1 });
    const q = h.db.prepare('SELECT id, reason, file_path, sha256 FROM quarantine').get() as { id: string; reason: string; file_path: string; sha256: string };
    expect(q.reason).toBe('PARSE_ERROR');
    expect(q.sha256).toBe(original);
    const dataDir = h.dataDir;
    await h.close(false);

    h = await startIngest({}, { dataDir });
    const o = await h.svc.retryQuarantined(q.id);
    expect(o.outcome).toBe('accepted');
    expect(h.svc.summary()).toMatchObject({ received: 1, accepted: 1, duplicates: 0, quarantined: 0 });
    expect(h.db.prepare('SELECT resolved_at FROM quarantine WHERE id = ?').pluck().get(q.id)).not.toBeNull();
    expect(sha256(path.join(h.svc.paths.quarantine, q.file_path))).toBe(original);
    expect(h.db.prepare('SELECT sha256 FROM instances WHERE sop_instance_uid = ?').pluck().get(f.sopInstanceUID)).toBe(original);
  });
});
