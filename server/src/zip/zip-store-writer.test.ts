import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { requirePart } from '../../../test/support/real-parts';
import { tempDir } from '../../../test/support/temp-dir';
import { createZipStoreWriter, type ZipLimits } from './zip-store-writer';

const EOCD = 0x06054b50;
const ZIP64_EOCD = 0x06064b50;
const ZIP64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const DESCRIPTOR = 0x08074b50;

type Input = { name: string; chunks: Buffer[] };

function build(entries: Input[], limits: Partial<ZipLimits> = {}): Buffer {
  const z = createZipStoreWriter(limits);
  const out: Buffer[] = [];
  for (const e of entries) {
    out.push(z.begin(e.name, new Date(2026, 0, 15, 10, 30, 12)));
    for (const c of e.chunks) out.push(z.data(c));
    out.push(z.end());
  }
  out.push(z.finish());
  return Buffer.concat(out);
}

/** The archive's tail as this test reads it, independently of the writer's code. */
function tail(zip: Buffer) {
  const eocdAt = zip.length - 22;
  const eocd = { sig: zip.readUInt32LE(eocdAt), entries: zip.readUInt16LE(eocdAt + 10), cdSize: zip.readUInt32LE(eocdAt + 12), cdStart: zip.readUInt32LE(eocdAt + 16) };
  const locAt = eocdAt - 20;
  const hasLocator = locAt >= 0 && zip.readUInt32LE(locAt) === ZIP64_LOCATOR;
  const z64At = hasLocator ? Number(zip.readBigUInt64LE(locAt + 8)) : -1;
  const zip64 = hasLocator
    ? { sig: zip.readUInt32LE(z64At), entries: Number(zip.readBigUInt64LE(z64At + 32)), cdSize: Number(zip.readBigUInt64LE(z64At + 40)), cdStart: Number(zip.readBigUInt64LE(z64At + 48)) }
    : null;
  const cdStart = zip64?.cdStart ?? eocd.cdStart;
  const count = zip64?.entries ?? eocd.entries;
  const central: { version: number; size32: number; offset32: number; extraIds: number[]; zip64Values: bigint[] }[] = [];
  let at = cdStart;
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at)).toBe(CENTRAL);
    const nameLen = zip.readUInt16LE(at + 28);
    const extraLen = zip.readUInt16LE(at + 30);
    const extraIds: number[] = [];
    const zip64Values: bigint[] = [];
    for (let x = at + 46 + nameLen; x < at + 46 + nameLen + extraLen; ) {
      const id = zip.readUInt16LE(x);
      const len = zip.readUInt16LE(x + 2);
      extraIds.push(id);
      if (id === 1) for (let k = 0; k < len; k += 8) zip64Values.push(zip.readBigUInt64LE(x + 4 + k));
      x += 4 + len;
    }
    central.push({ version: zip.readUInt16LE(at + 6), size32: zip.readUInt32LE(at + 24), offset32: zip.readUInt32LE(at + 42), extraIds, zip64Values });
    at += 46 + nameLen + extraLen + zip.readUInt16LE(at + 32);
  }
  return { eocd, zip64, zip64Sig: zip64?.sig ?? null, central, cdEnd: at };
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Python's zipfile (it understands ZIP64): tests every CRC, then lists each entry's name, size and SHA-256. */
const PY_CHECK = `
import sys, zipfile, hashlib, json
with zipfile.ZipFile(sys.argv[1]) as z:
    bad = z.testzip()
    out = {"bad": bad, "entries": [[i.filename, i.file_size, hashlib.sha256(z.read(i)).hexdigest()] for i in z.infolist()] if len(z.infolist()) < 100 else len(z.infolist())}
print(json.dumps(out))
`;

const havePython = () => requirePart('python3', existsSync('/usr/bin/python3') || execOk('python3'), 'apt-get install python3');
const haveUnzip = () => requirePart('Info-ZIP unzip', existsSync('/usr/bin/unzip'), 'apt-get install unzip');

function execOk(cmd: string): boolean {
  try {
    execFileSync(cmd, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('zip store writer', () => {
  const dir = tempDir('zip-');
  afterAll(() => dir.remove());
  const a = randomBytes(100_000);
  const b = randomBytes(3);
  const inputs: Input[] = [
    { name: 'DICOM/S1/I0001.dcm', chunks: [a.subarray(0, 1000), a.subarray(1000)] },
    { name: 'DICOM/S1/I0002.dcm', chunks: [b] },
    { name: 'empty.txt', chunks: [] },
  ];
  const small = build(inputs);
  // ZIP64 forced: any size or offset from 1,000 bytes, and any count from 2 entries.
  const forced = build(inputs, { max32: 1000, max16: 2 });

  const file = (name: string, bytes: Buffer) => {
    const p = join(dir.path, name);
    writeFileSync(p, bytes);
    return p;
  };

  it('is read back byte for byte by Info-ZIP unzip (an independent reader)', () => {
    if (!haveUnzip()) return;
    const p = file('a.zip', small);
    expect(execFileSync('unzip', ['-t', p]).toString()).toMatch(/No errors detected/);
    expect(execFileSync('unzip', ['-p', p, 'DICOM/S1/I0001.dcm'], { maxBuffer: 1 << 24 }).equals(a)).toBe(true);
    expect(execFileSync('unzip', ['-p', p, 'DICOM/S1/I0002.dcm']).equals(b)).toBe(true);
    expect(execFileSync('unzip', ['-Z1', p]).toString().trim().split('\n')).toEqual(['DICOM/S1/I0001.dcm', 'DICOM/S1/I0002.dcm', 'empty.txt']);
  });

  it('writes a small archive without any ZIP64 record', () => {
    const t = tail(small);
    expect(t.eocd).toMatchObject({ sig: EOCD, entries: 3 });
    expect(t.zip64).toBeNull();
    expect(t.central.map((c) => c.version)).toEqual([20, 20, 20]);
    expect(t.central.flatMap((c) => c.extraIds)).toEqual([]);
    expect(t.cdEnd).toBe(small.length - 22);
    // Every data descriptor has 32-bit sizes (16 bytes): the first entry's follows its data.
    const firstDescriptor = 30 + 'DICOM/S1/I0001.dcm'.length + a.length;
    expect(small.readUInt32LE(firstDescriptor)).toBe(DESCRIPTOR);
    expect(small.readUInt32LE(firstDescriptor + 16)).toBe(0x04034b50);
  });

  it('when forced, writes ZIP64 extra fields, the ZIP64 end record and locator, and 0xFFFF… in the classic fields', () => {
    const t = tail(forced);
    expect(t.zip64Sig).toBe(ZIP64_EOCD);
    expect(t.zip64).toMatchObject({ entries: 3, cdSize: t.cdEnd - t.zip64!.cdStart });
    expect(t.eocd).toMatchObject({ sig: EOCD, entries: 0xffff, cdStart: 0xffffffff });
    // Entry 1: 100,000 bytes at offset 0 → sizes in ZIP64. Entry 2: 3 bytes past 1,000 → offset in ZIP64.
    // Entry 3: empty, past 1,000 → offset only.
    const off2 = 30 + 18 + a.length + 24;
    expect(t.central[0]).toMatchObject({ version: 45, size32: 0xffffffff, offset32: 0, zip64Values: [100_000n, 100_000n] });
    expect(t.central[1]).toMatchObject({ version: 45, size32: 3, offset32: 0xffffffff, zip64Values: [BigInt(off2)] });
    expect(t.central[2]).toMatchObject({ version: 45, size32: 0, offset32: 0xffffffff });
    // The large entry ends with a ZIP64 data descriptor (8-byte sizes, 24 bytes).
    const d = 30 + 18 + a.length;
    expect(forced.readUInt32LE(d)).toBe(DESCRIPTOR);
    expect(forced.readBigUInt64LE(d + 8)).toBe(100_000n);
    expect(forced.readUInt32LE(d + 24)).toBe(0x04034b50);
  });

  it('the forced ZIP64 archive passes Python zipfile and Info-ZIP unzip, byte for byte', () => {
    const p = file('forced.zip', forced);
    if (havePython()) {
      // `-m zipfile -t` exits 0 either way: it is the message that tells.
      const tested = execFileSync('python3', ['-m', 'zipfile', '-t', p]).toString();
      expect(tested).toMatch(/^Done testing/m);
      expect(tested).not.toMatch(/corrupted/);
      const r = JSON.parse(execFileSync('python3', ['-c', PY_CHECK, p]).toString()) as { bad: string | null; entries: [string, number, string][] };
      expect(r.bad).toBeNull();
      expect(r.entries).toEqual([
        ['DICOM/S1/I0001.dcm', a.length, sha(a)],
        ['DICOM/S1/I0002.dcm', 3, sha(b)],
        ['empty.txt', 0, sha(Buffer.alloc(0))],
      ]);
    }
    if (haveUnzip()) {
      expect(execFileSync('unzip', ['-t', p]).toString()).toMatch(/No errors detected/);
      expect(execFileSync('unzip', ['-p', p, 'DICOM/S1/I0002.dcm']).equals(b)).toBe(true);
      expect(execFileSync('unzip', ['-p', p, 'DICOM/S1/I0001.dcm'], { maxBuffer: 1 << 24 }).equals(a)).toBe(true);
    }
  });

  it('forced by size alone (a central directory past the offset limit) still opens in both readers', () => {
    const zip = build(inputs, { max32: 1000 });
    const t = tail(zip);
    expect(t.eocd.entries).toBe(3);
    expect(t.zip64).toMatchObject({ entries: 3 });
    const p = file('size-only.zip', zip);
    if (havePython()) expect((JSON.parse(execFileSync('python3', ['-c', PY_CHECK, p]).toString()) as { bad: unknown }).bad).toBeNull();
    if (haveUnzip()) expect(execFileSync('unzip', ['-t', p]).toString()).toMatch(/No errors detected/);
  });

  it('writes a real ZIP64 archive, unforced, for more than 65,535 entries', () => {
    const n = 70_000;
    const z = createZipStoreWriter();
    const out: Buffer[] = [];
    const when = new Date(2026, 0, 15);
    for (let i = 1; i <= n; i++) {
      out.push(z.begin(`DICOM/S1/I${String(i).padStart(5, '0')}.dcm`, when), z.data(Buffer.from(String(i))), z.end());
    }
    out.push(z.finish());
    const zip = Buffer.concat(out);
    const t = tail(zip);
    expect(t.eocd.entries).toBe(0xffff);
    expect(t.zip64).toMatchObject({ entries: n });
    expect(t.central.flatMap((c) => c.extraIds)).toEqual([]); // sizes and offsets all fit in 32 bits
    const p = file('many.zip', zip);
    if (havePython()) {
      const r = JSON.parse(execFileSync('python3', ['-c', PY_CHECK, p]).toString()) as { bad: unknown; entries: number };
      expect(r).toEqual({ bad: null, entries: n });
    }
    if (haveUnzip()) {
      expect(execFileSync('unzip', ['-t', '-qq', p]).toString()).toBe('');
      expect(execFileSync('unzip', ['-p', p, 'DICOM/S1/I69999.dcm']).toString()).toBe('69999');
    }
  }, 60_000);

  it('refuses to end an entry that was never begun', () => {
    expect(() => createZipStoreWriter().end()).toThrow();
  });
});
