/**
 * The C-STORE SCP against dcmtk's storescu and echoscu (independent DICOM network tools): objects
 * in several transfer syntaxes arrive byte-identical in their data set, a malformed object is
 * refused with a failure status and kept in the quarantine, C-ECHO answers, a wrong called AE
 * title is rejected.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dcmtkAvailable, makeDx, makeMissingUid, topLevelElements, type DxFile, type FixtureSyntax } from '../support/dicom-fixtures';
import { freePort, startIngest, waitFor, type Harness } from './harness';

const exec = promisify(execFile);
const run = dcmtkAvailable();

/** Runs a dcmtk tool; resolves with its exit code (storescu exits non-zero when a store fails). */
async function tool(cmd: string, args: string[]): Promise<{ code: number; out: string }> {
  try {
    const r = await exec(cmd, args, { timeout: 60_000 });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : 1, out: (err.stdout ?? '') + (err.stderr ?? '') };
  }
}

/** The data set bytes of a Part-10 file: everything after the File Meta group. */
function dataset(file: string): Buffer {
  const bytes = fs.readFileSync(file);
  const first = topLevelElements(bytes).find((e) => e.group !== 0x0002)!;
  return bytes.subarray(first.start);
}

describe.skipIf(!run)('C-STORE SCP', () => {
  let h: Harness;
  let port: number;
  const src = fs.mkdtempSync(path.join(os.tmpdir(), 'scp-src-'));

  beforeAll(async () => {
    h = await startIngest({ scp: { enabled: true, aet: 'RADDESK', port: await freePort() } });
    port = h.svc.scpPort!;
  });
  afterAll(async () => {
    await h.close();
    fs.rmSync(src, { recursive: true, force: true });
  });

  it('answers C-ECHO and rejects a wrong called AE title', async () => {
    expect((await tool('echoscu', ['-aet', 'MODALITY', '-aec', 'RADDESK', '127.0.0.1', String(port)])).code).toBe(0);
    expect((await tool('echoscu', ['-aet', 'MODALITY', '-aec', 'SOMEONE', '127.0.0.1', String(port)])).code).not.toBe(0);
  });

  it('stores objects in each transfer syntax with their data set unchanged', async () => {
    const syntaxes: FixtureSyntax[] = ['explicit-le', 'implicit-le', 'jpeg-lossless', 'jpeg-ls', 'jpeg2000'];
    const files: DxFile[] = syntaxes.map((syntax) => makeDx(src, { syntax, patientName: 'PHẠM THỊ HOA' }));
    const before = h.svc.summary().accepted;
    // Propose each file's own compressed syntax, so compressed objects travel compressed
    // (storescu: -xs JPEG lossless, -xt JPEG-LS lossless, -xv JPEG 2000 lossless).
    const propose: Record<string, string[]> = { 'jpeg-lossless': ['-xs'], 'jpeg-ls': ['-xt'], jpeg2000: ['-xv'] };
    for (const [i, f] of files.entries()) {
      const r = await tool('storescu', ['-aet', 'MODALITY', '-aec', 'RADDESK', ...(propose[syntaxes[i]!] ?? []), '127.0.0.1', String(port), f.path]);
      expect(r.code, r.out).toBe(0);
    }
    // A C-STORE success is sent only after the commit, so the rows are there now.
    expect(h.svc.summary().accepted).toBe(before + files.length);
    for (const f of files) {
      const row = h.db.prepare('SELECT file_path, source, source_name FROM instances WHERE sop_instance_uid = ?').get(f.sopInstanceUID) as {
        file_path: string;
        source: string;
        source_name: string;
      };
      expect(row.source).toBe('scp');
      expect(row.source_name).toBe('MODALITY');
      expect(dataset(path.join(h.svc.paths.store, row.file_path)).equals(dataset(f.path))).toBe(true);
    }
    const name = h.db.prepare('SELECT patient_name FROM studies WHERE study_uid = ?').pluck().get(files[0]!.studyInstanceUID);
    expect(name).toBe('PHẠM THỊ HOA');
    expect(fs.readdirSync(h.svc.paths.spool)).toEqual([]);
  });

  it('stores a 15 MB image streamed through the spool', async () => {
    const big = makeDx(src, { rows: 2800, columns: 2800 });
    const r = await tool('storescu', ['-aet', 'MODALITY', '-aec', 'RADDESK', '127.0.0.1', String(port), big.path]);
    expect(r.code, r.out).toBe(0);
    const size = h.db.prepare('SELECT size FROM instances WHERE sop_instance_uid = ?').pluck().get(big.sopInstanceUID) as number;
    expect(size).toBeGreaterThan(15_000_000);
  });

  it('refuses a malformed object with a failure status and keeps it in the quarantine', async () => {
    const bad = makeMissingUid(src, 'study');
    const before = h.svc.summary();
    const r = await tool('storescu', ['-v', '-aet', 'MODALITY', '-aec', 'RADDESK', '127.0.0.1', String(port), bad]);
    expect(r.out).toContain('Received Store Response (Error: CannotUnderstand)');
    await waitFor(() => h.svc.summary().quarantined === before.quarantined + 1, 'quarantined');
    const q = h.db.prepare('SELECT reason, original_name, source FROM quarantine ORDER BY received_at DESC LIMIT 1').get();
    expect(q).toEqual({ reason: 'MISSING_UID', original_name: 'MODALITY', source: 'scp' });
    const s = h.svc.summary();
    expect(s.received).toBe(s.accepted + s.duplicates + s.quarantined);
  });

  it('refuses storage classes it does not accept', async () => {
    const other = path.join(src, 'ct.dcm');
    const dx = makeDx(src);
    const bytes = fs.readFileSync(dx.path);
    // Same file relabelled as CT Image Storage (1.2.840.10008.5.1.4.1.1.2): the association offers CT only.
    const ct = Buffer.from(bytes.toString('latin1').split('1.2.840.10008.5.1.4.1.1.1.1\0').join('1.2.840.10008.5.1.4.1.1.2\0\0\0\0'), 'latin1');
    fs.writeFileSync(other, ct);
    const r = await tool('storescu', ['-aet', 'MODALITY', '-aec', 'RADDESK', '127.0.0.1', String(port), other]);
    expect(r.code).not.toBe(0);
  });
});
