/**
 * Contract slice: patient visits — from the Modality Worklist (DICOM C-FIND, PS3.4 Annex K) or
 * entered at the desk (walk-ins) — and putting each study under the right one.
 *
 * Attaching writes a corrected copy of each image before it is first sent (identity from the
 * visit, old values kept in Original Attributes Sequence, PS3.3 C.12.1.1.9). After an image has
 * reached the PACS, a correction sends copies with new SOP Instance UIDs plus an IHE IOCM
 * rejection note (Key Object Selection, 113038 "Incorrect Modality Worklist Entry") for the old
 * ones. Every method that changes which patient an image belongs to is audited ('patient').
 */
import { z } from 'zod';
import { method } from './define';

const empty = z.object({}).strict();
const id = z.string().min(1).max(64);
const uid = z.string().regex(/^[0-9.]{1,64}$/, 'UID: chữ số và dấu chấm, tối đa 64 ký tự / UID: digits and dots, at most 64 characters');
const uids = z.array(uid).min(1).max(200);
// eslint-disable-next-line no-control-regex -- control characters and the DICOM value separator are refused
const dicomText = (max: number) => z.string().trim().max(max).regex(/^[^\u0000-\u001f\u007f\\]*$/, 'Không được chứa ký tự \\ hay ký tự điều khiển / No \\ or control characters');

/** DICOM DA (YYYYMMDD) or a year alone, as the desk records birth dates (PS3.5 §6.2). */
export const birthDateSchema = z
  .string()
  .regex(/^(\d{4}|\d{8})$/, 'Ngày sinh: YYYYMMDD hoặc YYYY / Birth date: YYYYMMDD or YYYY')
  .refine((s) => {
    if (s.length === 4) return true;
    const d = new Date(Date.UTC(Number(s.slice(0, 4)), Number(s.slice(4, 6)) - 1, Number(s.slice(6, 8))));
    return d.getUTCFullYear() === Number(s.slice(0, 4)) && d.getUTCMonth() + 1 === Number(s.slice(4, 6)) && d.getUTCDate() === Number(s.slice(6, 8));
  }, 'Ngày sinh không tồn tại / No such date');

export const payerSchema = z.enum(['BHYT', 'SERVICE', 'CONTRACT']);
export const visitSourceSchema = z.enum(['worklist', 'walk-in']);

/**
 * Images of the visit as the PACS queue sees them: none attached; waiting for release (held);
 * queued or being sent; all in the PACS; at least one failed permanently.
 */
export const imageStatusSchema = z.enum(['none', 'waiting', 'sending', 'sent', 'failed']);
/** The visit's latest result slip (none printed, active, past its expiry, revoked). */
export const slipStatusSchema = z.enum(['none', 'active', 'expired', 'revoked']);
/** Film issued against the no-film default: none, recorded, or a special case awaiting approval. */
export const filmStatusSchema = z.enum(['none', 'film-issued', 'pending-approval']);

export const visitSummarySchema = z.object({
  id: z.string(),
  visitNumber: z.string(),
  patientID: z.string(),
  patientName: z.string(),
  /** YYYYMMDD, YYYY or ''. */
  birthDate: z.string(),
  sex: z.enum(['', 'M', 'F', 'O']),
  accessionNumber: z.string(),
  procedureCode: z.string(),
  procedureName: z.string(),
  payer: z.enum(['', 'BHYT', 'SERVICE', 'CONTRACT']),
  contractName: z.string(),
  /** Epoch ms; a walk-in's is when it was entered. */
  scheduledAt: z.number().int().nullable(),
  source: visitSourceSchema,
  /** The PatientID was generated at the desk and awaits reconciliation with the real one. */
  temporaryPatientID: z.boolean(),
  studyCount: z.number().int(),
  imageStatus: imageStatusSchema,
  slipStatus: slipStatusSchema,
  filmStatus: filmStatusSchema,
  /** A walk-in reconciled into another visit: its images moved there. */
  reconciledTo: z.string().nullable(),
  /**
   * Epoch ms when the order left the worklist (cancelled by the RIS/HIS); null while it is on it.
   * Listed only when studies are attached (or with `includeWithdrawn`); no longer a target for images.
   */
  withdrawnAt: z.number().int().nullable(),
});
export type VisitSummary = z.output<typeof visitSummarySchema>;

export const visitStudySchema = z.object({
  studyInstanceUID: z.string(),
  studyDate: z.string(),
  studyDescription: z.string(),
  modality: z.string(),
  /** Images of the study (corrected copies count once; rejection notes not at all). */
  instanceCount: z.number().int(),
  imageStatus: imageStatusSchema,
});

export const visitDetailSchema = visitSummarySchema.extend({
  phone: z.string(),
  referringPhysician: z.string(),
  stationAET: z.string(),
  studyInstanceUIDOrdered: z.string(),
  createdAt: z.number().int(),
  studies: z.array(visitStudySchema),
});
export type VisitDetail = z.output<typeof visitDetailSchema>;

/** One row of "what attaching will change": a top-level attribute, old value(s) → new. */
export const tagChangeSchema = z.object({
  /** "(0010,0010)". */
  tag: z.string(),
  keyword: z.string(),
  /** Distinct old values across the study's images; [] when the attribute was absent. */
  old: z.array(z.string()),
  new: z.string(),
});

export const attachPreviewSchema = z.object({
  visit: visitSummarySchema,
  studies: z.array(
    z.object({
      studyInstanceUID: z.string(),
      instanceCount: z.number().int(),
      /** Attached to another visit now (attaching moves it). */
      currentVisitId: z.string().nullable(),
      changes: z.array(tagChangeSchema),
      /** Some images already reached the PACS: new SOP Instance UIDs and a rejection note follow. */
      afterSend: z.boolean(),
      /** A new StudyInstanceUID too, because the images change patient after reaching the PACS. */
      newStudyInstanceUID: z.boolean(),
      /** The copies become ISO_IR 192 (old text values re-encoded). */
      characterSetChange: z.boolean(),
      /** Why it cannot be done, when it cannot: the error code and both languages. */
      refusal: z.object({ code: z.string(), vi: z.string(), en: z.string() }).nullable(),
    }),
  ),
});

export const attachResultSchema = z.object({
  visitId: z.string(),
  studies: z.array(
    z.object({
      /** The study as given. */
      studyInstanceUID: z.string(),
      /** Where its images now are (a new UID after a patient change that followed a send). */
      resultStudyInstanceUID: z.string(),
      /** corrected: copies written before the first send; corrected-after-send: new UIDs + rejection note; unchanged: tags already right. */
      mode: z.enum(['corrected', 'corrected-after-send', 'unchanged']),
      instances: z.number().int(),
      rejectionNoteSOPInstanceUID: z.string().nullable(),
      released: z.boolean(),
    }),
  ),
});

const procedureSchema = z.union([
  z.strictObject({ code: dicomText(16), name: dicomText(64).min(1) }),
  dicomText(64).min(1),
]);

export const visitsMethods = {
  'visits.list': method({
    input: z.strictObject({
      /** Local day, YYYY-MM-DD; today when omitted. */
      date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Ngày: YYYY-MM-DD / Date: YYYY-MM-DD').optional(),
      /** Accent- and case-insensitive words matched against name, PatientID, accession and visit number (barcodes too). */
      text: z.string().max(100).optional(),
      status: imageStatusSchema.optional(),
      source: visitSourceSchema.optional(),
      includeReconciled: z.boolean().default(false),
      /** Also orders withdrawn from the worklist that have no study attached. */
      includeWithdrawn: z.boolean().default(false),
      limit: z.number().int().min(1).max(1000).default(300),
    }),
    output: z.object({ items: z.array(visitSummarySchema) }),
  }),
  'visits.get': method({ input: z.strictObject({ id }), output: visitDetailSchema }),
  'visits.create': method({
    input: z
      .strictObject({
        patientName: dicomText(64).min(1, 'Nhập họ tên / Enter the name'),
        patientID: dicomText(64).optional(),
        birthDate: birthDateSchema,
        sex: z.enum(['M', 'F', 'O']),
        /** A catalog entry ({ code, name }) or free text. */
        procedure: procedureSchema,
        phone: z.string().trim().regex(/^[0-9+ ().-]{0,20}$/, 'Số điện thoại không hợp lệ / Invalid phone number').optional(),
        payer: payerSchema.optional(),
        contractName: dicomText(64).optional(),
        referringPhysician: dicomText(64).optional(),
      })
      .refine((v) => v.payer !== 'CONTRACT' || (v.contractName ?? '') !== '', {
        path: ['contractName'],
        message: 'Hợp đồng: nhập tên hợp đồng / Contract: enter the contract name',
      }),
    output: visitDetailSchema,
    audit: 'patient',
  }),
  'visits.refresh': method({
    input: empty,
    /** Counts only. `withdrawn`: cached orders of the day the answer no longer holds (a returning one counts as updated). */
    output: z.object({ fetched: z.number().int(), created: z.number().int(), updated: z.number().int(), withdrawn: z.number().int(), attached: z.number().int() }),
  }),
  'visits.test': method({
    input: empty,
    output: z.object({ ok: z.literal(true), latencyMs: z.number(), host: z.string(), port: z.number().int(), calledAet: z.string() }),
  }),
  'visits.previewAttach': method({
    input: z.strictObject({ visitId: id, studyInstanceUIDs: uids }),
    output: attachPreviewSchema,
  }),
  'visits.attach': method({
    input: z.strictObject({ visitId: id, studyInstanceUIDs: uids }),
    output: attachResultSchema,
    audit: 'patient',
  }),
  'visits.detach': method({
    input: z.strictObject({ studyInstanceUIDs: uids }),
    output: z.object({ detached: z.array(z.string()) }),
    audit: 'patient',
  }),
  'visits.reconcile': method({
    input: z.strictObject({ fromVisitId: id, toVisitId: id }).refine((v) => v.fromVisitId !== v.toVisitId, {
      path: ['toVisitId'],
      message: 'Chọn một lượt khám khác / Choose another visit',
    }),
    output: attachResultSchema.extend({ fromVisitId: z.string() }),
    audit: 'patient',
  }),
  'visits.suggest': method({
    input: z.strictObject({ studyInstanceUID: uid }),
    output: z.object({
      items: z.array(
        visitSummarySchema.extend({
          /** Same AccessionNumber or StudyInstanceUID but more than one visit has it; same PatientID and day; same PatientID. */
          reason: z.enum(['accession', 'patient-id-and-date', 'patient-id']),
        }),
      ),
    }),
  }),
} as const;

export const visitsEvents = {
  /** Visits or their attachments changed (refresh, walk-in, attach, detach, reconcile, automatic match). */
  'visits.changed': z.object({ visitIds: z.array(z.string()) }),
} as const;
