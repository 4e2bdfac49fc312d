/**
 * The framing pre-check on generated files: every structural bad input is refused with its
 * reason before any parser runs, valid files in every native and compressed syntax pass, and
 * deep nesting is refused after reading a few kilobytes (bytes read, not time, is asserted).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { BAD_INPUTS, dcmtkAvailable, dxBytes, explicitElement, makeDeepNesting, makeDx, topLevelElements, type FixtureSyntax } from '../../../test/support/dicom-fixtures';
import { runHeaderJob } from './header-job';
import { bufferSource, checkFraming, expectedPixelLength, type ByteSource } from './framing';
import { Rejection } from './reasons';

const run = dcmtkAvailable();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'framing-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function reasonOf(file: string): string | null {
  try {
    checkFraming(bufferSource(fs.readFileSync(file)));
    return null;
  } catch (e) {
    if (e instanceof Rejection) return e.reason;
    throw e;
  }
}

const FRAMING_REASONS = new Set(['NOT_DICOM', 'INCOMPLETE', 'OVERSIZE_ELEMENT', 'NESTING', 'NO_PIXELDATA', 'PIXEL_LENGTH_MISMATCH']);

describe.skipIf(!run)('checkFraming', () => {
  for (const bad of BAD_INPUTS) {
    const framing = FRAMING_REASONS.has(bad.reason);
    it(`${bad.name}: ${framing ? `refused as ${bad.reason}` : 'passes framing (a later check refuses it)'}`, () => {
      expect(reasonOf(bad.make(dir))).toBe(framing ? bad.reason : null);
    });
  }

  const syntaxes: FixtureSyntax[] = ['explicit-le', 'implicit-le', 'explicit-be', 'deflated', 'jpeg-lossless', 'jpeg-ls', 'jpeg2000'];
  for (const syntax of syntaxes) {
    it(`accepts ${syntax}`, () => {
      const f = makeDx(dir, { syntax, rows: 100, columns: 60 });
      const r = checkFraming(bufferSource(fs.readFileSync(f.path)));
      expect(r.uids.sopInstanceUID).toBe(f.sopInstanceUID);
      expect(r.uids.studyInstanceUID).toBe(f.studyInstanceUID);
      expect(r.specificCharacterSet).toEqual(['ISO_IR 192']);
      expect(r.image).toMatchObject({ rows: 100, columns: 60, bitsAllocated: 16 });
      if (r.syntax.encapsulated) expect(r.pixelData).toMatchObject({ length: null, fragments: 1 });
      else expect(r.pixelData?.length).toBe(100 * 60 * 2);
    });
  }

  it('refuses 10,000 nested sequences after reading only the first few kilobytes', () => {
    const bytes = fs.readFileSync(makeDeepNesting(dir, 10_000));
    let read = 0;
    const counting: ByteSource = {
      size: bytes.length,
      read(p, n) {
        read += n;
        return bytes.subarray(p, p + n);
      },
    };
    expect(() => checkFraming(counting)).toThrow(/nested deeper/);
    expect(bytes.length).toBeGreaterThan(300_000);
    expect(read).toBeLessThan(16 * 1024);
  });

  it('walks a UN of undefined length as implicit-VR items (PS3.5 §6.2.2), as dcmtk does', () => {
    const { bytes, file } = dxBytes();
    const at = topLevelElements(bytes).find((e) => e.group === 0x0010)!.start;
    const implicitEl = Buffer.alloc(12);
    implicitEl.writeUInt16LE(0x0008, 0);
    implicitEl.writeUInt16LE(0x0100, 2);
    implicitEl.writeUInt32LE(4, 4);
    implicitEl.write('ABCD', 8, 'latin1');
    const unHeader = Buffer.alloc(12);
    unHeader.writeUInt16LE(0x0009, 0);
    unHeader.writeUInt16LE(0x1010, 2);
    unHeader.write('UN', 4, 'latin1');
    unHeader.writeUInt32LE(0xffffffff, 8);
    const un = Buffer.concat([
      explicitElement(0x0009, 0x0010, 'LO', Buffer.from('RADDESK TEST', 'latin1')),
      unHeader,
      Buffer.from([0xfe, 0xff, 0x00, 0xe0, 0xff, 0xff, 0xff, 0xff]),
      implicitEl,
      Buffer.from([0xfe, 0xff, 0x0d, 0xe0, 0, 0, 0, 0, 0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0]),
    ]);
    const out = path.join(dir, `un-${file.sopInstanceUID}.dcm`);
    fs.writeFileSync(out, Buffer.concat([bytes.subarray(0, at), un, bytes.subarray(at)]));
    execFileSync('dcmdump', ['-q', out]);
    expect(reasonOf(out)).toBeNull();
    const job = runHeaderJob({ file: out, copyTo: `${out}.copy` });
    expect(job.kind === "rejected" ? job.detail : job.kind).toBe("accepted");
  });

  it('accepts nesting up to the limit', () => {
    expect(reasonOf(makeDeepNesting(dir, 20))).toBeNull();
  });
});

describe('pixel data length against the image size (files as real modalities write them)', () => {
  /** The 64×64×16-bit fixture with its PixelData value resized to `length` bytes. */
  function withPixelLength(length: number): Buffer {
    const { bytes } = dxBytes();
    const pd = topLevelElements(bytes).find((e) => e.group === 0x7fe0 && e.element === 0x0010)!;
    const head = Buffer.from(bytes.subarray(0, pd.valueStart));
    head.writeUInt32LE(length, pd.valueStart - 4);
    const value = Buffer.alloc(length);
    bytes.copy(value, 0, pd.valueStart, pd.valueStart + Math.min(length, pd.length));
    return Buffer.concat([head, value]);
  }
  const reason = (b: Buffer) => {
    try {
      checkFraming(bufferSource(b));
      return null;
    } catch (e) {
      if (e instanceof Rejection) return e.reason;
      throw e;
    }
  };
  const frame = 64 * 64 * 2;

  it('accepts trailing padding short of one more frame (pydicom MR_small_padded.dcm has 128 extra bytes)', () => {
    expect(reason(withPixelLength(frame))).toBeNull();
    expect(reason(withPixelLength(frame + 128))).toBeNull();
    expect(reason(withPixelLength(2 * frame - 2))).toBeNull();
  });

  it('refuses missing bytes and a whole uncounted frame', () => {
    expect(reason(withPixelLength(frame - 2))).toBe('PIXEL_LENGTH_MISMATCH');
    expect(reason(withPixelLength(2 * frame))).toBe('PIXEL_LENGTH_MISMATCH');
  });

  it('names a file meta without TransferSyntaxUID a missing UID', () => {
    const { bytes } = dxBytes();
    const ts = topLevelElements(bytes).find((e) => e.group === 0x0002 && e.element === 0x0010)!;
    // Retag it (0002,0011), an unused meta element in the same place: same bytes, no TransferSyntaxUID.
    const out = Buffer.from(bytes);
    out.writeUInt16LE(0x0011, ts.start + 2);
    expect(reason(out)).toBe('MISSING_UID');
  });
});

describe('expectedPixelLength', () => {
  it('multiplies rows, columns, samples, bytes and frames; rounds 1-bit data up', () => {
    expect(expectedPixelLength({ rows: 10, columns: 10, bitsAllocated: 16 })).toBe(200);
    expect(expectedPixelLength({ rows: 10, columns: 10, bitsAllocated: 8, samplesPerPixel: 3, numberOfFrames: 2 })).toBe(600);
    expect(expectedPixelLength({ rows: 3, columns: 3, bitsAllocated: 1 })).toBe(2);
    expect(expectedPixelLength({ rows: 4, columns: 4, bitsAllocated: 8, samplesPerPixel: 3, photometricInterpretation: 'YBR_FULL_422' })).toBe(32);
    expect(expectedPixelLength({ rows: 10, bitsAllocated: 16 })).toBeNull();
  });
});

describe('checkFraming without dcmtk', () => {
  it('refuses an empty buffer and a short non-zero one as NOT_DICOM, a short zero one as INCOMPLETE', () => {
    const r = (b: Buffer) => {
      try {
        checkFraming(bufferSource(b));
        return null;
      } catch (e) {
        return (e as Rejection).reason;
      }
    };
    expect(r(Buffer.alloc(0))).toBe('NOT_DICOM');
    expect(r(Buffer.from('hello'))).toBe('NOT_DICOM');
    expect(r(Buffer.alloc(64))).toBe('INCOMPLETE');
  });
});
