/**
 * Contract slice: ingest from the modality (export folder + C-STORE), the quarantine, and the
 * local study list the Inbox shows. The automation API uses exactly these names (issue 3).
 */
import { z } from 'zod';
import { method } from './define';

/** Why a file was quarantined: exactly one of these per file (issue 3). */
export const QUARANTINE_REASONS = [
  'NOT_DICOM',
  'INCOMPLETE',
  'OVERSIZE_ELEMENT',
  'NESTING',
  'BAD_CHARSET',
  'MISSING_UID',
  'BAD_UID',
  'NO_PIXELDATA',
  'PIXEL_LENGTH_MISMATCH',
  'PARSE_ERROR',
  'CONFLICT',
] as const;
export type QuarantineReason = (typeof QUARANTINE_REASONS)[number];

/**
 * Where a study stands, derived from its outbox rows, QA decisions and visit
 * (electron/services/store/study-state.ts; rejected images do not count):
 * new → just arrived, no visit yet; needs-visit → waiting for the operator to attach a visit;
 * needs-review → with review.requireQa, attached or released but an image is not yet accepted or
 * rejected, so nothing goes; ready → attached or released, held; sending → on its way to the PACS;
 * in-pacs → every image acknowledged by the PACS; error → an image failed permanently.
 */
export const STUDY_STATES = ['new', 'needs-visit', 'needs-review', 'ready', 'sending', 'in-pacs', 'error', 'all-rejected'] as const;
export type StudyState = (typeof STUDY_STATES)[number];

const empty = z.object({}).strict();
const uid = z.string().min(1).max(64);
/** DICOM DA (YYYYMMDD) or ISO (YYYY-MM-DD); normalised to YYYYMMDD. */
const dicomDate = z
  .string()
  .regex(/^\d{4}-?\d{2}-?\d{2}$/, 'date: YYYYMMDD or YYYY-MM-DD')
  .transform((s) => s.replace(/-/g, ''));

export const ingestSummarySchema = z.object({
  received: z.number().int(),
  accepted: z.number().int(),
  duplicates: z.number().int(),
  quarantined: z.number().int(),
  /** Files seen but not finished: still being written, waiting to be stable, or in the pipeline. */
  inProgress: z.number().int(),
});
export type IngestSummary = z.output<typeof ingestSummarySchema>;

export const quarantineItemSchema = z.object({
  id: z.string(),
  /** The file name as received (folder) or the calling AE title (C-STORE). Never a path. */
  originalName: z.string(),
  reason: z.enum(QUARANTINE_REASONS),
  /** "Vietnamese / English". */
  message: z.string(),
  receivedAt: z.number().int(),
  size: z.number().int(),
  sha256: z.string(),
  /** For CONFLICT: the SOPInstanceUID already held with other bytes. */
  sopInstanceUID: z.string().nullable(),
  /** Set once a retry accepted the file; the quarantined bytes are kept regardless. */
  resolvedAt: z.number().int().nullable(),
});
export type QuarantineItem = z.output<typeof quarantineItemSchema>;

export const studyListItemSchema = z.object({
  studyInstanceUID: z.string(),
  /** For display: PN components joined with spaces, diacritics exactly as received. */
  patientName: z.string(),
  /** The PN value as written in the file (components separated by `^`). */
  patientNameDicom: z.string(),
  patientID: z.string(),
  patientBirthDate: z.string(),
  patientSex: z.string(),
  accessionNumber: z.string(),
  /** DICOM DA, YYYYMMDD. */
  studyDate: z.string(),
  /** DICOM TM, HHMMSS(.ffffff). */
  studyTime: z.string(),
  studyDescription: z.string(),
  modality: z.string(),
  instanceCount: z.number().int(),
  seriesCount: z.number().int(),
  state: z.enum(STUDY_STATES),
  visitId: z.string().nullable(),
  firstReceivedAt: z.number().int(),
  lastReceivedAt: z.number().int(),
});
export type StudyListItem = z.output<typeof studyListItemSchema>;

export const instanceItemSchema = z.object({
  sopInstanceUID: z.string(),
  sopClassUID: z.string(),
  instanceNumber: z.string(),
  viewPosition: z.string(),
  laterality: z.string(),
  stationName: z.string(),
  rows: z.number().int(),
  columns: z.number().int(),
  transferSyntaxUID: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  source: z.enum(['folder', 'scp']),
  receivedAt: z.number().int(),
  outboxStatus: z.enum(['held', 'pending', 'sending', 'sent', 'verified', 'failed', 'purged']),
});

export const seriesItemSchema = z.object({
  seriesInstanceUID: z.string(),
  modality: z.string(),
  seriesNumber: z.string(),
  seriesDescription: z.string(),
  bodyPartExamined: z.string(),
  instances: z.array(instanceItemSchema),
});

export const studyDetailSchema = studyListItemSchema.extend({ series: z.array(seriesItemSchema) });
export type StudyDetail = z.output<typeof studyDetailSchema>;

export const ingestMethods = {
  'ingest.summary': method({ input: empty, output: ingestSummarySchema }),
  'quarantine.list': method({
    input: z.strictObject({
      includeResolved: z.boolean().default(false),
      limit: z.number().int().min(1).max(5000).default(1000),
    }),
    output: z.object({ items: z.array(quarantineItemSchema) }),
  }),
  /** Runs the quarantined file through the pipeline again (e.g. after the conflicting image was removed). */
  'quarantine.retry': method({
    input: z.strictObject({ id: z.string().min(1) }),
    output: z.object({
      outcome: z.enum(['accepted', 'duplicate', 'quarantined']),
      reason: z.enum(QUARANTINE_REASONS).nullable(),
      studyInstanceUID: z.string().nullable(),
    }),
    audit: 'patient',
  }),
  /** Copies the quarantined bytes out (for the vendor or a DICOM tool); the quarantine keeps its copy. */
  'quarantine.export': method({
    input: z.strictObject({ id: z.string().min(1), toDir: z.string().min(1) }),
    output: z.object({ path: z.string() }),
    audit: 'patient',
  }),
  // The inbox list: called on every arrival and keystroke, so not audited (it would drown the
  // audit log); opening one study (studies.get) is the audited read of patient data.
  'studies.list': method({
    input: z.strictObject({
      /** Accent- and case-insensitive; every word must match the name, PatientID or accession. */
      text: z.string().max(200).optional(),
      dateFrom: dicomDate.optional(),
      dateTo: dicomDate.optional(),
      state: z.enum(STUDY_STATES).optional(),
      limit: z.number().int().min(1).max(1000).default(100),
      offset: z.number().int().min(0).default(0),
    }),
    output: z.object({ items: z.array(studyListItemSchema), total: z.number().int() }),
  }),
  'studies.get': method({
    input: z.strictObject({ studyInstanceUID: uid }),
    output: studyDetailSchema,
    audit: 'patient',
  }),
} as const;

export const ingestEvents = {
  /** One per pipeline step of a file, with the running counts for the Inbox progress bar. */
  'ingest.progress': z.object({
    stage: z.enum(['waiting', 'checking', 'accepted', 'duplicate', 'quarantined', 'skipped', 'failed']),
    source: z.enum(['folder', 'scp']),
    /** File name (folder) or calling AE (C-STORE), for display only. */
    name: z.string(),
    studyInstanceUID: z.string().nullable(),
    reason: z.enum(QUARANTINE_REASONS).nullable(),
    counts: ingestSummarySchema,
  }),
  'studies.changed': z.object({ studyInstanceUIDs: z.array(z.string()) }),
} as const;
