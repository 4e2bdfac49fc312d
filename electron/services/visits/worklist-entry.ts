/**
 * The worklist query the desk sends and what it makes of each answer (PS3.4 K.6.1.2, Table K.6-1:
 * Scheduled Procedure Step, Requested Procedure, Imaging Service Request, Patient attributes).
 *
 * Two field-measured quirks (FIELD-NOTES):
 *  - `PregnancyStatus` must be in the query as null: dcmjs-dimse otherwise sends 0, and the SCP
 *    matches nothing against it.
 *  - dcmjs decodes text inside sequences as windows-1252 whatever the Specific Character Set. For
 *    ISO_IR 192 answers every string inside a sequence is re-decoded from its original bytes as
 *    UTF-8 (`redecodeCp1252AsUtf8`); top-level text is decoded correctly and left alone.
 */
import { createHash } from 'node:crypto';
import { redecodeCp1252AsUtf8, charsetTerms, UTF8_TERM } from '../dicom-edit';
import { fromDicomDateTime } from './local-day';
import type { WorklistMatch, WorklistSettings } from './worklist-scu';

export interface WorklistEntry {
  /** Stable key of one scheduled step of one order: the visit id. */
  readonly visitId: string;
  readonly accessionNumber: string;
  readonly patientID: string;
  readonly patientName: string;
  readonly birthDate: string;
  readonly sex: '' | 'M' | 'F' | 'O';
  readonly phone: string;
  readonly studyInstanceUID: string;
  readonly procedureCode: string;
  readonly procedureName: string;
  readonly referringPhysician: string;
  readonly scheduledAt: number | null;
  readonly stationAET: string;
  /** The step's Modality (0008,0060): with the station, what tells which query an order answers (worklist-withdrawal.ts). */
  readonly modality: string;
}

/** The C-FIND identifier: filters on date, modality and station; every other key asked to be returned. */
export function worklistQuery(cfg: WorklistSettings, day: string): Record<string, unknown> {
  return {
    SpecificCharacterSet: '',
    AccessionNumber: '',
    ReferringPhysicianName: '',
    PatientName: '',
    PatientID: '',
    PatientBirthDate: '',
    PatientSex: '',
    PatientTelephoneNumbers: '',
    PregnancyStatus: null,
    StudyInstanceUID: '',
    RequestedProcedureID: '',
    RequestedProcedureDescription: '',
    RequestedProcedureCodeSequence: [{ CodeValue: '', CodingSchemeDesignator: '', CodeMeaning: '' }],
    RequestingPhysician: '',
    ScheduledProcedureStepSequence: [
      {
        Modality: cfg.modality,
        ScheduledStationAETitle: cfg.stationAet,
        ScheduledProcedureStepStartDate: day,
        ScheduledProcedureStepStartTime: '',
        ScheduledProcedureStepID: '',
        ScheduledProcedureStepDescription: '',
        ScheduledProtocolCodeSequence: [{ CodeValue: '', CodingSchemeDesignator: '', CodeMeaning: '' }],
      },
    ],
  };
}

type Natural = Record<string, unknown>;

/** Re-decodes every string below the top level (sequence items, recursively). */
function repairSequences(ds: Natural): Natural {
  const fixValue = (v: unknown): unknown => {
    if (typeof v === 'string') return redecodeCp1252AsUtf8(v);
    if (Array.isArray(v)) return v.map(fixValue);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fixValue(x)]));
    return v;
  };
  const isSequence = (v: unknown) => Array.isArray(v) && v.some((x) => x && typeof x === 'object' && !isPersonName(x as Natural));
  return Object.fromEntries(Object.entries(ds).map(([k, v]) => [k, isSequence(v) ? fixValue(v) : v]));
}

/** dcmjs's naturalized PN value: { Alphabetic, Ideographic?, Phonetic? }. */
function isPersonName(x: Natural): boolean {
  const keys = Object.keys(x);
  return keys.length > 0 && keys.every((k) => k === 'Alphabetic' || k === 'Ideographic' || k === 'Phonetic');
}

function text(v: unknown): string {
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return text(v[0]);
  if (v && typeof v === 'object' && 'Alphabetic' in v) return text((v as { Alphabetic: unknown }).Alphabetic);
  return '';
}

function items(v: unknown): Natural[] {
  return Array.isArray(v) ? v.filter((x): x is Natural => !!x && typeof x === 'object') : [];
}

function sexOf(v: string): WorklistEntry['sex'] {
  return v === 'M' || v === 'F' || v === 'O' ? v : '';
}

/**
 * Keyed by AccessionNumber and scheduled step, so a refresh updates the visit it made before (a
 * corrected name, a new time). Without an accession the order is known by its study and patient.
 */
function visitIdOf(accession: string, requestedProcedureID: string, spsID: string, studyUID: string, patientID: string): string {
  const key = accession !== '' ? ['acc', accession, requestedProcedureID, spsID] : ['uid', studyUID, patientID, requestedProcedureID, spsID];
  return `wl-${createHash('sha256').update(JSON.stringify(key)).digest('hex').slice(0, 32)}`;
}

/** One entry per Scheduled Procedure Step item of the answer. */
export function entriesOf(match: WorklistMatch): WorklistEntry[] {
  const terms = charsetTerms(text(match.SpecificCharacterSet));
  const ds = terms.length === 1 && terms[0] === UTF8_TERM ? repairSequences(match) : match;
  const code = items(ds.RequestedProcedureCodeSequence)[0] ?? {};
  const base = {
    accessionNumber: text(ds.AccessionNumber),
    patientID: text(ds.PatientID),
    patientName: text(ds.PatientName),
    birthDate: /^(\d{8}|\d{4})$/.test(text(ds.PatientBirthDate)) ? text(ds.PatientBirthDate) : '',
    sex: sexOf(text(ds.PatientSex)),
    phone: text(ds.PatientTelephoneNumbers),
    studyInstanceUID: text(ds.StudyInstanceUID),
    referringPhysician: text(ds.ReferringPhysicianName) || text(ds.RequestingPhysician),
  };
  const requestedProcedureID = text(ds.RequestedProcedureID);
  const steps = items(ds.ScheduledProcedureStepSequence);
  return (steps.length > 0 ? steps : [{}]).map((sps) => {
    const protocol = items(sps.ScheduledProtocolCodeSequence)[0] ?? {};
    const spsID = text(sps.ScheduledProcedureStepID);
    return {
      ...base,
      visitId: visitIdOf(base.accessionNumber, requestedProcedureID, spsID, base.studyInstanceUID, base.patientID),
      procedureCode: text(code.CodeValue) || text(protocol.CodeValue),
      procedureName: text(ds.RequestedProcedureDescription) || text(code.CodeMeaning) || text(sps.ScheduledProcedureStepDescription) || text(protocol.CodeMeaning),
      scheduledAt: fromDicomDateTime(text(sps.ScheduledProcedureStepStartDate), text(sps.ScheduledProcedureStepStartTime)),
      stationAET: text(sps.ScheduledStationAETitle),
      modality: text(sps.Modality),
    };
  });
}
