/**
 * A structural reader for DICOM Part 10 files: where every element, sequence item and pixel
 * fragment starts and ends — never a decoded value. The tag editor splices new bytes into these
 * ranges and copies everything else verbatim, which is how a corrected copy keeps encapsulated
 * pixel data and Vietnamese text inside sequences byte for byte (FIELD-NOTES: dcmjs decodes text
 * in sequences as cp1252, so rewriting a file with dcmjs corrupts it).
 *
 * Encodings read: the File Meta group (always explicit VR little endian, PS3.10 §7.1), then the
 * data set in implicit VR LE (PS3.5 §7.1.3, VRs from the data dictionary) or explicit VR LE
 * (PS3.5 §7.1.2), including every encapsulated syntax (PS3.5 §A.4). Big endian and deflated
 * data sets are refused: patching them would mean re-encoding the whole file.
 */
import { DeskError } from '../../../shared/errors';
import { dictionaryVr } from './vr';

export const IMPLICIT_VR_LE = '1.2.840.10008.1.2';
export const EXPLICIT_VR_LE = '1.2.840.10008.1.2.1';
const UNSUPPORTED_SYNTAXES = new Set([
  '1.2.840.10008.1.2.2', // explicit VR big endian (retired)
  '1.2.840.10008.1.2.1.99', // deflated explicit VR LE
  '1.2.840.10008.1.2.4.95', // JPIP referenced deflate
]);

/** Item, item delimiter and sequence delimiter tags (PS3.5 §7.5). */
export const ITEM = 0xfffee000;
export const ITEM_DELIMITER = 0xfffee00d;
export const SEQUENCE_DELIMITER = 0xfffee0dd;
const UNDEFINED = 0xffffffff;
/** Deeper than any real image header; a forged file of nested sequences stops here. */
const MAX_DEPTH = 32;

/** VRs whose explicit encoding has a 2-byte reserved field and a 4-byte length (PS3.5 §7.1.2). */
export const LONG_LENGTH_VRS: ReadonlySet<string> = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);

export interface DicomElement {
  /** (group << 16 | element), unsigned. */
  readonly tag: number;
  /** The explicit VR, or the dictionary's for implicit VR ('UN' when the dictionary does not know it). */
  readonly vr: string;
  /** Offset of the tag. */
  readonly start: number;
  readonly headerLength: number;
  readonly valueStart: number;
  /** For an undefined length: where the sequence delimiter starts. */
  readonly valueEnd: number;
  /** After the element, including its sequence delimiter. */
  readonly end: number;
  readonly undefinedLength: boolean;
  /** Sequence items (SQ, or UN of undefined length, PS3.5 §6.2.2). */
  readonly items?: readonly DicomItem[];
  /** Encapsulated pixel data: fragments are kept as bytes, never parsed. */
  readonly encapsulated?: boolean;
  /** Items below are encoded in implicit VR (an explicit UN of undefined length). */
  readonly implicitInside?: boolean;
}

export interface DicomItem {
  readonly start: number;
  readonly valueStart: number;
  readonly valueEnd: number;
  readonly end: number;
  readonly undefinedLength: boolean;
  readonly elements: readonly DicomElement[];
}

export interface P10Structure {
  readonly bytes: Buffer;
  /** Group 0002 elements. */
  readonly meta: readonly DicomElement[];
  readonly metaEnd: number;
  readonly transferSyntaxUID: string;
  readonly explicitVR: boolean;
  readonly dataset: readonly DicomElement[];
}

function malformed(detail: string): DeskError {
  return new DeskError('DICOM_EDIT_MALFORMED', { detail });
}

/** Reads the structure of a Part 10 file. Throws DeskError DICOM_EDIT_MALFORMED / DICOM_EDIT_SYNTAX. */
export function readP10Structure(bytes: Buffer): P10Structure {
  if (bytes.length < 132 || bytes.toString('latin1', 128, 132) !== 'DICM') throw malformed('no DICM prefix at offset 128');
  const meta: DicomElement[] = [];
  let offset = 132;
  while (offset + 8 <= bytes.length && bytes.readUInt16LE(offset) === 0x0002) {
    const el = readElement(bytes, offset, bytes.length, true, 0);
    meta.push(el);
    offset = el.end;
  }
  const tsElement = meta.find((e) => e.tag === 0x00020010);
  if (!tsElement) throw malformed('no TransferSyntaxUID (0002,0010)');
  const transferSyntaxUID = bytes.toString('latin1', tsElement.valueStart, tsElement.valueEnd).replace(/[\0 ]+$/, '');
  if (UNSUPPORTED_SYNTAXES.has(transferSyntaxUID)) throw new DeskError('DICOM_EDIT_SYNTAX', { syntax: transferSyntaxUID });
  const explicitVR = transferSyntaxUID !== IMPLICIT_VR_LE;
  const dataset = readElements(bytes, offset, bytes.length, explicitVR, 0);
  return { bytes, meta, metaEnd: offset, transferSyntaxUID, explicitVR, dataset };
}

function readTag(bytes: Buffer, offset: number): number {
  return ((bytes.readUInt16LE(offset) << 16) | bytes.readUInt16LE(offset + 2)) >>> 0;
}

export function tagString(tag: number): string {
  const hex = tag.toString(16).padStart(8, '0').toUpperCase();
  return `(${hex.slice(0, 4)},${hex.slice(4)})`;
}

function readElements(bytes: Buffer, start: number, end: number, explicit: boolean, depth: number): DicomElement[] {
  const out: DicomElement[] = [];
  let offset = start;
  while (offset < end) {
    // Trailing padding shorter than a tag cannot be an element.
    if (end - offset < 8) throw malformed(`${end - offset} stray bytes at offset ${offset}`);
    const el = readElement(bytes, offset, end, explicit, depth);
    out.push(el);
    offset = el.end;
  }
  return out;
}

function readElement(bytes: Buffer, start: number, limit: number, explicit: boolean, depth: number): DicomElement {
  if (start + 8 > limit) throw malformed(`element header past the end at offset ${start}`);
  const tag = readTag(bytes, start);
  if (tag >>> 16 === 0xfffe) throw malformed(`unexpected ${tagString(tag)} at offset ${start}`);
  let vr: string;
  let length: number;
  let headerLength: number;
  if (explicit) {
    vr = bytes.toString('latin1', start + 4, start + 6);
    if (!/^[A-Z]{2}$/.test(vr)) throw malformed(`bad VR at offset ${start + 4}`);
    if (LONG_LENGTH_VRS.has(vr)) {
      if (start + 12 > limit) throw malformed(`element header past the end at offset ${start}`);
      length = bytes.readUInt32LE(start + 8);
      headerLength = 12;
    } else {
      length = bytes.readUInt16LE(start + 6);
      headerLength = 8;
    }
  } else {
    vr = dictionaryVr(tag);
    length = bytes.readUInt32LE(start + 4);
    headerLength = 8;
  }
  const valueStart = start + headerLength;
  if (length === UNDEFINED) {
    // PS3.5 §7.5.1: SQ of undefined length; §A.4: encapsulated pixel data; §6.2.2: UN of
    // undefined length holds an implicit-VR sequence. In implicit VR only a sequence can have it.
    if (vr === 'SQ' || vr === 'UN' || !explicit) {
      const implicitInside = !explicit || vr === 'UN';
      const { items, valueEnd, end } = readUndefinedSequence(bytes, valueStart, limit, !implicitInside, depth + 1);
      return { tag, vr: vr === 'UN' ? 'SQ' : vr, start, headerLength, valueStart, valueEnd, end, undefinedLength: true, items, ...(vr === 'UN' && explicit ? { implicitInside: true } : {}) };
    }
    if (tag === 0x7fe00010) {
      const valueEnd = skipFragments(bytes, valueStart, limit);
      return { tag, vr, start, headerLength, valueStart, valueEnd, end: valueEnd + 8, undefinedLength: true, encapsulated: true };
    }
    throw malformed(`undefined length on ${tagString(tag)} ${vr}`);
  }
  const valueEnd = valueStart + length;
  if (valueEnd > limit) throw malformed(`${tagString(tag)} length ${length} runs past the end`);
  if (vr === 'SQ') {
    const items = readDefinedItems(bytes, valueStart, valueEnd, explicit, depth + 1);
    return { tag, vr, start, headerLength, valueStart, valueEnd, end: valueEnd, undefinedLength: false, items };
  }
  return { tag, vr, start, headerLength, valueStart, valueEnd, end: valueEnd, undefinedLength: false };
}

function readItem(bytes: Buffer, start: number, limit: number, explicit: boolean, depth: number): DicomItem {
  if (depth > MAX_DEPTH) throw malformed(`sequences nested deeper than ${MAX_DEPTH}`);
  if (start + 8 > limit) throw malformed(`item header past the end at offset ${start}`);
  if (readTag(bytes, start) !== ITEM) throw malformed(`expected an item at offset ${start}`);
  const length = bytes.readUInt32LE(start + 4);
  const valueStart = start + 8;
  if (length !== UNDEFINED) {
    const valueEnd = valueStart + length;
    if (valueEnd > limit) throw malformed(`item at offset ${start} runs past its sequence`);
    return { start, valueStart, valueEnd, end: valueEnd, undefinedLength: false, elements: readElements(bytes, valueStart, valueEnd, explicit, depth) };
  }
  const elements: DicomElement[] = [];
  let offset = valueStart;
  for (;;) {
    if (offset + 8 > limit) throw malformed(`item at offset ${start} has no delimiter`);
    if (readTag(bytes, offset) === ITEM_DELIMITER) {
      return { start, valueStart, valueEnd: offset, end: offset + 8, undefinedLength: true, elements };
    }
    const el = readElement(bytes, offset, limit, explicit, depth);
    elements.push(el);
    offset = el.end;
  }
}

function readDefinedItems(bytes: Buffer, start: number, end: number, explicit: boolean, depth: number): DicomItem[] {
  const items: DicomItem[] = [];
  let offset = start;
  while (offset < end) {
    const item = readItem(bytes, offset, end, explicit, depth);
    items.push(item);
    offset = item.end;
  }
  return items;
}

function readUndefinedSequence(bytes: Buffer, start: number, limit: number, explicit: boolean, depth: number): { items: DicomItem[]; valueEnd: number; end: number } {
  const items: DicomItem[] = [];
  let offset = start;
  for (;;) {
    if (offset + 8 > limit) throw malformed(`sequence at offset ${start} has no delimiter`);
    if (readTag(bytes, offset) === SEQUENCE_DELIMITER) return { items, valueEnd: offset, end: offset + 8 };
    const item = readItem(bytes, offset, limit, explicit, depth);
    items.push(item);
    offset = item.end;
  }
}

/** Walks the fragments of encapsulated pixel data to its sequence delimiter (PS3.5 §A.4). */
function skipFragments(bytes: Buffer, start: number, limit: number): number {
  let offset = start;
  for (;;) {
    if (offset + 8 > limit) throw malformed('encapsulated pixel data has no delimiter');
    const tag = readTag(bytes, offset);
    if (tag === SEQUENCE_DELIMITER) return offset;
    if (tag !== ITEM) throw malformed(`expected a pixel data fragment at offset ${offset}`);
    const length = bytes.readUInt32LE(offset + 4);
    if (length === UNDEFINED || offset + 8 + length > limit) throw malformed(`pixel data fragment at offset ${offset} runs past the end`);
    offset += 8 + length;
  }
}
