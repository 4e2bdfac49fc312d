/**
 * From a checked header to the fields the desk records, with the semantic checks of issue 3:
 * required UIDs present and valid (PS3.5 §9.1: digits and dots, no leading zero in a component,
 * at most 64 characters), a character set dcmjs can decode, no control characters in the
 * identifiers a PACS keys on.
 *
 * Runs inside the header worker. Only top-level elements are read: dcmjs decodes text inside
 * sequences as cp1252 (FIELD-NOTES), and nothing the desk records lives in a sequence.
 */
import dcmjs from 'dcmjs';
import type { Framing } from './framing';
import { Rejection } from './reasons';

export interface InstanceHeader {
  sopClassUID: string;
  sopInstanceUID: string;
  studyInstanceUID: string;
  seriesInstanceUID: string;
  transferSyntaxUID: string;
  specificCharacterSet: string;
  /** DICOM PN alphabetic group as written (components separated by `^`), decoded to Unicode. */
  patientName: string;
  patientID: string;
  patientBirthDate: string;
  patientSex: string;
  accessionNumber: string;
  studyDate: string;
  studyTime: string;
  studyDescription: string;
  modality: string;
  seriesNumber: string;
  seriesDescription: string;
  bodyPartExamined: string;
  instanceNumber: string;
  viewPosition: string;
  laterality: string;
  stationName: string;
  rows: number;
  columns: number;
}

const UID_RE = /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$/;

/** PS3.5 §9.1 UID encoding rules. */
export function isValidUid(uid: string): boolean {
  return uid.length > 0 && uid.length <= 64 && UID_RE.test(uid);
}

/**
 * Single-valued SpecificCharacterSet defined terms (PS3.3 C.12.1.1.2) that dcmjs maps to a
 * decoder. Several values (ISO 2022 code extensions) are refused: dcmjs decodes only the first,
 * which would garble names.
 */
const KNOWN_CHARSETS = new Set([
  'ISO_IR 6',
  'ISO_IR 100',
  'ISO_IR 101',
  'ISO_IR 109',
  'ISO_IR 110',
  'ISO_IR 126',
  'ISO_IR 127',
  'ISO_IR 138',
  'ISO_IR 144',
  'ISO_IR 148',
  'ISO_IR 166',
  'ISO_IR 13',
  'ISO_IR 192',
  'GB18030',
  'GBK',
  'ISO 2022 IR 6',
  'ISO 2022 IR 100',
  'ISO 2022 IR 101',
  'ISO 2022 IR 109',
  'ISO 2022 IR 110',
  'ISO 2022 IR 126',
  'ISO 2022 IR 127',
  'ISO 2022 IR 138',
  'ISO 2022 IR 144',
  'ISO 2022 IR 148',
  'ISO 2022 IR 166',
]);

export function checkCharset(values: readonly string[]): string {
  if (values.length > 1) throw new Rejection('BAD_CHARSET', `several character sets (${values.join('\\').slice(0, 80)})`);
  const v = values[0] ?? '';
  if (v !== '' && !KNOWN_CHARSETS.has(v)) throw new Rejection('BAD_CHARSET', `"${v.slice(0, 40)}"`);
  return v;
}

function str(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) return v.length === 0 ? '' : str(v[0]);
  if (typeof v === 'string') return v.replace(/[\0 ]+$/, '').replace(/^ +/, '');
  if (typeof v === 'number') return String(v);
  return '';
}

function personName(v: unknown): string {
  const first = Array.isArray(v) ? v[0] : v;
  if (first && typeof first === 'object' && 'Alphabetic' in first) return str((first as { Alphabetic?: unknown }).Alphabetic);
  return str(first);
}

function num(v: unknown): number {
  const x = Array.isArray(v) ? v[0] : v;
  return typeof x === 'number' && Number.isFinite(x) ? x : 0;
}

/** Control characters other than ESC (ISO 2022) are not allowed in LO/PN/SH values (PS3.5 §6.2). */
function hasControl(v: string): boolean {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if ((c < 0x20 && c !== 0x1b) || c === 0x7f) return true;
  }
  return false;
}

/**
 * Parses the header bytes (everything before PixelData) and applies the semantic checks.
 * `headerBytes` must be a whole Part-10 prefix: preamble, meta and data set up to PixelData.
 */
export function readHeader(headerBytes: Buffer, framing: Framing): InstanceHeader {
  const charset = checkCharset(framing.specificCharacterSet);
  const { uids } = framing;
  for (const [key, label] of [
    ['studyInstanceUID', 'StudyInstanceUID'],
    ['seriesInstanceUID', 'SeriesInstanceUID'],
    ['sopInstanceUID', 'SOPInstanceUID'],
    ['sopClassUID', 'SOPClassUID'],
  ] as const) {
    const v = uids[key];
    if (v === undefined || v === '') throw new Rejection('MISSING_UID', label);
    if (!isValidUid(v)) throw new Rejection('BAD_UID', `${label} ${v.length > 64 ? `is ${v.length} characters` : 'has invalid characters or a leading zero'}`);
  }

  let dataset: Record<string, unknown>;
  try {
    const ab = headerBytes.buffer.slice(headerBytes.byteOffset, headerBytes.byteOffset + headerBytes.length) as ArrayBuffer;
    const msg = dcmjs.data.DicomMessage.readFile(ab);
    dataset = dcmjs.data.DicomMetaDictionary.naturalizeDataset(msg.dict);
  } catch (e) {
    throw new Rejection('PARSE_ERROR', `dcmjs: ${(e instanceof Error ? e.message : String(e)).slice(0, 120)}`);
  }

  const patientID = str(dataset.PatientID);
  const patientName = personName(dataset.PatientName);
  const accessionNumber = str(dataset.AccessionNumber);
  for (const [label, value] of [
    ['PatientID', patientID],
    ['PatientName', patientName],
    ['AccessionNumber', accessionNumber],
  ] as const) {
    if (hasControl(value)) throw new Rejection('PARSE_ERROR', `${label} contains control characters`);
  }

  return {
    sopClassUID: uids.sopClassUID!,
    sopInstanceUID: uids.sopInstanceUID!,
    studyInstanceUID: uids.studyInstanceUID!,
    seriesInstanceUID: uids.seriesInstanceUID!,
    transferSyntaxUID: framing.syntax.uid,
    specificCharacterSet: charset,
    patientName,
    patientID,
    patientBirthDate: str(dataset.PatientBirthDate),
    patientSex: str(dataset.PatientSex),
    accessionNumber,
    studyDate: str(dataset.StudyDate),
    studyTime: str(dataset.StudyTime),
    studyDescription: str(dataset.StudyDescription),
    modality: str(dataset.Modality),
    seriesNumber: str(dataset.SeriesNumber),
    seriesDescription: str(dataset.SeriesDescription),
    bodyPartExamined: str(dataset.BodyPartExamined),
    instanceNumber: str(dataset.InstanceNumber),
    viewPosition: str(dataset.ViewPosition),
    laterality: str(dataset.ImageLaterality) || str(dataset.Laterality),
    stationName: str(dataset.StationName),
    rows: num(dataset.Rows) || framing.image.rows || 0,
    columns: num(dataset.Columns) || framing.image.columns || 0,
  };
}
