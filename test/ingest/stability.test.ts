/**
 * "Never read half a file": files written slowly, in chunks, or pre-allocated and filled later are
 * taken only once complete. Each test records when the writer finished and checks that the
 * pipeline's first look at the file ('checking') came after that, and that the file was accepted
 * whole (a half-read file would be quarantined INCOMPLETE).
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dcmtkAvailable, makeDx } from '../support/dicom-fixtures';
import { sha256, startIngest, waitFor, type Harness } from './harness';

const run = dcmtkAvailable();
let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A complete file, made elsewhere, to be written into the watched folder by a slow writer. */
function source(): { bytes: Buffer; sha: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slow-src-'));
  const f = makeDx(dir, { rows: 256, columns: 256 });
  const bytes = fs.readFileSync(f.path);
  const sha = sha256(f.path);
  fs.rmSync(dir, { recursive: true, force: true });
  return { bytes, sha };
}

function firstCheck(harness: Harness, name: string): number | undefined {
  return harness.events.find((e) => e.name === 'ingest.progress' && (e.payload as { stage: string; name: string }).stage === 'checking' && (e.payload as { name: string }).name === name)
    ?.at;
}

async function expectTakenWhole(harness: Harness, name: string, sha: string, doneAt: number): Promise<void> {
  await waitFor(() => harness.svc.summary().received >= 1, `${name} received`);
  await harness.svc.idle();
  expect(harness.svc.summary()).toMatchObject({ received: 1, accepted: 1, quarantined: 0 });
  const checkedAt = firstCheck(harness, name);
  expect(checkedAt).toBeDefined();
  expect(checkedAt!).toBeGreaterThan(doneAt);
  expect(harness.db.prepare('SELECT sha256 FROM instances').pluck().get()).toBe(sha);
}

describe.skipIf(!run)('stability', () => {
  it('waits for a writer that keeps the file open and writes chunks with pauses', async () => {
    h = await startIngest({ stableMs: 300 });
    const { bytes, sha } = source();
    const file = path.join(h.exportDir, 'slow-open.dcm');
    const fh = await fsp.open(file, 'w');
    for (let off = 0; off < bytes.length; off += 16 * 1024) {
      await fh.write(bytes.subarray(off, off + 16 * 1024));
      await sleep(100);
    }
    await fh.close();
    const doneAt = performance.now();
    await expectTakenWhole(h, 'slow-open.dcm', sha, doneAt);
  });

  it('waits for a network-style copy that reopens and appends each chunk', async () => {
    h = await startIngest({ stableMs: 300 });
    const { bytes, sha } = source();
    const file = path.join(h.exportDir, 'slow-append.dcm');
    for (let off = 0; off < bytes.length; off += 16 * 1024) {
      await fsp.appendFile(file, bytes.subarray(off, off + 16 * 1024));
      await sleep(120);
    }
    const doneAt = performance.now();
    await expectTakenWhole(h, 'slow-append.dcm', sha, doneAt);
  });

  it.runIf(process.platform === 'linux')('waits through pauses longer than stableMs while the writer still holds the file open', async () => {
    h = await startIngest({ stableMs: 300 });
    const { bytes, sha } = source();
    const file = path.join(h.exportDir, 'long-pause.dcm');
    const fh = await fsp.open(file, 'w');
    await fh.write(bytes.subarray(0, 4096));
    await sleep(1000);
    await fh.write(bytes.subarray(4096, 60_000));
    await sleep(900);
    await fh.write(bytes.subarray(60_000));
    await fh.close();
    const doneAt = performance.now();
    await expectTakenWhole(h, 'long-pause.dcm', sha, doneAt);
  });

  it('waits for a pre-allocated file to be filled', async () => {
    h = await startIngest({ stableMs: 300 });
    const { bytes, sha } = source();
    const file = path.join(h.exportDir, 'preallocated.dcm');
    // Full size at once (zeros), then filled in place: size never changes, only mtime does.
    const fh = await fsp.open(file, 'w');
    await fh.truncate(bytes.length);
    await sleep(100);
    for (let off = 0; off < bytes.length; off += 16 * 1024) {
      await fh.write(bytes.subarray(off, off + 16 * 1024), 0, Math.min(16 * 1024, bytes.length - off), off);
      await sleep(100);
    }
    await fh.close();
    const doneAt = performance.now();
    await expectTakenWhole(h, 'preallocated.dcm', sha, doneAt);
  });

  it('waits for a pre-allocated file that is closed and reopened to be filled', async () => {
    h = await startIngest({ stableMs: 300 });
    const { bytes, sha } = source();
    const file = path.join(h.exportDir, 'prealloc-reopen.dcm');
    await fsp.writeFile(file, Buffer.alloc(bytes.length));
    for (let off = 0; off < bytes.length; off += 32 * 1024) {
      await sleep(120);
      const fh = await fsp.open(file, 'r+');
      await fh.write(bytes.subarray(off, off + 32 * 1024), 0, Math.min(32 * 1024, bytes.length - off), off);
      await fh.close();
    }
    const doneAt = performance.now();
    await expectTakenWhole(h, 'prealloc-reopen.dcm', sha, doneAt);
  });

  it('takes a file a copier renames into place from a temporary name', async () => {
    h = await startIngest({ stableMs: 300 });
    const { bytes, sha } = source();
    const tmp = path.join(h.exportDir, 'IMG0001.dcm.part');
    for (let off = 0; off < bytes.length; off += 32 * 1024) {
      await fsp.appendFile(tmp, bytes.subarray(off, off + 32 * 1024));
      await sleep(400); // longer than stableMs: the temporary name alone keeps it untouched
    }
    await fsp.rename(tmp, path.join(h.exportDir, 'IMG0001.dcm'));
    const doneAt = performance.now();
    await expectTakenWhole(h, 'IMG0001.dcm', sha, doneAt);
    expect(firstCheck(h, 'IMG0001.dcm.part')).toBeUndefined();
  });
});
