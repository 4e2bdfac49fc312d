import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createZipStoreWriter } from './zip-store-writer';

function build(entries: { name: string; chunks: Buffer[] }[]): Buffer {
  const z = createZipStoreWriter();
  const out: Buffer[] = [];
  for (const e of entries) {
    out.push(z.begin(e.name, new Date(2026, 0, 15, 10, 30, 12)));
    for (const c of e.chunks) out.push(z.data(c));
    out.push(z.end());
  }
  out.push(z.finish());
  return Buffer.concat(out);
}

describe('zip store writer', () => {
  const a = randomBytes(100_000);
  const b = randomBytes(3);
  const zip = build([
    { name: 'DICOM/S1/I0001.dcm', chunks: [a.subarray(0, 1000), a.subarray(1000)] },
    { name: 'DICOM/S1/I0002.dcm', chunks: [b] },
    { name: 'empty.txt', chunks: [] },
  ]);

  it('is read back byte for byte by Info-ZIP unzip (an independent reader)', () => {
    if (!existsSync('/usr/bin/unzip')) return void console.warn('SKIPPED: unzip not installed');
    const dir = mkdtempSync(join(tmpdir(), 'zip-'));
    try {
      writeFileSync(join(dir, 'a.zip'), zip);
      expect(execFileSync('unzip', ['-t', join(dir, 'a.zip')]).toString()).toMatch(/No errors detected/);
      expect(execFileSync('unzip', ['-p', join(dir, 'a.zip'), 'DICOM/S1/I0001.dcm'], { maxBuffer: 1 << 24 }).equals(a)).toBe(true);
      expect(execFileSync('unzip', ['-p', join(dir, 'a.zip'), 'DICOM/S1/I0002.dcm']).equals(b)).toBe(true);
      expect(execFileSync('unzip', ['-Z1', join(dir, 'a.zip')]).toString().trim().split('\n')).toEqual(['DICOM/S1/I0001.dcm', 'DICOM/S1/I0002.dcm', 'empty.txt']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ends with an end-of-central-directory record that counts every entry', () => {
    const eocd = zip.subarray(zip.length - 22);
    expect(eocd.readUInt32LE(0)).toBe(0x06054b50);
    expect(eocd.readUInt16LE(10)).toBe(3);
    const cdStart = eocd.readUInt32LE(16);
    expect(zip.readUInt32LE(cdStart)).toBe(0x02014b50);
  });

  it('refuses to end an entry that was never begun', () => {
    expect(() => createZipStoreWriter().end()).toThrow();
  });
});
