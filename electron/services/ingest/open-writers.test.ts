/**
 * The open-writer probes on real files. Linux: a descriptor open for writing (in this process,
 * seen through /proc like any other) makes the file busy; a reader does not. The Windows probe's
 * rule, run here: a file that refuses to be opened for writing without being in use (what the
 * read-only attribute gives on Windows; an immutable file gives the same EPERM on Linux, even to
 * root) is not busy, or it would wait for ever.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { platformOpenWritersProbe } from './open-writers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'open-writers-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Marks `file` immutable (chattr +i); false where the file system or our privileges do not allow it. */
function makeImmutable(file: string): boolean {
  try {
    execFileSync('chattr', ['+i', file], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe.runIf(process.platform === 'linux')('open-writer probes', () => {
  it('Linux: busy while a descriptor is open for writing, not while one is open for reading', async () => {
    const probe = platformOpenWritersProbe('linux');
    const file = path.join(dir, 'written.dcm');
    fs.writeFileSync(file, 'x');
    const writer = fs.openSync(file, 'r+');
    expect(await probe([file])).toEqual(new Set([file]));
    fs.closeSync(writer);
    const reader = fs.openSync(file, 'r');
    expect(await probe([file])).toEqual(new Set());
    fs.closeSync(reader);
  });

  it('Windows rule: a file that only refuses write access (read-only attribute) is not busy', async (ctx) => {
    const file = path.join(dir, 'read-only.dcm');
    fs.writeFileSync(file, 'x');
    if (!makeImmutable(file)) ctx.skip('chattr +i is not allowed here, so no file refuses root a write open');
    try {
      expect(() => fs.openSync(file, 'r+')).toThrow(expect.objectContaining({ code: 'EPERM' }));
      expect(await platformOpenWritersProbe('win32')([file])).toEqual(new Set());
    } finally {
      execFileSync('chattr', ['-i', file]);
    }
  });
});
