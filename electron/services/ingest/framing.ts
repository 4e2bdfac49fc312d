/**
 * Framing pre-check: walks a Part-10 file's element headers (never its values, except a handful of
 * small image-size attributes) before dcmjs sees a byte.
 *
 * Why: dcmjs trusts what a file declares. It returns short pixel data for a truncated file without
 * complaint, and a 3.6 MB file of 100,000 nested sequences ties it up for ~100 s and 4 GB
 * (FIELD-NOTES "DICOM test data"). This walk is iterative (no recursion), reads only headers through
 * a small block cache, and stops at the first problem: deep nesting is refused after a few hundred
 * bytes, so a 10,000-deep file costs microseconds.
 *
 * What it checks (PS3.10 §7.1 file format, PS3.5 §7 data set encoding):
 * - the 128-byte preamble and "DICM" prefix, then the File Meta group (always explicit VR LE);
 * - every element, item and fragment lies inside the file and inside its enclosing item/sequence;
 * - sequences and items open and close properly, nested no deeper than MAX_SEQUENCE_DEPTH;
 * - PixelData exists, and for native syntaxes its length equals Rows × Columns × SamplesPerPixel ×
 *   BitsAllocated/8 × NumberOfFrames (PS3.5 §8.1.1, padded to even); encapsulated pixel data is a
 *   proper item list ending in a sequence delimiter (PS3.5 §A.4).
 */
import { inflateRawSync } from 'node:zlib';
import { Rejection } from './reasons';

/** Radiography objects nest 3–5 deep; enhanced objects rarely pass 10. */
export const MAX_SEQUENCE_DEPTH = 32;

/** A deflated data set (PS3.5 §A.5) is inflated in memory up to this size. */
export const MAX_INFLATED_BYTES = 256 * 1024 * 1024;

export interface ByteSource {
  readonly size: number;
  /** Exactly `length` bytes at `position` (the caller has checked they exist). */
  read(position: number, length: number): Buffer;
}

export function bufferSource(buf: Buffer): ByteSource {
  return { size: buf.length, read: (p, n) => buf.subarray(p, p + n) };
}

export interface TransferSyntaxInfo {
  readonly uid: string;
  readonly explicitVR: boolean;
  readonly littleEndian: boolean;
  readonly deflated: boolean;
  /** Pixel data is a sequence of fragments (PS3.5 §A.4). */
  readonly encapsulated: boolean;
}

/** PS3.5 §10 and Annex A: the native syntaxes by UID, every JPEG/RLE/video/HTJ2K syntax encapsulated. */
export function transferSyntaxInfo(uid: string): TransferSyntaxInfo | null {
  switch (uid) {
    case '1.2.840.10008.1.2':
      return { uid, explicitVR: false, littleEndian: true, deflated: false, encapsulated: false };
    case '1.2.840.10008.1.2.1':
      return { uid, explicitVR: true, littleEndian: true, deflated: false, encapsulated: false };
    case '1.2.840.10008.1.2.1.99':
      return { uid, explicitVR: true, littleEndian: true, deflated: true, encapsulated: false };
    case '1.2.840.10008.1.2.2':
      return { uid, explicitVR: true, littleEndian: false, deflated: false, encapsulated: false };
  }
  if (/^1\.2\.840\.10008\.1\.2\.4\.\d+$/.test(uid) || uid === '1.2.840.10008.1.2.5') {
    return { uid, explicitVR: true, littleEndian: true, deflated: false, encapsulated: true };
  }
  return null;
}

export interface PixelDataInfo {
  /** Offset of the PixelData tag: everything before it is the header dcmjs needs. */
  readonly tagOffset: number;
  readonly valueOffset: number;
  /** Declared length; null when encapsulated (undefined length). */
  readonly length: number | null;
  readonly fragments: number;
}

export interface ImageSize {
  rows?: number;
  columns?: number;
  samplesPerPixel?: number;
  bitsAllocated?: number;
  numberOfFrames?: number;
  photometricInterpretation?: string;
}

export interface Framing {
  readonly syntax: TransferSyntaxInfo;
  /** Offset of the first data set byte (after the File Meta group). */
  readonly datasetOffset: number;
  /** Raw SpecificCharacterSet values (dcmjs rewrites this element, so it is read here). */
  readonly specificCharacterSet: string[];
  readonly pixelData: PixelDataInfo | null;
  readonly image: ImageSize;
  /** Top-level UIDs as raw text (dcmjs silently drops invalid characters from UI values). */
  readonly uids: RawUids;
  /**
   * Byte ranges of top-level sequences and UN elements. The header parser is given the data set
   * without them: nothing the desk records is inside a sequence, and dcmjs mis-decodes text in
   * sequences and cannot read a UN of undefined length (PS3.5 §6.2.2).
   */
  readonly headerSkips: ReadonlyArray<readonly [number, number]>;
  readonly maxDepth: number;
}

export interface RawUids {
  sopClassUID?: string;
  sopInstanceUID?: string;
  studyInstanceUID?: string;
  seriesInstanceUID?: string;
}

const UID_TAGS: Readonly<Record<string, keyof RawUids>> = {
  '00080016': 'sopClassUID',
  '00080018': 'sopInstanceUID',
  '0020000d': 'studyInstanceUID',
  '0020000e': 'seriesInstanceUID',
};

const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);
const UNDEFINED = 0xffffffff;

function isZero(b: Buffer): boolean {
  for (const x of b) if (x !== 0) return false;
  return true;
}

/** Reads the preamble and File Meta group; returns the transfer syntax and where the data set starts. */
function readMeta(src: ByteSource): { syntax: TransferSyntaxInfo; datasetOffset: number } {
  if (src.size === 0) throw new Rejection('NOT_DICOM', 'empty file');
  if (src.size < 132) {
    // A zero-filled start is what a Part-10 file looks like before its prefix arrives.
    if (isZero(src.read(0, src.size))) throw new Rejection('INCOMPLETE', `${src.size} bytes, ends inside the preamble`);
    throw new Rejection('NOT_DICOM', 'no DICM prefix');
  }
  if (src.read(128, 4).toString('latin1') !== 'DICM') throw new Rejection('NOT_DICOM', 'no DICM prefix at offset 128');
  let pos = 132;
  let tsUid: string | null = null;
  for (;;) {
    if (pos + 8 > src.size) throw new Rejection('INCOMPLETE', `ends in the file meta group at ${pos}`);
    const group = src.read(pos, 2).readUInt16LE(0);
    if (group !== 0x0002) break;
    const element = src.read(pos + 2, 2).readUInt16LE(0);
    const vr = src.read(pos + 4, 2).toString('latin1');
    let len: number;
    let hdr: number;
    if (LONG_VRS.has(vr)) {
      if (pos + 12 > src.size) throw new Rejection('INCOMPLETE', `ends in the file meta group at ${pos}`);
      len = src.read(pos + 8, 4).readUInt32LE(0);
      hdr = 12;
    } else if (/^[A-Z]{2}$/.test(vr)) {
      len = src.read(pos + 6, 2).readUInt16LE(0);
      hdr = 8;
    } else {
      throw new Rejection('PARSE_ERROR', `file meta element (0002,${hex4(element)}) has no explicit VR`);
    }
    if (len === UNDEFINED) throw new Rejection('PARSE_ERROR', 'undefined length in the file meta group');
    const end = pos + hdr + len;
    if (end > src.size) throw overrun(len, src.size, `(0002,${hex4(element)})`, false, null);
    if (element === 0x0010) tsUid = trimUid(src.read(pos + hdr, len).toString('latin1'));
    pos = end;
  }
  if (tsUid === null) throw new Rejection('MISSING_UID', 'TransferSyntaxUID (file meta)');
  const syntax = transferSyntaxInfo(tsUid);
  if (!syntax) throw new Rejection('PARSE_ERROR', `unsupported transfer syntax ${tsUid.slice(0, 64)}`);
  return { syntax, datasetOffset: pos };
}

function trimUid(s: string): string {
  return s.replace(/[\0 ]+$/, '');
}

function hex4(n: number): string {
  return n.toString(16).padStart(4, '0');
}

/**
 * An element that runs past the end of the file (or of its item). A declared length matching the
 * expected native pixel length, or any modest length, is a truncated file; a length of more than
 * twice the whole file cannot come from truncation and is a forged or corrupt length field.
 */
function overrun(declared: number, fileSize: number, what: string, isPixel: boolean, expectedPixel: number | null): Rejection {
  if (isPixel && expectedPixel !== null && (declared === expectedPixel || declared === expectedPixel + 1)) {
    return new Rejection('INCOMPLETE', `${what} ends beyond the file`);
  }
  if (declared > 2 * fileSize) return new Rejection('OVERSIZE_ELEMENT', `${what} declares ${declared} bytes in a ${fileSize}-byte file`);
  return new Rejection('INCOMPLETE', `${what} ends beyond the file`);
}

/** Expected native PixelData length, or null when the size attributes are missing. */
export function expectedPixelLength(img: ImageSize): number | null {
  const { rows, columns, bitsAllocated } = img;
  if (!rows || !columns || !bitsAllocated) return null;
  const spp = img.samplesPerPixel || 1;
  const frames = img.numberOfFrames && img.numberOfFrames > 0 ? img.numberOfFrames : 1;
  // YBR_FULL_422 native: two samples' worth per pixel (PS3.3 C.7.6.3.1.2).
  const samples = img.photometricInterpretation === 'YBR_FULL_422' ? 2 : spp;
  const bits = rows * columns * samples * frames * bitsAllocated;
  return Math.ceil(bits / 8);
}

interface Container {
  kind: 'seq' | 'item';
  /** End offset for a defined length, null when closed by a delimiter. */
  end: number | null;
  /** Element encoding inside: a UN of undefined length holds implicit-VR items (PS3.5 §6.2.2 note). */
  explicitVR: boolean;
}

/** Walks the data set; throws a Rejection at the first framing problem. */
function walk(src: ByteSource, start: number, syntax: TransferSyntaxInfo): Omit<Framing, 'syntax' | 'datasetOffset'> {
  const le = syntax.littleEndian;
  const u16 = (p: number) => (le ? src.read(p, 2).readUInt16LE(0) : src.read(p, 2).readUInt16BE(0));
  const u32 = (p: number) => (le ? src.read(p, 4).readUInt32LE(0) : src.read(p, 4).readUInt32BE(0));
  const stack: Container[] = [];
  let depth = 0;
  let maxDepth = 0;
  let pixelData: PixelDataInfo | null = null;
  const image: ImageSize = {};
  const uids: RawUids = {};
  const skips: Array<[number, number]> = [];
  let skipFrom: number | null = null;
  let charset: string[] = [];
  let pos = start;
  const size = src.size;

  const limit = (): number => {
    for (let i = stack.length - 1; i >= 0; i--) {
      const e = stack[i]!.end;
      if (e !== null) return e;
    }
    return size;
  };
  const explicitHere = (): boolean => stack[stack.length - 1]?.explicitVR ?? syntax.explicitVR;
  const pushSeq = (end: number | null, explicitVR = explicitHere()) => {
    stack.push({ kind: 'seq', end, explicitVR });
    depth++;
    if (depth > MAX_SEQUENCE_DEPTH) throw new Rejection('NESTING', `sequences nested deeper than ${MAX_SEQUENCE_DEPTH}`);
    if (depth > maxDepth) maxDepth = depth;
  };
  const pop = () => {
    const c = stack.pop()!;
    if (c.kind === 'seq') depth--;
  };

  for (;;) {
    // Close defined-length containers that end here.
    while (stack.length > 0 && stack[stack.length - 1]!.end !== null && pos >= stack[stack.length - 1]!.end!) pop();
    if (skipFrom !== null && stack.length === 0) {
      skips.push([skipFrom, pos]);
      skipFrom = null;
    }
    if (pos >= size) {
      if (stack.length > 0) throw new Rejection('INCOMPLETE', 'file ends inside a sequence');
      break;
    }
    const end = limit();
    if (pos + 8 > end) {
      if (stack.length === 0 && isZero(src.read(pos, size - pos))) break; // trailing zero padding
      if (end === size) throw new Rejection('INCOMPLETE', `file ends inside an element header at ${pos}`);
      throw new Rejection('OVERSIZE_ELEMENT', `element header crosses the end of its item at ${pos}`);
    }
    const group = u16(pos);
    const element = u16(pos + 2);
    const top = stack[stack.length - 1];

    if (group === 0xfffe) {
      const len = u32(pos + 4);
      if (element === 0xe000) {
        if (!top || top.kind !== 'seq') throw new Rejection('PARSE_ERROR', `item outside a sequence at ${pos}`);
        if (len === UNDEFINED) stack.push({ kind: 'item', end: null, explicitVR: top.explicitVR });
        else {
          if (pos + 8 + len > end) {
            if (pos + 8 + len > size) throw overrun(len, size, `item at ${pos}`, false, null);
            throw new Rejection('OVERSIZE_ELEMENT', `item at ${pos} is longer than its sequence`);
          }
          stack.push({ kind: 'item', end: pos + 8 + len, explicitVR: top.explicitVR });
        }
      } else if (element === 0xe00d) {
        if (!top || top.kind !== 'item' || top.end !== null) throw new Rejection('PARSE_ERROR', `unexpected item delimiter at ${pos}`);
        pop();
      } else if (element === 0xe0dd) {
        if (!top || top.kind !== 'seq' || top.end !== null) throw new Rejection('PARSE_ERROR', `unexpected sequence delimiter at ${pos}`);
        pop();
      } else throw new Rejection('PARSE_ERROR', `unknown delimitation tag (fffe,${hex4(element)}) at ${pos}`);
      pos += 8;
      continue;
    }
    if (top && top.kind === 'seq') throw new Rejection('PARSE_ERROR', `expected an item at ${pos}`);

    let vr = '';
    let len: number;
    let hdr: number;
    const explicit = explicitHere();
    if (explicit) {
      vr = src.read(pos + 4, 2).toString('latin1');
      if (!/^[A-Z]{2}$/.test(vr)) throw new Rejection('PARSE_ERROR', `invalid VR at ${pos}`);
      if (LONG_VRS.has(vr)) {
        if (pos + 12 > end) {
          if (end === size) throw new Rejection('INCOMPLETE', `file ends inside an element header at ${pos}`);
          throw new Rejection('OVERSIZE_ELEMENT', `element header crosses the end of its item at ${pos}`);
        }
        len = u32(pos + 8);
        hdr = 12;
      } else {
        len = u16(pos + 6);
        hdr = 8;
      }
    } else {
      len = u32(pos + 4);
      hdr = 8;
    }
    const valueStart = pos + hdr;
    const tagName = `(${hex4(group)},${hex4(element)})`;
    const isPixel = group === 0x7fe0 && element === 0x0010 && stack.length === 0;

    if (len === UNDEFINED) {
      if (isPixel && explicit && (vr === 'OB' || vr === 'OW')) {
        const enc = encapsulated(src, pos, valueStart, u16, u32);
        pixelData = enc.info;
        pos = enc.end;
        continue;
      }
      if (!explicit || vr === 'SQ' || vr === 'UN') {
        if (stack.length === 0) skipFrom = pos;
        pushSeq(null, explicit && vr !== 'UN');
        pos = valueStart;
        continue;
      }
      throw new Rejection('PARSE_ERROR', `undefined length on ${vr} element ${tagName}`);
    }

    const valueEnd = valueStart + len;
    if (valueEnd > end) {
      const expected = isPixel ? expectedPixelLength(image) : null;
      if (valueEnd > size) throw overrun(len, size, tagName, isPixel, expected);
      throw new Rejection('OVERSIZE_ELEMENT', `${tagName} is longer than its item`);
    }
    // Nested data: explicit SQ, or (implicit VR) a value that starts with an item tag.
    const nested =
      (explicit && vr === 'SQ') ||
      (!explicit && len >= 8 && !isPixel && u16(valueStart) === 0xfffe && u16(valueStart + 2) === 0xe000);
    if (nested) {
      if (stack.length === 0) skips.push([pos, valueEnd]);
      if (len > 0) pushSeq(valueEnd);
      pos = len > 0 ? valueStart : valueEnd;
      continue;
    }
    if (stack.length === 0) {
      if (vr === 'UN') skips.push([pos, valueEnd]);
      else if (isPixel) pixelData = { tagOffset: pos, valueOffset: valueStart, length: len, fragments: 0 };
      else if (group === 0x0028 && len <= 16) readImageAttribute(element, src.read(valueStart, len), le, image);
      else if (group === 0x0008 && element === 0x0005 && len <= 1024) {
        charset = src.read(valueStart, len).toString('latin1').split('\\').map((s) => s.replace(/[\0 ]+$/, '').replace(/^ +/, ''));
      } else {
        const key = UID_TAGS[hex4(group) + hex4(element)];
        if (key && len <= 1024) uids[key] = trimUid(src.read(valueStart, len).toString('latin1'));
      }
    }
    pos = valueEnd;
  }
  return { specificCharacterSet: charset, pixelData, image, uids, headerSkips: skips, maxDepth };
}

function readImageAttribute(element: number, v: Buffer, le: boolean, img: ImageSize): void {
  const us = () => (v.length >= 2 ? (le ? v.readUInt16LE(0) : v.readUInt16BE(0)) : undefined);
  switch (element) {
    case 0x0002:
      img.samplesPerPixel = us();
      break;
    case 0x0004:
      img.photometricInterpretation = v.toString('latin1').trim();
      break;
    case 0x0008: {
      const n = Number.parseInt(v.toString('latin1').trim(), 10);
      img.numberOfFrames = Number.isFinite(n) ? n : undefined;
      break;
    }
    case 0x0010:
      img.rows = us();
      break;
    case 0x0011:
      img.columns = us();
      break;
    case 0x0100:
      img.bitsAllocated = us();
      break;
  }
}

/** Walks encapsulated pixel data items (PS3.5 §A.4): defined-length items, then a delimiter. */
function encapsulated(
  src: ByteSource,
  tagOffset: number,
  valueStart: number,
  u16: (p: number) => number,
  u32: (p: number) => number,
): { info: PixelDataInfo; end: number } {
  let p = valueStart;
  let items = 0;
  for (;;) {
    if (p + 8 > src.size) throw new Rejection('INCOMPLETE', 'file ends inside encapsulated pixel data');
    const g = u16(p);
    const e = u16(p + 2);
    const len = u32(p + 4);
    if (g !== 0xfffe) throw new Rejection('PARSE_ERROR', `expected a pixel data item at ${p}`);
    if (e === 0xe0dd) break;
    if (e !== 0xe000) throw new Rejection('PARSE_ERROR', `unexpected tag in pixel data at ${p}`);
    if (len === UNDEFINED) throw new Rejection('PARSE_ERROR', `pixel data fragment of undefined length at ${p}`);
    if (p + 8 + len > src.size) throw overrun(len, src.size, `pixel data fragment at ${p}`, false, null);
    p += 8 + len;
    items++;
  }
  // The first item is the Basic Offset Table; the rest are fragments.
  return { info: { tagOffset, valueOffset: valueStart, length: null, fragments: Math.max(0, items - 1) }, end: p + 8 };
}

/**
 * Native pixel data must hold every frame the size attributes promise; encapsulated data must hold
 * a fragment. Trailing bytes short of one more frame are tolerated: readers ignore them (dcmtk,
 * pydicom and Orthanc all accept such files, and some modalities write them), and they cannot be a
 * frame NumberOfFrames failed to count. Missing bytes, or a whole extra frame or more, are refused.
 */
function checkPixelData(f: Omit<Framing, 'maxDepth'>): void {
  const pd = f.pixelData;
  if (!pd) throw new Rejection('NO_PIXELDATA');
  if (pd.length === null) {
    if (!f.syntax.encapsulated) throw new Rejection('PARSE_ERROR', 'encapsulated pixel data in a native transfer syntax');
    if (pd.fragments === 0) throw new Rejection('PIXEL_LENGTH_MISMATCH', 'encapsulated pixel data has no fragments');
    return;
  }
  if (f.syntax.encapsulated) throw new Rejection('PARSE_ERROR', 'native pixel data in a compressed transfer syntax');
  const expected = expectedPixelLength(f.image);
  if (expected === null) throw new Rejection('PIXEL_LENGTH_MISMATCH', 'Rows, Columns or BitsAllocated missing');
  const frames = f.image.numberOfFrames && f.image.numberOfFrames > 0 ? f.image.numberOfFrames : 1;
  const frameBytes = expected / frames;
  if (pd.length < expected || pd.length - expected >= Math.max(2, frameBytes)) {
    throw new Rejection('PIXEL_LENGTH_MISMATCH', `PixelData has ${pd.length} bytes, image size needs ${expected}`);
  }
}

/**
 * Checks a Part-10 file's framing. For a deflated data set the inflated bytes are walked (and
 * returned, so the parser need not inflate again).
 */
export function checkFraming(src: ByteSource): Framing & { inflated?: Buffer } {
  const { syntax, datasetOffset } = readMeta(src);
  if (syntax.deflated) {
    let inflated: Buffer;
    try {
      inflated = inflateRawSync(src.read(datasetOffset, src.size - datasetOffset), { maxOutputLength: MAX_INFLATED_BYTES });
    } catch (e) {
      const tooBig = e instanceof RangeError || (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
      throw new Rejection(tooBig ? 'OVERSIZE_ELEMENT' : 'INCOMPLETE', tooBig ? 'deflated data set inflates beyond 256 MB' : 'deflated data set is damaged');
    }
    const body = walk(bufferSource(inflated), 0, syntax);
    const f = { syntax, datasetOffset, ...body };
    checkPixelData(f);
    return { ...f, inflated };
  }
  if (datasetOffset >= src.size) throw new Rejection('INCOMPLETE', 'no data set after the file meta group');
  const body = walk(src, datasetOffset, syntax);
  const f = { syntax, datasetOffset, ...body };
  checkPixelData(f);
  return f;
}
