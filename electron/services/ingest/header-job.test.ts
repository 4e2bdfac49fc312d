/**
 * The worker's job on real files: the copy in the store is byte-identical to the checked file and
 * its SHA-256 is the copy's; a file replaced or grown between the check and the copy is reported
 * as changed and leaves no copy behind (the copy goes by name, so the inode must be re-checked).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeDx } from '../../../test/support/dicom-fixtures';
import { runHeaderJob } from './header-job';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'header-job-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('runHeaderJob', () => {
  it('copies the checked file byte for byte and hashes the copy', () => {
    const f = makeDx(dir, { rows: 256, columns: 256 });
    const copyTo = `${f.path}.copy`;
    const res = runHeaderJob({ file: f.path, copyTo });
    expect(res.kind).toBe('accepted');
    const original = fs.readFileSync(f.path);
    expect(fs.readFileSync(copyTo).equals(original)).toBe(true);
    expect(res.kind === 'accepted' && res.sha256).toBe(sha256(original));
  });

  it('stores a read-only export as an owner-only, writable file (purge must be able to remove it)', () => {
    const f = makeDx(dir, { rows: 64, columns: 64 });
    fs.chmodSync(f.path, 0o444);
    const copyTo = `${f.path}.copy`;
    expect(runHeaderJob({ file: f.path, copyTo }).kind).toBe('accepted');
    expect(fs.statSync(copyTo).mode & 0o777).toBe(0o600);
  });

  it('reports a file renamed over the checked one before the copy as changed, with no copy left', () => {
    const f = makeDx(dir, { rows: 64, columns: 64 });
    const other = makeDx(dir, { rows: 64, columns: 64 });
    const copyTo = `${f.path}.copy`;
    const res = runHeaderJob({ file: f.path, copyTo }, () => fs.renameSync(other.path, f.path));
    expect(res.kind).toBe('changed');
    expect(fs.existsSync(copyTo)).toBe(false);
  });

  it('reports a file that grew between the check and the copy as changed, with no copy left', () => {
    const f = makeDx(dir, { rows: 64, columns: 64 });
    const copyTo = `${f.path}.copy`;
    const res = runHeaderJob({ file: f.path, copyTo }, () => fs.appendFileSync(f.path, Buffer.alloc(16)));
    expect(res.kind).toBe('changed');
    expect(fs.existsSync(copyTo)).toBe(false);
  });

  it('only hashes a rejected file and copies nothing', () => {
    const file = path.join(dir, 'text.dcm');
    fs.writeFileSync(file, 'not a DICOM file at all, just text that is long enough to read');
    const copyTo = `${file}.copy`;
    const res = runHeaderJob({ file, copyTo });
    expect(res.kind === 'rejected' && res.reason).toBe('NOT_DICOM');
    expect(res.kind === 'rejected' && res.sha256).toBe(sha256(fs.readFileSync(file)));
    expect(fs.existsSync(copyTo)).toBe(false);
  });
});
