/**
 * Reads just what a thumbnail needs from a stored Part-10 file: the Image Pixel module attributes
 * (PS3.3 §C.7.6.3), the VOI window (§C.11.2), the modality rescale (§C.11.1) and where the pixels
 * are — native (PS3.5 §8.1.1) or encapsulated fragments of the first frame (PS3.5 §A.4).
 *
 * The file was already framed and checked by ingest; this walker still bounds every length and the
 * nesting depth, and never copies the pixel data (it returns views into the buffer). Every native
 * syntax ingest accepts is read: implicit and explicit little endian, explicit big endian (retired,
 * PS3.5 §A.3) and deflated (§A.5, inflated first).
 */
import { inflateRawSync } from 'node:zlib';

export interface PixelModule {
  readonly transferSyntaxUID: string;
  readonly rows: number;
  readonly columns: number;
  readonly samplesPerPixel: number;
  readonly bitsAllocated: number;
  readonly bitsStored: number;
  readonly pixelRepresentation: number;
  readonly planarConfiguration: number;
  readonly photometricInterpretation: string;
  readonly numberOfFrames: number;
  readonly windowCenter: number | null;
  readonly windowWidth: number | null;
  readonly rescaleSlope: number;
  readonly rescaleIntercept: number;
  /** Native syntaxes: the first frame's bytes. */
  readonly native: Buffer | null;
  /** Byte order of `native` (big endian only for 1.2.840.10008.1.2.2). */
  readonly littleEndian: boolean;
  /** Encapsulated syntaxes: the first frame's fragments, in order. */
  readonly fragments: Buffer[] | null;
}

const IMPLICIT_LE = '1.2.840.10008.1.2';
const EXPLICIT_BE = '1.2.840.10008.1.2.2';
const DEFLATED = '1.2.840.10008.1.2.1.99';
const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);
const UNDEFINED = 0xffffffff;
const MAX_DEPTH = 16;

const tagOf = (g: number, e: number) => ((g << 16) | e) >>> 0;
const T = {
  transferSyntax: tagOf(0x0002, 0x0010),
  samplesPerPixel: tagOf(0x0028, 0x0002),
  photometric: tagOf(0x0028, 0x0004),
  planar: tagOf(0x0028, 0x0006),
  frames: tagOf(0x0028, 0x0008),
  rows: tagOf(0x0028, 0x0010),
  columns: tagOf(0x0028, 0x0011),
  bitsAllocated: tagOf(0x0028, 0x0100),
  bitsStored: tagOf(0x0028, 0x0101),
  pixelRepresentation: tagOf(0x0028, 0x0103),
  windowCenter: tagOf(0x0028, 0x1050),
  windowWidth: tagOf(0x0028, 0x1051),
  rescaleIntercept: tagOf(0x0028, 0x1052),
  rescaleSlope: tagOf(0x0028, 0x1053),
  pixelData: tagOf(0x7fe0, 0x0010),
  item: tagOf(0xfffe, 0xe000),
  itemEnd: tagOf(0xfffe, 0xe00d),
  seqEnd: tagOf(0xfffe, 0xe0dd),
};

class Malformed extends Error {}

export function readPixelModule(file: Buffer): PixelModule {
  if (file.length < 132 || file.toString('latin1', 128, 132) !== 'DICM') throw new Malformed('not a Part-10 file');
  const values = new Map<number, Buffer>();
  let p = 132;
  // File Meta Information: always explicit VR little endian (PS3.10 §7.1).
  while (p + 8 <= file.length && file.readUInt16LE(p) === 0x0002) {
    const el = readHeader(file, p, LE_EXPLICIT);
    values.set(el.tag, slice(file, el.valueAt, el.length));
    p = el.valueAt + el.length;
  }
  const ts = text(values.get(T.transferSyntax));
  const buf = ts === DEFLATED ? inflateRawSync(file.subarray(p)) : file;
  if (ts === DEFLATED) p = 0;
  const syntax: Syntax = { explicit: ts !== IMPLICIT_LE, little: ts !== EXPLICIT_BE };
  let native: Buffer | null = null;
  let fragments: Fragments | null = null;

  while (p + 8 <= buf.length) {
    const el = readHeader(buf, p, syntax);
    if (el.tag === T.pixelData) {
      if (el.length === UNDEFINED) fragments = readFragments(buf, el.valueAt);
      else native = slice(buf, el.valueAt, el.length);
      break;
    }
    if (el.length === UNDEFINED) {
      p = skipUndefined(buf, el.valueAt, syntax, 1);
      continue;
    }
    if (el.tag >>> 16 === 0x0028) values.set(el.tag, slice(buf, el.valueAt, el.length));
    p = el.valueAt + el.length;
  }
  if (!native && !fragments) throw new Malformed('no pixel data');

  const us = (tag: number, fallback: number) => {
    const v = values.get(tag);
    return v && v.length >= 2 ? (syntax.little ? v.readUInt16LE(0) : v.readUInt16BE(0)) : fallback;
  };
  const num = (tag: number): number | null => {
    const first = text(values.get(tag)).split('\\')[0]?.trim() ?? '';
    const n = Number(first);
    return first !== '' && Number.isFinite(n) ? n : null;
  };
  const rows = us(T.rows, 0);
  const columns = us(T.columns, 0);
  if (rows === 0 || columns === 0) throw new Malformed('no image size');
  const frames = Math.max(1, Math.floor(num(T.frames) ?? 1));
  const m = {
    transferSyntaxUID: ts,
    rows,
    columns,
    samplesPerPixel: us(T.samplesPerPixel, 1),
    bitsAllocated: us(T.bitsAllocated, 16),
    bitsStored: us(T.bitsStored, 16),
    pixelRepresentation: us(T.pixelRepresentation, 0),
    planarConfiguration: us(T.planar, 0),
    photometricInterpretation: text(values.get(T.photometric)) || 'MONOCHROME2',
    numberOfFrames: frames,
    windowCenter: num(T.windowCenter),
    windowWidth: num(T.windowWidth),
    rescaleSlope: num(T.rescaleSlope) ?? 1,
    rescaleIntercept: num(T.rescaleIntercept) ?? 0,
  };
  if (native) {
    const frameBytes = (rows * columns * m.samplesPerPixel * m.bitsAllocated) / 8;
    if (native.length < frameBytes) throw new Malformed('pixel data shorter than one frame');
    native = native.subarray(0, frameBytes);
  }
  return { ...m, native, littleEndian: syntax.little, fragments: fragments ? firstFrame(fragments, frames) : null };
}

interface Header {
  tag: number;
  valueAt: number;
  length: number;
}

interface Syntax {
  explicit: boolean;
  little: boolean;
}
const LE_EXPLICIT: Syntax = { explicit: true, little: true };

function readHeader(buf: Buffer, p: number, syntax: Syntax): Header {
  if (p + 8 > buf.length) throw new Malformed('truncated element');
  const u16 = (at: number) => (syntax.little ? buf.readUInt16LE(at) : buf.readUInt16BE(at));
  const u32 = (at: number) => (syntax.little ? buf.readUInt32LE(at) : buf.readUInt32BE(at));
  const tag = tagOf(u16(p), u16(p + 2));
  let valueAt: number;
  let length: number;
  if (tag === T.item || tag === T.itemEnd || tag === T.seqEnd) {
    length = u32(p + 4);
    valueAt = p + 8;
  } else if (syntax.explicit) {
    const vr = buf.toString('latin1', p + 4, p + 6);
    if (LONG_VRS.has(vr)) {
      if (p + 12 > buf.length) throw new Malformed('truncated element');
      length = u32(p + 8);
      valueAt = p + 12;
    } else {
      length = u16(p + 6);
      valueAt = p + 8;
    }
  } else {
    length = u32(p + 4);
    valueAt = p + 8;
  }
  if (length !== UNDEFINED && valueAt + length > buf.length) throw new Malformed('element runs past the end of the file');
  return { tag, valueAt, length };
}

/** Skips an undefined-length sequence (PS3.5 §7.5.2); returns the offset after its delimiter. */
function skipUndefined(buf: Buffer, p: number, syntax: Syntax, depth: number): number {
  if (depth > MAX_DEPTH) throw new Malformed('nesting too deep');
  while (p + 8 <= buf.length) {
    const item = readHeader(buf, p, syntax);
    if (item.tag === T.seqEnd) return item.valueAt;
    if (item.tag !== T.item) throw new Malformed('expected an item');
    if (item.length !== UNDEFINED) {
      p = item.valueAt + item.length;
      continue;
    }
    p = item.valueAt;
    for (;;) {
      const el = readHeader(buf, p, syntax);
      if (el.tag === T.itemEnd) {
        p = el.valueAt;
        break;
      }
      p = el.length === UNDEFINED ? skipUndefined(buf, el.valueAt, syntax, depth + 1) : el.valueAt + el.length;
    }
  }
  throw new Malformed('sequence without delimiter');
}

interface Fragments {
  offsets: number[];
  items: Array<{ at: number; data: Buffer }>;
}

/** Encapsulated pixel data: Basic Offset Table item, then fragments, then the delimiter (PS3.5 §A.4). */
function readFragments(buf: Buffer, p: number): Fragments {
  const bot = readHeader(buf, p, LE_EXPLICIT);
  if (bot.tag !== T.item || bot.length === UNDEFINED) throw new Malformed('no basic offset table');
  const offsets: number[] = [];
  for (let i = 0; i + 4 <= bot.length; i += 4) offsets.push(buf.readUInt32LE(bot.valueAt + i));
  p = bot.valueAt + bot.length;
  const first = p;
  const items: Fragments['items'] = [];
  while (p + 8 <= buf.length) {
    const el = readHeader(buf, p, LE_EXPLICIT);
    if (el.tag === T.seqEnd) return { offsets, items };
    if (el.tag !== T.item || el.length === UNDEFINED) throw new Malformed('bad fragment');
    items.push({ at: p - first, data: slice(buf, el.valueAt, el.length) });
    p = el.valueAt + el.length;
  }
  throw new Malformed('fragments without delimiter');
}

/** The fragments of frame 1: by the offset table when there is one, else all (one frame) or the first. */
function firstFrame({ offsets, items }: Fragments, frames: number): Buffer[] {
  if (items.length === 0) throw new Malformed('no fragments');
  if (frames === 1) return items.map((i) => i.data);
  const end = offsets[1];
  if (end !== undefined) return items.filter((i) => i.at < end).map((i) => i.data);
  return [items[0]!.data];
}

function slice(buf: Buffer, at: number, length: number): Buffer {
  return buf.subarray(at, at + length);
}

function text(b: Buffer | undefined): string {
  return b ? b.toString('latin1').replace(/[\0 ]+$/, '').trim() : '';
}
