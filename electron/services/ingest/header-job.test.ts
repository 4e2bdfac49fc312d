/**
 * The worker's job on real files: the copy in the store is byte-identical to the checked file and
 * its SHA-256 is the copy's; a file replaced or grown between the check and the copy is reported
 * as changed and leaves no copy behind (the copy goes by name, so the inode must be re-checked).
 * Where the source name goes away after the commit, a file with no other name is taken by hard
 * link; in every other case, and when the link cannot be made, it is copied.
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

const onOtherFileSystem = fs.existsSync('/dev/shm') && fs.statSync('/dev/shm').dev !== fs.statSync(dir).dev;
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

  it.each([false, true])('reports a file renamed over the checked one before the take as changed, with nothing left (mayLink %s)', (mayLink) => {
    const f = makeDx(dir, { rows: 64, columns: 64 });
    const other = makeDx(dir, { rows: 64, columns: 64 });
    const copyTo = `${f.path}.copy`;
    const res = runHeaderJob({ file: f.path, copyTo, mayLink }, () => fs.renameSync(other.path, f.path));
    expect(res.kind).toBe('changed');
    expect(fs.existsSync(copyTo)).toBe(false);
  });

  it.each([false, true])('reports a file that grew between the check and the take as changed, with nothing left (mayLink %s)', (mayLink) => {
    const f = makeDx(dir, { rows: 64, columns: 64 });
    const copyTo = `${f.path}.copy`;
    const res = runHeaderJob({ file: f.path, copyTo, mayLink }, () => fs.appendFileSync(f.path, Buffer.alloc(16)));
    expect(res.kind).toBe('changed');
    expect(fs.existsSync(copyTo)).toBe(false);
    expect(fs.existsSync(f.path)).toBe(true);
  });

  it('takes a file whose export name is its only name by hard link: same bytes, owner-only, hashed', () => {
    const f = makeDx(dir, { rows: 64, columns: 64 });
    fs.chmodSync(f.path, 0o444);
    const copyTo = `${f.path}.copy`;
    const res = runHeaderJob({ file: f.path, copyTo, mayLink: true });
    expect(res.kind).toBe('accepted');
    expect(fs.statSync(copyTo).ino).toBe(fs.statSync(f.path).ino);
    expect(fs.statSync(copyTo).mode & 0o777).toBe(0o600);
    expect(res.kind === 'accepted' && res.sha256).toBe(sha256(fs.readFileSync(copyTo)));
  });

  it('copies instead of linking when the source stays (no mayLink) or the file has another name', () => {
    const f = makeDx(dir, { rows: 64, columns: 64 });
    const staying = `${f.path}.copy`;
    expect(runHeaderJob({ file: f.path, copyTo: staying }).kind).toBe('accepted');
    expect(fs.statSync(staying).ino).not.toBe(fs.statSync(f.path).ino);

    const g = makeDx(dir, { rows: 64, columns: 64 });
    fs.linkSync(g.path, `${g.path}.elsewhere`);
    const shared = `${g.path}.copy`;
    expect(runHeaderJob({ file: g.path, copyTo: shared, mayLink: true }).kind).toBe('accepted');
    expect(fs.statSync(shared).ino).not.toBe(fs.statSync(g.path).ino);
    expect(fs.readFileSync(shared).equals(fs.readFileSync(g.path))).toBe(true);
    expect(fs.statSync(g.path).nlink).toBe(2);
  });

  // A store on another file system than the export folder: link() fails with EXDEV. /dev/shm is a
  // tmpfs on Linux; elsewhere there is no second file system to try this on.
  it.skipIf(!onOtherFileSystem)('copies when the export folder is on another file system', () => {
    const shm = fs.mkdtempSync('/dev/shm/header-job-');
    try {
      const f = makeDx(shm, { rows: 64, columns: 64 });
      const copyTo = path.join(dir, 'from-shm.copy');
      const res = runHeaderJob({ file: f.path, copyTo, mayLink: true });
      expect(res.kind).toBe('accepted');
      expect(fs.readFileSync(copyTo).equals(fs.readFileSync(f.path))).toBe(true);
      expect(fs.statSync(f.path).nlink).toBe(1);
    } finally {
      fs.rmSync(shm, { recursive: true, force: true });
    }
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
