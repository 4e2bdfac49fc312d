/**
 * Generated DICOM test data: realistic 16-bit Digital X-Ray files (PS3.3 A.26, DX Image IOD) in
 * every transfer syntax the desk accepts, plus the malformed inputs the ingest must quarantine.
 *
 * Why generated rather than checked in: tests need many distinct UIDs, Vietnamese names in both
 * character sets, and sizes from 256×256 (fast tests) to 2800×2800 (≈15 MB, benches).
 *
 * How: dcmtk `dump2dcm` builds an explicit-VR little-endian file from a text template whose
 * `(7fe0,0010) OW =pixels.raw` line pulls in raw pixels generated here (FIELD-NOTES "DICOM test
 * data"). dump2dcm reads the template as bytes, so UTF-8 (ISO_IR 192) and Latin-1 (ISO_IR 100)
 * values pass through untouched. Compression: `dcmcjpeg +e1` (JPEG lossless, process 14 SV1,
 * PS3.5 §A.4.1), `dcmcjpls` (JPEG-LS lossless, §A.4.3). dcmtk has no JPEG 2000 encoder, so the
 * OpenJPEG WASM encoder from @cornerstonejs/codec-openjpeg makes a reversible codestream that is
 * wrapped here as encapsulated pixel data (PS3.5 §A.4, transfer syntax 1.2.840.10008.1.2.4.90).
 *
 * Every file is written under a temporary dot-name in the target folder and renamed into place,
 * so a watcher never sees a half-written fixture (unless a test asks for that on purpose).
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { requirePart } from './real-parts';

export type FixtureSyntax = 'explicit-le' | 'implicit-le' | 'jpeg-lossless' | 'jpeg-ls' | 'jpeg2000' | 'explicit-be' | 'deflated';

export interface DxOptions {
  patientName?: string;
  patientID?: string;
  birthDate?: string;
  sex?: 'M' | 'F' | 'O';
  accessionNumber?: string;
  studyInstanceUID?: string;
  seriesInstanceUID?: string;
  sopInstanceUID?: string;
  studyDate?: string;
  studyTime?: string;
  viewPosition?: string;
  bodyPart?: string;
  laterality?: string;
  stationName?: string;
  studyDescription?: string;
  rows?: number;
  columns?: number;
  charset?: 'ISO_IR 192' | 'ISO_IR 100';
  syntax?: FixtureSyntax;
  instanceNumber?: number;
  seriesNumber?: number;
  modality?: 'DX' | 'CR';
  /** Pixel pattern seed; default derived from the SOPInstanceUID, so each file looks different. */
  seed?: number;
  /** File name inside `dir`; default `<SOPInstanceUID>.dcm`. */
  fileName?: string;
}

export interface DxFile {
  path: string;
  sopInstanceUID: string;
  seriesInstanceUID: string;
  studyInstanceUID: string;
  patientID: string;
  patientName: string;
  accessionNumber: string;
  size: number;
}

/** dcmtk makes every fixture: a test without it fails under REQUIRE_REAL_PARTS=1, else skips loudly. */
export function dcmtkAvailable(): boolean {
  let found = true;
  try {
    execFileSync('dump2dcm', ['--version'], { stdio: 'ignore' });
  } catch {
    found = false;
  }
  return requirePart('dcmtk', found, 'apt-get install dcmtk');
}

/** Transfer syntax UIDs (PS3.5 §10, §A.4). */
export const TRANSFER_SYNTAX: Readonly<Record<FixtureSyntax, string>> = {
  'explicit-le': '1.2.840.10008.1.2.1',
  'implicit-le': '1.2.840.10008.1.2',
  'jpeg-lossless': '1.2.840.10008.1.2.4.70',
  'jpeg-ls': '1.2.840.10008.1.2.4.80',
  jpeg2000: '1.2.840.10008.1.2.4.90',
  'explicit-be': '1.2.840.10008.1.2.2',
  deflated: '1.2.840.10008.1.2.1.99',
};

export const DX_FOR_PRESENTATION = '1.2.840.10008.5.1.4.1.1.1.1';
export const CR_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.1';

/** The size benches use: 2800 × 2800 × 2 bytes ≈ 15.7 MB of native pixels. */
export const BENCH_SIZE = { rows: 2800, columns: 2800 } as const;

/** A UID under the UUID-derived root 2.25 (PS3.5 §B.2): at most 44 characters. */
export function newUid(): string {
  return `2.25.${BigInt(`0x${randomBytes(16).toString('hex')}`).toString(10)}`;
}

/** Today as DICOM DA / TM in local time. */
function today(): { date: string; time: string } {
  const d = new Date();
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return {
    date: `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}`,
    time: `${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`,
  };
}

/** Small deterministic PRNG (mulberry32): fixtures must be reproducible per seed, not secret. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function seedOf(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32LE(0);
}

/**
 * 12-bit chest-like picture: a smooth gradient, a bright body ellipse with darker lung fields,
 * rib-like bands, a dense disc at a seed-dependent place and a saturated marker block in the
 * top-left corner. Values 0…4095 (BitsStored 12), little-endian 16-bit words.
 */
export function dxPixels(rows: number, columns: number, seed: number): Buffer {
  const rnd = prng(seed);
  const px = new Uint16Array(rows * columns);
  const cx = columns / 2;
  const cy = rows / 2;
  const discX = columns * (0.25 + rnd() * 0.5);
  const discY = rows * (0.25 + rnd() * 0.5);
  const discR = Math.max(3, Math.min(rows, columns) * (0.04 + rnd() * 0.04));
  const ribPeriod = Math.max(6, rows / (10 + Math.floor(rnd() * 4)));
  const marker = Math.max(4, Math.floor(Math.min(rows, columns) / 16));
  for (let y = 0; y < rows; y++) {
    const rib = Math.sin((y / ribPeriod) * Math.PI * 2) > 0.6 ? 500 : 0;
    for (let x = 0; x < columns; x++) {
      let v = 200 + Math.floor((1000 * (x + y)) / (rows + columns));
      const ex = (x - cx) / (columns * 0.42);
      const ey = (y - cy) / (rows * 0.46);
      if (ex * ex + ey * ey < 1) {
        v = 2300;
        const lx = (Math.abs(x - cx) - columns * 0.17) / (columns * 0.12);
        const ly = (y - cy * 0.95) / (rows * 0.3);
        if (lx * lx + ly * ly < 1) v = 1100 + rib;
      }
      const dx = x - discX;
      const dy = y - discY;
      if (dx * dx + dy * dy < discR * discR) v = 3800;
      if (x < marker && y < marker) v = 4095;
      px[y * columns + x] = v;
    }
  }
  return Buffer.from(px.buffer, px.byteOffset, px.byteLength);
}

function defaultsFor(opts: DxOptions) {
  const now = today();
  const charset = opts.charset ?? 'ISO_IR 192';
  const sopInstanceUID = opts.sopInstanceUID ?? newUid();
  return {
    patientName: opts.patientName ?? (charset === 'ISO_IR 192' ? 'NGUYỄN VĂN AN' : 'LÊ^VÂN HÀ'),
    patientID: opts.patientID ?? `BN${seedOf(sopInstanceUID) % 1_000_000}`,
    birthDate: opts.birthDate ?? '19800115',
    sex: opts.sex ?? 'M',
    accessionNumber: opts.accessionNumber ?? `ACC${seedOf(`${sopInstanceUID}a`) % 10_000_000}`,
    studyInstanceUID: opts.studyInstanceUID ?? newUid(),
    seriesInstanceUID: opts.seriesInstanceUID ?? newUid(),
    sopInstanceUID,
    studyDate: opts.studyDate ?? now.date,
    studyTime: opts.studyTime ?? now.time,
    viewPosition: opts.viewPosition ?? 'PA',
    bodyPart: opts.bodyPart ?? 'CHEST',
    laterality: opts.laterality ?? '',
    stationName: opts.stationName ?? 'DX-ROOM1',
    studyDescription: opts.studyDescription ?? (charset === 'ISO_IR 192' ? 'Chụp X-quang ngực thẳng' : 'Chest PA'),
    rows: opts.rows ?? 256,
    columns: opts.columns ?? 256,
    charset,
    syntax: opts.syntax ?? 'explicit-le',
    instanceNumber: opts.instanceNumber ?? 1,
    seriesNumber: opts.seriesNumber ?? 1,
    modality: opts.modality ?? 'DX',
    seed: opts.seed ?? seedOf(sopInstanceUID),
  };
}
type Resolved = ReturnType<typeof defaultsFor>;

function checkValue(name: string, v: string, charset: Resolved['charset']): void {
  if (/[\]\r\n\\]/.test(v)) throw new Error(`fixture ${name}: characters ] \\ and newlines cannot go through a dump2dcm template`);
  if (charset === 'ISO_IR 100' && [...v].some((c) => c.codePointAt(0)! > 0xff)) throw new Error(`fixture ${name}: "${v}" is not representable in ISO_IR 100 (Latin-1)`);
}

/** The dump2dcm template (PS3.3 A.26 DX Image IOD modules, the attributes a modality really sends). */
function template(o: Resolved, pixelFile: string): string {
  const sopClass = o.modality === 'CR' ? CR_IMAGE_STORAGE : DX_FOR_PRESENTATION;
  const text: Array<[string, string]> = [
    ['patientName', o.patientName],
    ['patientID', o.patientID],
    ['accessionNumber', o.accessionNumber],
    ['studyDescription', o.studyDescription],
    ['stationName', o.stationName],
    ['bodyPart', o.bodyPart],
    ['viewPosition', o.viewPosition],
    ['laterality', o.laterality],
  ];
  for (const [k, v] of text) checkValue(k, v, o.charset);
  const lines = [
    `(0002,0001) OB 00\\01`,
    `(0002,0002) UI [${sopClass}]`,
    `(0002,0003) UI [${o.sopInstanceUID}]`,
    `(0002,0010) UI [${TRANSFER_SYNTAX['explicit-le']}]`,
    `(0008,0005) CS [${o.charset}]`,
    `(0008,0008) CS [ORIGINAL\\PRIMARY]`,
    `(0008,0016) UI [${sopClass}]`,
    `(0008,0018) UI [${o.sopInstanceUID}]`,
    `(0008,0020) DA [${o.studyDate}]`,
    `(0008,0021) DA [${o.studyDate}]`,
    `(0008,0023) DA [${o.studyDate}]`,
    `(0008,0030) TM [${o.studyTime}]`,
    `(0008,0031) TM [${o.studyTime}]`,
    `(0008,0033) TM [${o.studyTime}]`,
    `(0008,0050) SH [${o.accessionNumber}]`,
    `(0008,0060) CS [${o.modality}]`,
    ...(o.modality === 'DX' ? [`(0008,0068) CS [FOR PRESENTATION]`] : []),
    `(0008,0070) LO [Radiology Desk Fixtures]`,
    `(0008,0090) PN []`,
    `(0008,1010) SH [${o.stationName}]`,
    `(0008,1030) LO [${o.studyDescription}]`,
    `(0010,0010) PN [${o.patientName}]`,
    `(0010,0020) LO [${o.patientID}]`,
    `(0010,0030) DA [${o.birthDate}]`,
    `(0010,0040) CS [${o.sex}]`,
    `(0018,0015) CS [${o.bodyPart}]`,
    `(0018,1164) DS [0.139\\0.139]`,
    `(0018,5101) CS [${o.viewPosition}]`,
    `(0020,000d) UI [${o.studyInstanceUID}]`,
    `(0020,000e) UI [${o.seriesInstanceUID}]`,
    `(0020,0010) SH [1]`,
    `(0020,0011) IS [${o.seriesNumber}]`,
    `(0020,0013) IS [${o.instanceNumber}]`,
    `(0020,0020) CS [L\\F]`,
    `(0020,0060) CS [${o.laterality}]`,
    `(0020,0062) CS [${o.laterality}]`,
    `(0028,0002) US 1`,
    `(0028,0004) CS [MONOCHROME2]`,
    `(0028,0010) US ${o.rows}`,
    `(0028,0011) US ${o.columns}`,
    `(0028,0100) US 16`,
    `(0028,0101) US 12`,
    `(0028,0102) US 11`,
    `(0028,0103) US 0`,
    `(0028,1050) DS [2048]`,
    `(0028,1051) DS [4096]`,
    `(0028,1052) DS [0]`,
    `(0028,1053) DS [1]`,
    `(0028,1054) LO [US]`,
    `(2050,0020) CS [IDENTITY]`,
    `(7fe0,0010) OW =${pixelFile}`,
  ];
  return lines.join('\n') + '\n';
}

function run(cmd: string, args: string[]): void {
  execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Writes a 16-bit DX (or CR) file into `dir` and returns what it holds. Synchronous. */
export function makeDx(dir: string, opts: DxOptions = {}): DxFile {
  const o = defaultsFor(opts);
  fs.mkdirSync(dir, { recursive: true });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dxfx-'));
  try {
    const pixelFile = path.join(work, 'pixels.raw');
    fs.writeFileSync(pixelFile, dxPixels(o.rows, o.columns, o.seed));
    const tpl = path.join(work, 'dx.dump');
    fs.writeFileSync(tpl, Buffer.from(template(o, pixelFile), o.charset === 'ISO_IR 100' ? 'latin1' : 'utf8'));
    const explicit = path.join(work, 'explicit.dcm');
    run('dump2dcm', ['-q', '+te', tpl, explicit]);
    const fileName = opts.fileName ?? `${o.sopInstanceUID}.dcm`;
    const finalPath = path.join(dir, fileName);
    const partial = path.join(dir, `.${path.basename(fileName)}.${randomBytes(4).toString('hex')}.part`);
    switch (o.syntax) {
      case 'explicit-le':
        fs.copyFileSync(explicit, partial);
        break;
      case 'implicit-le':
        run('dump2dcm', ['-q', '+ti', tpl, partial]);
        break;
      case 'explicit-be':
        run('dump2dcm', ['-q', '+tb', tpl, partial]);
        break;
      case 'deflated':
        run('dump2dcm', ['-q', '+td', tpl, partial]);
        break;
      case 'jpeg-lossless':
        run('dcmcjpeg', ['-q', '+e1', explicit, partial]);
        break;
      case 'jpeg-ls':
        run('dcmcjpls', ['-q', '+el', explicit, partial]);
        break;
      case 'jpeg2000':
        fs.writeFileSync(partial, toJpeg2000(fs.readFileSync(explicit), o));
        break;
    }
    fs.renameSync(partial, finalPath);
    return {
      path: finalPath,
      sopInstanceUID: o.sopInstanceUID,
      seriesInstanceUID: o.seriesInstanceUID,
      studyInstanceUID: o.studyInstanceUID,
      patientID: o.patientID,
      patientName: o.patientName,
      accessionNumber: o.accessionNumber,
      size: fs.statSync(finalPath).size,
    };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

const VIEWS = ['PA', 'LL', 'AP', 'RL', 'LAO', 'RAO'];

/** One study of `views` images in one series, sharing patient and study attributes. */
export function makeStudy(dir: string, opts: DxOptions & { views: number }): DxFile[] {
  const { views, ...rest } = opts;
  const shared: DxOptions = {
    ...rest,
    studyInstanceUID: rest.studyInstanceUID ?? newUid(),
    seriesInstanceUID: rest.seriesInstanceUID ?? newUid(),
    patientID: rest.patientID ?? `BN${seedOf(newUid()) % 1_000_000}`,
    accessionNumber: rest.accessionNumber ?? `ACC${seedOf(newUid()) % 10_000_000}`,
  };
  return Array.from({ length: views }, (_, i) =>
    makeDx(dir, { ...shared, sopInstanceUID: undefined, fileName: undefined, instanceNumber: i + 1, viewPosition: rest.viewPosition ?? VIEWS[i % VIEWS.length] }),
  );
}

// ─── Low-level Part-10 byte helpers (explicit VR little endian, PS3.5 §7.1.2) ─────────────────

const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);

function tagBytes(group: number, element: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt16LE(group, 0);
  b.writeUInt16LE(element, 2);
  return b;
}

/** One explicit-VR LE element; `length` overrides the real length (for forging). */
export function explicitElement(group: number, element: number, vr: string, value: Buffer, length?: number): Buffer {
  const padded = value.length % 2 === 0 ? value : Buffer.concat([value, Buffer.from(vr === 'UI' || vr === 'OB' ? [0] : [0x20])]);
  const len = length ?? padded.length;
  if (LONG_VRS.has(vr)) {
    const h = Buffer.alloc(12);
    tagBytes(group, element).copy(h, 0);
    h.write(vr, 4, 'latin1');
    h.writeUInt32LE(len >>> 0, 8);
    return Buffer.concat([h, padded]);
  }
  const h = Buffer.alloc(8);
  tagBytes(group, element).copy(h, 0);
  h.write(vr, 4, 'latin1');
  h.writeUInt16LE(len, 6);
  return Buffer.concat([h, padded]);
}

/** File Meta Information (PS3.10 §7.1) with preamble and "DICM". */
export function fileMeta(sopClassUID: string, sopInstanceUID: string, transferSyntaxUID: string): Buffer {
  const body = Buffer.concat([
    explicitElement(0x0002, 0x0001, 'OB', Buffer.from([0, 1])),
    explicitElement(0x0002, 0x0002, 'UI', Buffer.from(sopClassUID, 'latin1')),
    explicitElement(0x0002, 0x0003, 'UI', Buffer.from(sopInstanceUID, 'latin1')),
    explicitElement(0x0002, 0x0010, 'UI', Buffer.from(transferSyntaxUID, 'latin1')),
    explicitElement(0x0002, 0x0012, 'UI', Buffer.from('2.25.1234567890123456789', 'latin1')),
    explicitElement(0x0002, 0x0013, 'SH', Buffer.from('RADDESK_FIXTURE', 'latin1')),
  ]);
  const gl = Buffer.alloc(4);
  gl.writeUInt32LE(body.length, 0);
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM', 'latin1'), explicitElement(0x0002, 0x0000, 'UL', gl), body]);
}

interface TopElement {
  group: number;
  element: number;
  vr: string;
  /** Offset of the element's first byte (its tag). */
  start: number;
  /** Offset of the value. */
  valueStart: number;
  length: number;
}

/** Top-level elements of an explicit-VR LE Part-10 file with defined lengths (what dump2dcm writes). */
export function topLevelElements(buf: Buffer): TopElement[] {
  if (buf.toString('latin1', 128, 132) !== 'DICM') throw new Error('not a Part-10 file');
  const out: TopElement[] = [];
  let p = 132;
  while (p + 8 <= buf.length) {
    const group = buf.readUInt16LE(p);
    const element = buf.readUInt16LE(p + 2);
    const vr = buf.toString('latin1', p + 4, p + 6);
    let length: number;
    let valueStart: number;
    if (LONG_VRS.has(vr)) {
      length = buf.readUInt32LE(p + 8);
      valueStart = p + 12;
    } else {
      length = buf.readUInt16LE(p + 6);
      valueStart = p + 8;
    }
    out.push({ group, element, vr, start: p, valueStart, length });
    if (length === 0xffffffff) break;
    p = valueStart + length;
  }
  return out;
}

function find(buf: Buffer, group: number, element: number): TopElement {
  const e = topLevelElements(buf).find((x) => x.group === group && x.element === element);
  if (!e) throw new Error(`element (${group.toString(16)},${element.toString(16)}) not found`);
  return e;
}

/** Encapsulates a reversible JPEG 2000 codestream of the explicit file's pixels (PS3.5 §A.4). */
function toJpeg2000(explicit: Buffer, o: Resolved): Buffer {
  const pixel = find(explicit, 0x7fe0, 0x0010);
  const raw = explicit.subarray(pixel.valueStart, pixel.valueStart + pixel.length);
  const codestream = encodeJ2k(raw, o.rows, o.columns);
  const dataset = explicit.subarray(topLevelElements(explicit).find((e) => e.group !== 0x0002)!.start, pixel.start);
  const fragment = codestream.length % 2 === 0 ? codestream : Buffer.concat([codestream, Buffer.from([0])]);
  const item = (len: number) => {
    const b = Buffer.alloc(8);
    b.writeUInt16LE(0xfffe, 0);
    b.writeUInt16LE(0xe000, 2);
    b.writeUInt32LE(len, 4);
    return b;
  };
  const header = Buffer.alloc(12);
  header.writeUInt16LE(0x7fe0, 0);
  header.writeUInt16LE(0x0010, 2);
  header.write('OB', 4, 'latin1');
  header.writeUInt32LE(0xffffffff, 8);
  const delimiter = Buffer.from([0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0]);
  const sopClass = o.modality === 'CR' ? CR_IMAGE_STORAGE : DX_FOR_PRESENTATION;
  return Buffer.concat([
    fileMeta(sopClass, o.sopInstanceUID, TRANSFER_SYNTAX.jpeg2000),
    dataset,
    header,
    item(0),
    item(fragment.length),
    fragment,
    delimiter,
  ]);
}

/**
 * The OpenJPEG WASM module only instantiates asynchronously; to keep `makeDx` synchronous the
 * encoding runs in a short-lived Node child (≈0.1 s), which loads the codec and encodes a
 * reversible (lossless) codestream.
 */
const J2K_SCRIPT = `
const fs = require('node:fs');
const [codec, rawPath, outPath, rows, columns] = process.argv.slice(1);
require(codec)({ print() {}, printErr() {} }).then((m) => {
  const enc = new m.J2KEncoder();
  const input = enc.getDecodedBuffer({ width: +columns, height: +rows, bitsPerSample: 16, componentCount: 1, isSigned: false, isUsingColorTransform: false });
  input.set(fs.readFileSync(rawPath));
  enc.setQuality(true, 0);
  enc.encode();
  fs.writeFileSync(outPath, enc.getEncodedBuffer());
});
`;

function encodeJ2k(raw: Buffer, rows: number, columns: number): Buffer {
  const codec = createRequire(import.meta.url).resolve('@cornerstonejs/codec-openjpeg');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'j2k-'));
  try {
    const rawPath = path.join(work, 'in.raw');
    const outPath = path.join(work, 'out.j2k');
    fs.writeFileSync(rawPath, raw);
    execFileSync(process.execPath, ['-e', J2K_SCRIPT, codec, rawPath, outPath, String(rows), String(columns)], { stdio: ['ignore', 'ignore', 'pipe'] });
    return fs.readFileSync(outPath);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

// ─── Bad input (issue 3 "Bad input") ──────────────────────────────────────────────────────────

/** The quarantine reason codes the desk uses (issue 3). */
export type ReasonCode =
  | 'NOT_DICOM'
  | 'INCOMPLETE'
  | 'OVERSIZE_ELEMENT'
  | 'NESTING'
  | 'BAD_CHARSET'
  | 'MISSING_UID'
  | 'BAD_UID'
  | 'NO_PIXELDATA'
  | 'PIXEL_LENGTH_MISMATCH'
  | 'PARSE_ERROR'
  | 'CONFLICT';

function writeAtomically(dir: string, name: string, bytes: Buffer): string {
  fs.mkdirSync(dir, { recursive: true });
  const final = path.join(dir, name);
  const partial = path.join(dir, `.${randomBytes(6).toString('hex')}.part`);
  fs.writeFileSync(partial, bytes);
  fs.renameSync(partial, final);
  return final;
}

/** A valid small explicit-LE DX as bytes (for patching), generated in a scratch folder. */
export function dxBytes(opts: DxOptions = {}): { bytes: Buffer; file: DxFile } {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dxbytes-'));
  try {
    const file = makeDx(scratch, { rows: 64, columns: 64, ...opts, syntax: opts.syntax ?? 'explicit-le' });
    return { bytes: fs.readFileSync(file.path), file };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

export function makeZeroByte(dir: string, name = 'empty.dcm'): string {
  return writeAtomically(dir, name, Buffer.alloc(0));
}

export function makeTextFile(dir: string, name = 'notes.dcm'): string {
  return writeAtomically(dir, name, Buffer.from('Bệnh nhân đã chụp xong, chờ đọc phim.\nThis is not a DICOM file.\n', 'utf8'));
}

export function makePngNamedDcm(dir: string, name = 'photo.dcm'): string {
  const png = new PNG({ width: 32, height: 32 });
  for (let i = 0; i < png.data.length; i += 4) {
    png.data[i] = (i / 4) % 256;
    png.data[i + 1] = 128;
    png.data[i + 2] = 64;
    png.data[i + 3] = 255;
  }
  return writeAtomically(dir, name, PNG.sync.write(png));
}

export type TruncationPoint = 'preamble' | 'meta' | 'header' | 'pixels' | 'last-byte';

/** Where `at` cuts a small valid file: inside the preamble, the meta group, PatientName, the pixels, or the last byte. */
export function makeTruncated(dir: string, at: TruncationPoint | number, opts: DxOptions = {}): string {
  const { bytes, file } = dxBytes(opts);
  let cut: number;
  if (typeof at === 'number') cut = at;
  else if (at === 'preamble') cut = 100;
  else if (at === 'meta') cut = 160;
  else if (at === 'header') {
    const pn = find(bytes, 0x0010, 0x0010);
    cut = pn.valueStart + Math.max(1, Math.floor(pn.length / 2));
  } else if (at === 'pixels') {
    const pd = find(bytes, 0x7fe0, 0x0010);
    cut = pd.valueStart + Math.floor(pd.length / 2);
  } else cut = bytes.length - 1;
  return writeAtomically(dir, `truncated-${at}-${file.sopInstanceUID}.dcm`, bytes.subarray(0, cut));
}

/**
 * A forged length far beyond the file: on PixelData (explicit VR, 4-byte length) or on PatientName
 * in an implicit-VR file (every implicit length is 32 bits, PS3.5 §7.1.3).
 */
export function makeForgedLength(dir: string, target: 'pixel-data' | 'implicit-text' = 'pixel-data'): string {
  if (target === 'pixel-data') {
    const { bytes, file } = dxBytes();
    const pd = find(bytes, 0x7fe0, 0x0010);
    const out = Buffer.from(bytes);
    out.writeUInt32LE(0xfffffff0, pd.valueStart - 4);
    return writeAtomically(dir, `forged-pixel-length-${file.sopInstanceUID}.dcm`, out);
  }
  const { bytes, file } = dxBytes({ syntax: 'implicit-le' });
  // Implicit VR: tag(4) + length(4). Find PatientName (0010,0010) by its tag bytes after the meta group.
  const metaEnd = 132 + 12 + bytes.readUInt32LE(140);
  const needle = Buffer.from([0x10, 0x00, 0x10, 0x00]);
  const at = bytes.indexOf(needle, metaEnd);
  if (at < 0) throw new Error('PatientName not found');
  const out = Buffer.from(bytes);
  out.writeUInt32LE(0x7ffffff0, at + 4);
  return writeAtomically(dir, `forged-text-length-${file.sopInstanceUID}.dcm`, out);
}

/** `depth` nested sequences (ContentSequence items inside items) inserted before PixelData. */
export function makeDeepNesting(dir: string, depth = 10_000): string {
  const { bytes, file } = dxBytes();
  const pd = find(bytes, 0x7fe0, 0x0010);
  const open = Buffer.concat([
    (() => {
      const b = Buffer.alloc(12);
      b.writeUInt16LE(0x0040, 0);
      b.writeUInt16LE(0xa730, 2);
      b.write('SQ', 4, 'latin1');
      b.writeUInt32LE(0xffffffff, 8);
      return b;
    })(),
    Buffer.from([0xfe, 0xff, 0x00, 0xe0, 0xff, 0xff, 0xff, 0xff]),
  ]);
  const close = Buffer.from([0xfe, 0xff, 0x0d, 0xe0, 0, 0, 0, 0, 0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0]);
  const nested = Buffer.concat([Buffer.alloc(open.length * depth).fill(open), Buffer.alloc(close.length * depth).fill(close)]);
  const out = Buffer.concat([bytes.subarray(0, pd.start), nested, bytes.subarray(pd.start)]);
  return writeAtomically(dir, `nested-${depth}-${file.sopInstanceUID}.dcm`, out);
}

/** Replaces a top-level value with bytes of the same length (framing stays intact). */
function patchValue(bytes: Buffer, group: number, element: number, value: Buffer): Buffer {
  const e = find(bytes, group, element);
  if (value.length !== e.length) throw new Error(`patch length ${value.length} ≠ ${e.length}`);
  const out = Buffer.from(bytes);
  value.copy(out, e.valueStart);
  return out;
}

/** Removes one top-level element. */
function dropElement(bytes: Buffer, group: number, element: number): Buffer {
  const e = find(bytes, group, element);
  return Buffer.concat([bytes.subarray(0, e.start), bytes.subarray(e.valueStart + e.length)]);
}

export function makeMissingUid(dir: string, which: 'study' | 'series' | 'sop' = 'study'): string {
  const { bytes, file } = dxBytes();
  const el = which === 'study' ? 0x000d : which === 'series' ? 0x000e : 0x0018;
  const out = which === 'sop' ? dropElement(bytes, 0x0008, 0x0018) : dropElement(bytes, 0x0020, el);
  return writeAtomically(dir, `missing-${which}-uid-${file.sopInstanceUID}.dcm`, out);
}

/** A StudyInstanceUID with letters, with a leading-zero component, or longer than 64 characters. */
export function makeMalformedUid(dir: string, kind: 'letters' | 'leading-zero' | 'too-long' = 'letters'): string {
  if (kind === 'too-long') {
    const { bytes, file } = dxBytes();
    const e = find(bytes, 0x0020, 0x000d);
    const long = `1.2.826.0.1.3680043.${'1234567890'.repeat(5)}`;
    const out = Buffer.concat([bytes.subarray(0, e.start), explicitElement(0x0020, 0x000d, 'UI', Buffer.from(long, 'latin1')), bytes.subarray(e.valueStart + e.length)]);
    return writeAtomically(dir, `bad-uid-too-long-${file.sopInstanceUID}.dcm`, out);
  }
  const { bytes, file } = dxBytes({ studyInstanceUID: '1.2.826.0.1.3680043.8.498.12345' });
  const bad = kind === 'letters' ? '1.2.826.0.1.3680043.8.498.12abc' : '1.2.826.0.1.3680043.8.498.01234';
  const out = patchValue(bytes, 0x0020, 0x000d, Buffer.from(`${bad}\0`, 'latin1'));
  return writeAtomically(dir, `bad-uid-${kind}-${file.sopInstanceUID}.dcm`, out);
}

export function makeUnknownCharset(dir: string): string {
  const { bytes, file } = dxBytes();
  const out = patchValue(bytes, 0x0008, 0x0005, Buffer.from('ISO_IR 999', 'latin1'));
  return writeAtomically(dir, `charset-${file.sopInstanceUID}.dcm`, out);
}

/**
 * PatientID `../../etc/pwd` (legal LO characters: must be stored safely, never used as a path) or
 * one with an embedded NUL (a control character LO forbids, PS3.5 §6.2).
 */
export function makeHostilePatientId(dir: string, kind: 'dotdot' | 'nul'): { path: string; patientID: string } {
  const hostile = kind === 'dotdot' ? '../../etc/pwd' : '../a\0b/c';
  const placeholder = 'X'.repeat(hostile.length);
  const { bytes, file } = dxBytes({ patientID: placeholder });
  const e = find(bytes, 0x0010, 0x0020);
  const value = Buffer.alloc(e.length, 0x20);
  Buffer.from(hostile, 'latin1').copy(value);
  const out = patchValue(bytes, 0x0010, 0x0020, value);
  return { path: writeAtomically(dir, `patient-id-${kind}-${file.sopInstanceUID}.dcm`, out), patientID: hostile };
}

export function makeNoPixelData(dir: string): string {
  const { bytes, file } = dxBytes();
  return writeAtomically(dir, `no-pixels-${file.sopInstanceUID}.dcm`, dropElement(bytes, 0x7fe0, 0x0010));
}

/** Rows says 64 but PixelData holds 64 × 60 pixels: a complete file whose pixels do not fit its header. */
export function makePixelLengthMismatch(dir: string): string {
  const { bytes, file } = dxBytes();
  const pd = find(bytes, 0x7fe0, 0x0010);
  const shorter = pd.length - 64 * 4 * 2;
  const head = Buffer.from(bytes.subarray(0, pd.valueStart));
  head.writeUInt32LE(shorter, pd.valueStart - 4);
  const out = Buffer.concat([head, bytes.subarray(pd.valueStart, pd.valueStart + shorter)]);
  return writeAtomically(dir, `pixel-mismatch-${file.sopInstanceUID}.dcm`, out);
}

/** A valid file under a hostile file name: `..` inside, Windows reserved names, or backslashes. */
export function makeHostileName(dir: string, name: 'a..b.dcm' | 'CON.dcm' | 'aux.dcm' | '..\\..\\evil.dcm' | 'NUL'): DxFile {
  return makeDx(dir, { rows: 64, columns: 64, fileName: name });
}

export interface BadInput {
  /** Short id for test names. */
  readonly name: string;
  readonly reason: ReasonCode;
  make(dir: string): string;
}

/** Every malformed input of issue 3 with the reason code it must be quarantined under. */
export const BAD_INPUTS: readonly BadInput[] = [
  { name: 'zero-byte', reason: 'NOT_DICOM', make: (d) => makeZeroByte(d) },
  { name: 'text named .dcm', reason: 'NOT_DICOM', make: (d) => makeTextFile(d) },
  { name: 'PNG named .dcm', reason: 'NOT_DICOM', make: (d) => makePngNamedDcm(d) },
  { name: 'truncated in preamble', reason: 'INCOMPLETE', make: (d) => makeTruncated(d, 'preamble') },
  { name: 'truncated in meta header', reason: 'INCOMPLETE', make: (d) => makeTruncated(d, 'meta') },
  { name: 'truncated in PatientName', reason: 'INCOMPLETE', make: (d) => makeTruncated(d, 'header') },
  { name: 'truncated in pixels', reason: 'INCOMPLETE', make: (d) => makeTruncated(d, 'pixels') },
  { name: 'truncated by one byte', reason: 'INCOMPLETE', make: (d) => makeTruncated(d, 'last-byte') },
  { name: 'forged PixelData length', reason: 'OVERSIZE_ELEMENT', make: (d) => makeForgedLength(d, 'pixel-data') },
  { name: 'forged implicit text length', reason: 'OVERSIZE_ELEMENT', make: (d) => makeForgedLength(d, 'implicit-text') },
  { name: '10,000-deep nesting', reason: 'NESTING', make: (d) => makeDeepNesting(d, 10_000) },
  { name: 'missing StudyInstanceUID', reason: 'MISSING_UID', make: (d) => makeMissingUid(d, 'study') },
  { name: 'missing SeriesInstanceUID', reason: 'MISSING_UID', make: (d) => makeMissingUid(d, 'series') },
  { name: 'missing SOPInstanceUID', reason: 'MISSING_UID', make: (d) => makeMissingUid(d, 'sop') },
  { name: 'UID with letters', reason: 'BAD_UID', make: (d) => makeMalformedUid(d, 'letters') },
  { name: 'UID with leading zero', reason: 'BAD_UID', make: (d) => makeMalformedUid(d, 'leading-zero') },
  { name: 'UID over 64 chars', reason: 'BAD_UID', make: (d) => makeMalformedUid(d, 'too-long') },
  { name: 'unknown character set', reason: 'BAD_CHARSET', make: (d) => makeUnknownCharset(d) },
  { name: 'PatientID with NUL', reason: 'PARSE_ERROR', make: (d) => makeHostilePatientId(d, 'nul').path },
  { name: 'no PixelData', reason: 'NO_PIXELDATA', make: (d) => makeNoPixelData(d) },
  { name: 'PixelData shorter than Rows×Columns', reason: 'PIXEL_LENGTH_MISMATCH', make: (d) => makePixelLengthMismatch(d) },
];
