/**
 * Decodes the first frame of a stored image into samples, for thumbnails (in a worker thread).
 * The decoders are the ones the viewer's Cornerstone loader uses, loaded in Node the first time a
 * syntax is seen: OpenJPEG (JPEG 2000, PS3.5 §A.4.4 — decoded at a reduced resolution level, which
 * is all a thumbnail needs), CharLS (JPEG-LS, §A.4.3), the JPEG lossless decoder (process 14,
 * §A.4.1) and libjpeg-turbo (8-bit baseline, §A.4.1 process 1). RLE (Annex G) is decoded here.
 * Native syntaxes need no decoder: samples are read in place. 12-bit lossy JPEG (process 2/4) has
 * no thumbnail (the viewer still shows it).
 */
import { createRequire } from 'node:module';
import type { PixelModule } from './pixel-module';

export interface Samples {
  readonly width: number;
  readonly height: number;
  /** Interleaved components per pixel (1 grey, 3 colour). */
  readonly components: number;
  get(i: number): number;
}

const require = createRequire(import.meta.url);

interface EmscriptenCodec {
  getEncodedBuffer(length: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  getFrameInfo(): { width: number; height: number; bitsPerSample: number; componentCount: number; isSigned?: boolean };
  decode(): void;
  decodeSubResolution?(level: number, layer: number): void;
  calculateSizeAtDecompositionLevel?(level: number): { width: number; height: number };
  getNumDecompositions?(): number;
}
type CodecFactory = (opts: { print(): void; printErr(): void }) => Promise<Record<string, new () => EmscriptenCodec>>;

const codecs = new Map<string, Promise<Record<string, new () => EmscriptenCodec>>>();
function codec(pkg: string): Promise<Record<string, new () => EmscriptenCodec>> {
  let c = codecs.get(pkg);
  if (!c) {
    c = (require(pkg) as CodecFactory)({ print() {}, printErr() {} });
    codecs.set(pkg, c);
  }
  return c;
}

const NATIVE = new Set(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.2', '1.2.840.10008.1.2.1.99']);
const RLE = '1.2.840.10008.1.2.5';
const JPEG_BASELINE = '1.2.840.10008.1.2.4.50';
const JPEG_LOSSLESS = new Set(['1.2.840.10008.1.2.4.57', '1.2.840.10008.1.2.4.70']);
const JPEG_LS = new Set(['1.2.840.10008.1.2.4.80', '1.2.840.10008.1.2.4.81']);
const JPEG_2000 = new Set(['1.2.840.10008.1.2.4.90', '1.2.840.10008.1.2.4.91']);

/** Largest thumbnail side; the J2K decoder stops at the first resolution level at least this big. */
export const THUMB_SIZE = 128;

export async function decodeFirstFrame(m: PixelModule): Promise<Samples> {
  const ts = m.transferSyntaxUID;
  if (NATIVE.has(ts) && m.native) return nativeSamples(m, m.native);
  const data = m.fragments ? Buffer.concat(m.fragments) : null;
  if (!data) throw new Error('no encapsulated pixel data');
  if (JPEG_LOSSLESS.has(ts)) return jpegLossless(m, data);
  if (JPEG_LS.has(ts)) return viaCodec(m, data, '@cornerstonejs/codec-charls/decodewasmjs', 'JpegLSDecoder');
  if (JPEG_2000.has(ts)) return viaCodec(m, data, '@cornerstonejs/codec-openjpeg/decodewasmjs', 'J2KDecoder');
  if (ts === JPEG_BASELINE && m.bitsAllocated === 8) return viaCodec(m, data, '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs', 'JPEGDecoder');
  if (ts === RLE) return rle(m, data);
  throw new Error(`no thumbnail decoder for ${ts}`);
}

function nativeSamples(m: PixelModule, bytes: Buffer): Samples {
  const { rows, columns, samplesPerPixel: spp, bitsAllocated, pixelRepresentation, planarConfiguration } = m;
  const signed = pixelRepresentation === 1;
  const plane = rows * columns;
  const le = m.littleEndian;
  const read =
    bitsAllocated === 8
      ? (i: number) => (signed ? bytes.readInt8(i) : bytes[i]!)
      : bitsAllocated === 32
        ? (i: number) => (signed ? (le ? bytes.readInt32LE(i * 4) : bytes.readInt32BE(i * 4)) : le ? bytes.readUInt32LE(i * 4) : bytes.readUInt32BE(i * 4))
        : (i: number) => (signed ? (le ? bytes.readInt16LE(i * 2) : bytes.readInt16BE(i * 2)) : le ? bytes.readUInt16LE(i * 2) : bytes.readUInt16BE(i * 2));
  // Colour by plane (PlanarConfiguration 1) is re-indexed as interleaved.
  const index = spp > 1 && planarConfiguration === 1 ? (i: number) => (i % spp) * plane + Math.floor(i / spp) : (i: number) => i;
  return { width: columns, height: rows, components: spp, get: (i) => read(index(i)) };
}

async function jpegLossless(m: PixelModule, data: Buffer): Promise<Samples> {
  const { Decoder } = await import('@cornerstonejs/jpeg-lossless-decoder-js');
  const bytes = m.bitsAllocated <= 8 ? 1 : 2;
  const out = new Decoder().decode(data.buffer as ArrayBuffer, data.byteOffset, data.length, bytes);
  const arr = bytes === 1 ? new Uint8Array(out.buffer) : m.pixelRepresentation === 1 ? new Int16Array(out.buffer) : new Uint16Array(out.buffer);
  return { width: m.columns, height: m.rows, components: m.samplesPerPixel, get: (i) => arr[i]! };
}

async function viaCodec(m: PixelModule, data: Buffer, pkg: string, cls: string): Promise<Samples> {
  const lib = await codec(pkg);
  const Ctor = lib[cls];
  if (!Ctor) throw new Error(`${pkg} has no ${cls}`);
  const decoder = new Ctor();
  decoder.getEncodedBuffer(data.length).set(data);
  let width = m.columns;
  let height = m.rows;
  if (decoder.decodeSubResolution && decoder.calculateSizeAtDecompositionLevel && decoder.getNumDecompositions) {
    // JPEG 2000 is multi-resolution: decode the smallest level still ≥ the thumbnail size.
    let level = 0;
    const levels = decoder.getNumDecompositions();
    while (level < levels) {
      const next = decoder.calculateSizeAtDecompositionLevel(level + 1);
      if (Math.max(next.width, next.height) < THUMB_SIZE) break;
      level++;
    }
    decoder.decodeSubResolution(level, 0);
    ({ width, height } = decoder.calculateSizeAtDecompositionLevel(level));
  } else {
    decoder.decode();
  }
  const info = decoder.getFrameInfo();
  const raw = decoder.getDecodedBuffer();
  const buf = raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength);
  const signed = m.pixelRepresentation === 1 || info.isSigned === true;
  const arr = info.bitsPerSample <= 8 ? new Uint8Array(buf) : signed ? new Int16Array(buf) : new Uint16Array(buf);
  return { width, height, components: info.componentCount || m.samplesPerPixel, get: (i) => arr[i]! };
}

/**
 * RLE Lossless (PS3.5 Annex G): a 64-byte header of segment offsets, then one PackBits segment per
 * byte plane — most significant byte first for 16-bit samples, one plane per colour component.
 */
function rle(m: PixelModule, data: Buffer): Samples {
  const n = data.readUInt32LE(0);
  const bytesPerSample = m.bitsAllocated / 8;
  if (n !== bytesPerSample * m.samplesPerPixel || n < 1 || n > 15) throw new Error('RLE: unexpected segment count');
  const plane = m.rows * m.columns;
  const planes: Uint8Array[] = [];
  for (let s = 0; s < n; s++) {
    const start = data.readUInt32LE(4 + s * 4);
    const end = s + 1 < n ? data.readUInt32LE(8 + s * 4) : data.length;
    const out = new Uint8Array(plane);
    let o = 0;
    let i = start;
    while (i < end && o < plane) {
      const h = data.readInt8(i++);
      if (h >= 0) {
        const len = Math.min(h + 1, plane - o, end - i);
        out.set(data.subarray(i, i + len), o);
        o += len;
        i += h + 1;
      } else if (h > -128) {
        out.fill(data[i++]!, o, Math.min(plane, o + 1 - h));
        o += 1 - h;
      }
    }
    planes.push(out);
  }
  const signed = m.pixelRepresentation === 1;
  const spp = m.samplesPerPixel;
  return {
    width: m.columns,
    height: m.rows,
    components: spp,
    get(i) {
      const px = Math.floor(i / spp);
      const c = i % spp;
      let v = 0;
      for (let b = 0; b < bytesPerSample; b++) v = v * 256 + planes[c * bytesPerSample + b]![px]!;
      if (signed && bytesPerSample === 2 && v >= 0x8000) v -= 0x10000;
      if (signed && bytesPerSample === 1 && v >= 0x80) v -= 0x100;
      return v;
    },
  };
}
