/**
 * Replaces top-level attributes of a Part 10 file by splicing bytes, and records what they were in
 * Original Attributes Sequence (0400,0561) — PS3.3 C.12.1.1.9: one item per modification holding
 * Modified Attributes Sequence (0400,0550) with the old elements, Attribute Modification DateTime,
 * Modifying System, Source of Previous Values and Reason for the Attribute Modification.
 *
 * Everything not replaced is copied byte for byte: sequences, private data, encapsulated pixel
 * data. The one exception is a character set change: when a new value needs characters the file's
 * Specific Character Set lacks, the copy is declared ISO_IR 192 and every non-ASCII text value
 * (PS3.5 §6.1.2.3 VRs), nested ones included, is re-encoded as UTF-8 — or the edit is refused with
 * the tag of the first value that cannot be decoded. Items that carry their own Specific Character
 * Set keep their bytes (PS3.5 §6.1.2.5.1: the item's set applies inside it).
 *
 * Private data elements whose VR an implicit-VR file does not say are opaque and copied as is.
 */
import { DeskError } from '../../../shared/errors';
import { CHARSET_TEXT_VRS } from './vr';
import { UTF8_TERM, charsetTerms, decodeText, isAscii } from './charset';
import { readP10Structure, tagString, type DicomElement, type DicomItem, type P10Structure } from './p10-structure';
import { encodeElement, encodeItem, encodeSequence, padValue, reencodeElement, reencodeItem } from './element-bytes';
import { checkNewValue } from './value-rules';

export const TAGS = {
  SpecificCharacterSet: 0x00080005,
  SOPClassUID: 0x00080016,
  SOPInstanceUID: 0x00080018,
  StudyDate: 0x00080020,
  StudyTime: 0x00080030,
  AccessionNumber: 0x00080050,
  Modality: 0x00080060,
  ReferringPhysicianName: 0x00080090,
  StudyDescription: 0x00081030,
  PatientName: 0x00100010,
  PatientID: 0x00100020,
  PatientBirthDate: 0x00100030,
  PatientSex: 0x00100040,
  StudyInstanceUID: 0x0020000d,
  SeriesInstanceUID: 0x0020000e,
  StudyID: 0x00200010,
  RequestedProcedureDescription: 0x00321060,
  ModifiedAttributesSequence: 0x04000550,
  OriginalAttributesSequence: 0x04000561,
  AttributeModificationDateTime: 0x04000562,
  ModifyingSystem: 0x04000563,
  SourceOfPreviousValues: 0x04000564,
  ReasonForTheAttributeModification: 0x04000565,
  MediaStorageSOPInstanceUID: 0x00020003,
  FileMetaInformationGroupLength: 0x00020000,
} as const;

export interface NewValue {
  readonly tag: number;
  /** DICOM keyword, for messages and the preview table. */
  readonly keyword: string;
  readonly vr: 'PN' | 'LO' | 'SH' | 'CS' | 'DA' | 'TM' | 'UI';
  /** '' writes the element present and empty (type 2). */
  readonly value: string;
}

export interface PlannedChange {
  readonly tag: number;
  readonly keyword: string;
  /** The decoded old value, trailing padding removed; null when the element is absent. */
  readonly old: string | null;
  readonly new: string;
}

export interface EditPlan {
  readonly structure: P10Structure;
  /** The values that differ from what the file holds, in tag order. */
  readonly changes: readonly PlannedChange[];
  /** Set when the copy must become ISO_IR 192; `from` is the old value ('' for the default repertoire). */
  readonly charsetChange: { readonly from: string } | null;
  readonly values: readonly NewValue[];
}

/** Why the attributes were changed (PS3.3 C.12.1.1.9.2, Reason for the Attribute Modification). */
export type ModificationReason = 'COERCE' | 'CORRECT';

export interface OriginalAttributesRecord {
  readonly reason: ModificationReason;
  readonly modifyingSystem: string;
  /** DICOM DT, e.g. 20260115080000+0000. */
  readonly modifiedAt: string;
}

function trimValue(s: string): string {
  return s.replace(/[\0 ]+$/, '');
}

function topLevel(s: P10Structure, tag: number): DicomElement | undefined {
  return s.dataset.find((e) => e.tag === tag);
}

function rawValue(s: P10Structure, el: DicomElement): Buffer {
  return s.bytes.subarray(el.valueStart, el.valueEnd);
}

/** The file's Specific Character Set terms ([] for the default repertoire). */
export function fileCharsetTerms(s: P10Structure): string[] {
  const el = topLevel(s, TAGS.SpecificCharacterSet);
  return el ? charsetTerms(rawValue(s, el).toString('latin1')) : [];
}

/**
 * A top-level value as text, trailing padding removed; null when absent. A value the file's
 * character set cannot decode is shown byte for byte as Latin-1 rather than hidden.
 */
export function readTopLevelText(s: P10Structure, tag: number): string | null {
  const el = topLevel(s, tag);
  if (!el) return null;
  const raw = rawValue(s, el);
  return trimValue(decodeText(raw, fileCharsetTerms(s)) ?? raw.toString('latin1'));
}

/** Works out what an edit changes and whether it can be done, without building the copy. */
export function planTopLevelEdit(bytes: Buffer, values: readonly NewValue[]): EditPlan {
  for (const v of values) checkNewValue(v.keyword, v.vr, v.value);
  const structure = readP10Structure(bytes);
  const changes: PlannedChange[] = [];
  for (const v of [...values].sort((a, b) => a.tag - b.tag)) {
    const old = readTopLevelText(structure, v.tag);
    if (old !== v.value) changes.push({ tag: v.tag, keyword: v.keyword, old, new: v.value });
  }
  const terms = fileCharsetTerms(structure);
  const needsUtf8 = changes.some((c) => !isAscii(Buffer.from(c.new, 'utf8')));
  const isUtf8 = terms.length === 1 && terms[0] === UTF8_TERM;
  let charsetChange: EditPlan['charsetChange'] = null;
  if (needsUtf8 && !isUtf8) {
    assertTranscodable(structure.bytes, structure.dataset, terms);
    const el = topLevel(structure, TAGS.SpecificCharacterSet);
    charsetChange = { from: el ? trimValue(rawValue(structure, el).toString('latin1')) : '' };
  }
  return { structure, changes, charsetChange, values };
}

function ownCharset(item: DicomItem): boolean {
  return item.elements.some((e) => e.tag === TAGS.SpecificCharacterSet);
}

function assertTranscodable(bytes: Buffer, elements: readonly DicomElement[], terms: readonly string[]): void {
  for (const el of elements) {
    if (el.items) {
      for (const item of el.items) if (!ownCharset(item)) assertTranscodable(bytes, item.elements, terms);
    } else if (CHARSET_TEXT_VRS.has(el.vr)) {
      const raw = bytes.subarray(el.valueStart, el.valueEnd);
      if (!isAscii(raw) && decodeText(raw, terms) === undefined) {
        throw new DeskError('DICOM_EDIT_CHARSET', { tag: tagString(el.tag), charset: terms.join('\\') || 'ISO_IR 6' });
      }
    }
  }
}

/**
 * The element as it goes into the copy: its own bytes, or — when the copy is being transcoded to
 * UTF-8 — with every non-ASCII text value below it re-encoded and the lengths above it fixed.
 */
function copyElement(bytes: Buffer, el: DicomElement, explicit: boolean, fromTerms: readonly string[] | null): Buffer {
  if (!fromTerms) return bytes.subarray(el.start, el.end);
  if (el.items) {
    const inner = el.implicitInside ? false : explicit;
    const items = el.items.map((item) =>
      ownCharset(item)
        ? bytes.subarray(item.start, item.end)
        : reencodeItem(bytes, item, Buffer.concat(item.elements.map((e) => copyElement(bytes, e, inner, fromTerms)))),
    );
    return reencodeElement(bytes, el, Buffer.concat(items), explicit);
  }
  const raw = bytes.subarray(el.valueStart, el.valueEnd);
  if (!CHARSET_TEXT_VRS.has(el.vr) || isAscii(raw)) return bytes.subarray(el.start, el.end);
  const text = decodeText(raw, fromTerms);
  if (text === undefined) throw new DeskError('DICOM_EDIT_CHARSET', { tag: tagString(el.tag), charset: fromTerms.join('\\') || 'ISO_IR 6' });
  return reencodeElement(bytes, el, padValue(Buffer.from(text, 'utf8'), el.vr), explicit);
}

function ascii(value: string, vr: string): Buffer {
  return padValue(Buffer.from(value, 'latin1'), vr);
}

/**
 * Builds the corrected copy. With `record`, the old values go into a new item of Original
 * Attributes Sequence (appended to one the file already has). Returns null when nothing changes.
 */
export function applyTopLevelEdit(plan: EditPlan, record?: OriginalAttributesRecord): Buffer | null {
  if (plan.changes.length === 0) return null;
  const s = plan.structure;
  const { bytes, explicitVR: explicit } = s;
  const fromTerms = plan.charsetChange ? fileCharsetTerms(s) : null;
  const utf8 = plan.charsetChange !== null || (fileCharsetTerms(s).length === 1 && fileCharsetTerms(s)[0] === UTF8_TERM);

  const replacements = new Map<number, Buffer>();
  for (const c of plan.changes) {
    const v = plan.values.find((x) => x.tag === c.tag) as NewValue;
    const value = padValue(Buffer.from(v.value, utf8 ? 'utf8' : 'latin1'), v.vr);
    replacements.set(c.tag, encodeElement(c.tag, v.vr, value, explicit));
  }
  if (plan.charsetChange) replacements.set(TAGS.SpecificCharacterSet, encodeElement(TAGS.SpecificCharacterSet, 'CS', ascii(UTF8_TERM, 'CS'), explicit));

  if (record) {
    const oldElements: Buffer[] = [];
    const changedTags = [...plan.changes.map((c) => c.tag), ...(plan.charsetChange ? [TAGS.SpecificCharacterSet] : [])].sort((a, b) => a - b);
    for (const tag of changedTags) {
      const old = topLevel(s, tag);
      // An attribute the file did not have was added, not modified: nothing old to keep.
      if (old) oldElements.push(copyElement(bytes, old, explicit, fromTerms));
    }
    const item = encodeItem([
      encodeSequence(TAGS.ModifiedAttributesSequence, [encodeItem(oldElements)], explicit),
      encodeElement(TAGS.AttributeModificationDateTime, 'DT', ascii(record.modifiedAt, 'DT'), explicit),
      encodeElement(TAGS.ModifyingSystem, 'LO', padValue(Buffer.from(record.modifyingSystem, utf8 ? 'utf8' : 'latin1'), 'LO'), explicit),
      encodeElement(TAGS.SourceOfPreviousValues, 'LO', Buffer.alloc(0), explicit),
      encodeElement(TAGS.ReasonForTheAttributeModification, 'CS', ascii(record.reason, 'CS'), explicit),
    ]);
    const existing = topLevel(s, TAGS.OriginalAttributesSequence);
    const previousItems = existing?.items
      ? existing.items.map((it) =>
          ownCharset(it) || !fromTerms
            ? bytes.subarray(it.start, it.end)
            : reencodeItem(bytes, it, Buffer.concat(it.elements.map((e) => copyElement(bytes, e, explicit, fromTerms)))),
        )
      : [];
    replacements.set(TAGS.OriginalAttributesSequence, encodeSequence(TAGS.OriginalAttributesSequence, [...previousItems, item], explicit));
  }

  const out: Buffer[] = [bytes.subarray(0, 132), rebuildMeta(plan)];
  const pending = [...replacements.keys()].sort((a, b) => a - b);
  for (const el of s.dataset) {
    while (pending.length > 0 && (pending[0] as number) < el.tag) out.push(replacements.get(pending.shift() as number) as Buffer);
    if (pending[0] === el.tag) out.push(replacements.get(pending.shift() as number) as Buffer);
    else out.push(copyElement(bytes, el, explicit, fromTerms));
  }
  for (const tag of pending) out.push(replacements.get(tag) as Buffer);
  return Buffer.concat(out);
}

/** File Meta Information follows a new SOPInstanceUID (PS3.10 §7.1), with its group length recomputed. */
function rebuildMeta(plan: EditPlan): Buffer {
  const s = plan.structure;
  const sop = plan.changes.find((c) => c.tag === TAGS.SOPInstanceUID);
  if (!sop) return s.bytes.subarray(132, s.metaEnd);
  const body = s.meta
    .filter((e) => e.tag !== TAGS.FileMetaInformationGroupLength)
    .map((e) =>
      e.tag === TAGS.MediaStorageSOPInstanceUID ? encodeElement(e.tag, 'UI', ascii(sop.new, 'UI'), true) : s.bytes.subarray(e.start, e.end),
    );
  const length = Buffer.alloc(4);
  length.writeUInt32LE(body.reduce((n, b) => n + b.length, 0), 0);
  return Buffer.concat([encodeElement(TAGS.FileMetaInformationGroupLength, 'UL', length, true), ...body]);
}
