/**
 * The IHE IOCM rejection note (RAD TF-2 "Rejection Note Stored", PS3.3 A.35.4 Key Object
 * Selection Document IOD, TID 2010) for instances that reached the PACS under the wrong visit:
 * title (113038, DCM, "Incorrect Modality Worklist Entry"), every rejected instance in Current
 * Requested Procedure Evidence Sequence and as an IMAGE content item. It belongs to the study and
 * patient it rejects instances of, so its identity is theirs, read from the copy that was sent.
 *
 * dcmjs builds the structure (ASCII only: codes and UIDs); the identity text — possibly
 * Vietnamese — is then set by the byte patcher at the top level, never inside a sequence dcmjs
 * would have to read back (FIELD-NOTES: dcmjs mis-decodes text in sequences).
 */
import dcmjs from 'dcmjs';
import {
  TAGS,
  applyTopLevelEdit,
  checkNewValue,
  planTopLevelEdit,
  readTopLevelText,
  type NewValue,
  type P10Structure,
} from '../dicom-edit';
import { localDicomDate, localDicomTime } from './local-day';

export const KOS_SOP_CLASS = '1.2.840.10008.5.1.4.1.1.88.59';
export const REJECTION_TITLE = { CodeValue: '113038', CodingSchemeDesignator: 'DCM', CodeMeaning: 'Incorrect Modality Worklist Entry' } as const;
const EXPLICIT_VR_LE = '1.2.840.10008.1.2.1';
/** PS3.5 §B.2 root of the desk's UUID-derived UIDs; also its implementation class. */
const IMPLEMENTATION_CLASS_UID = '2.25.157315925283017392634209125306497618243';

interface DcmjsWriter {
  DicomDict: new (meta: Record<string, unknown>) => { dict: Record<string, unknown>; write(): ArrayBuffer };
  DicomMetaDictionary: { denaturalizeDataset(natural: Record<string, unknown>): Record<string, unknown> };
}
// The ingest's declaration of dcmjs covers reading only; these two writer entry points are dcmjs 0.52's.
const writer = dcmjs.data as unknown as DcmjsWriter;

export interface RejectedInstance {
  readonly sopClassUID: string;
  readonly sopInstanceUID: string;
  readonly seriesInstanceUID: string;
}

export interface RejectionNoteInput {
  /** A copy of one rejected instance as the PACS has it: the note takes its patient and study. */
  readonly sentCopy: P10Structure;
  readonly studyInstanceUID: string;
  readonly rejected: readonly RejectedInstance[];
  readonly sopInstanceUID: string;
  readonly seriesInstanceUID: string;
  readonly now: number;
  readonly manufacturer: string;
}

/** The identity and study attributes the note copies, with what to fall back to when an old value breaks the VR's rules. */
const COPIED: readonly (Omit<NewValue, 'value'> & { required: boolean })[] = [
  { tag: TAGS.PatientName, keyword: 'PatientName', vr: 'PN', required: true },
  { tag: TAGS.PatientID, keyword: 'PatientID', vr: 'LO', required: true },
  { tag: TAGS.PatientBirthDate, keyword: 'PatientBirthDate', vr: 'DA', required: false },
  { tag: TAGS.PatientSex, keyword: 'PatientSex', vr: 'CS', required: false },
  { tag: TAGS.AccessionNumber, keyword: 'AccessionNumber', vr: 'SH', required: false },
  { tag: TAGS.ReferringPhysicianName, keyword: 'ReferringPhysicianName', vr: 'PN', required: false },
  { tag: TAGS.StudyDate, keyword: 'StudyDate', vr: 'DA', required: false },
  { tag: TAGS.StudyTime, keyword: 'StudyTime', vr: 'TM', required: false },
  { tag: TAGS.StudyID, keyword: 'StudyID', vr: 'SH', required: false },
];

function copiedValues(sent: P10Structure): NewValue[] {
  return COPIED.map(({ required, ...spec }) => {
    const value = readTopLevelText(sent, spec.tag) ?? '';
    try {
      checkNewValue(spec.keyword, spec.vr, value);
      return { ...spec, value };
    } catch (e) {
      if (required) throw e;
      return { ...spec, value: '' };
    }
  });
}

export function buildRejectionNote(input: RejectionNoteInput): Buffer {
  const bySeries = new Map<string, RejectedInstance[]>();
  for (const r of input.rejected) bySeries.set(r.seriesInstanceUID, [...(bySeries.get(r.seriesInstanceUID) ?? []), r]);
  const sopRef = (r: RejectedInstance) => ({ ReferencedSOPClassUID: r.sopClassUID, ReferencedSOPInstanceUID: r.sopInstanceUID });
  const natural: Record<string, unknown> = {
    SpecificCharacterSet: 'ISO_IR 192',
    SOPClassUID: KOS_SOP_CLASS,
    SOPInstanceUID: input.sopInstanceUID,
    StudyDate: '',
    ContentDate: localDicomDate(input.now),
    StudyTime: '',
    ContentTime: localDicomTime(input.now),
    AccessionNumber: '',
    Modality: 'KO',
    Manufacturer: input.manufacturer,
    ReferringPhysicianName: '',
    SeriesDescription: 'IOCM rejection note',
    ReferencedPerformedProcedureStepSequence: [],
    PatientName: '',
    PatientID: '',
    PatientBirthDate: '',
    PatientSex: '',
    StudyInstanceUID: input.studyInstanceUID,
    SeriesInstanceUID: input.seriesInstanceUID,
    StudyID: '',
    SeriesNumber: '999',
    InstanceNumber: '1',
    ValueType: 'CONTAINER',
    ConceptNameCodeSequence: [{ ...REJECTION_TITLE }],
    ContinuityOfContent: 'SEPARATE',
    CurrentRequestedProcedureEvidenceSequence: [
      {
        StudyInstanceUID: input.studyInstanceUID,
        ReferencedSeriesSequence: [...bySeries].map(([series, refs]) => ({ SeriesInstanceUID: series, ReferencedSOPSequence: refs.map(sopRef) })),
      },
    ],
    ContentTemplateSequence: [{ MappingResource: 'DCMR', TemplateIdentifier: '2010' }],
    ContentSequence: input.rejected.map((r) => ({ RelationshipType: 'CONTAINS', ValueType: 'IMAGE', ReferencedSOPSequence: [sopRef(r)] })),
  };
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: KOS_SOP_CLASS,
    MediaStorageSOPInstanceUID: input.sopInstanceUID,
    TransferSyntaxUID: EXPLICIT_VR_LE,
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: 'RADDESK',
  };
  const dict = new writer.DicomDict(writer.DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = writer.DicomMetaDictionary.denaturalizeDataset(natural);
  const skeleton = Buffer.from(dict.write());
  return applyTopLevelEdit(planTopLevelEdit(skeleton, copiedValues(input.sentCopy))) ?? skeleton;
}
