/**
 * Contract slice: image QA at the desk. Before an image leaves, the technician accepts it or
 * rejects it with a reason; a rejected image is never sent to the PACS.
 *
 * Rejection reasons are the IOCM codes of PS3.16 CID 7011 (scheme DCM), the same a Rejection
 * Note KOS would carry (PS3.3 §A.35.1, IHE RAD TF-1 §42 "Imaging Object Change Management").
 * With `review.requireQa` on, a study is sent only once every image is accepted or rejected;
 * off (default), an image not yet reviewed counts as accepted.
 */
import { z } from 'zod';
import { method } from './define';

const uid = z.string().regex(/^[0-9.]{1,64}$/, 'UID: digits and dots, at most 64 characters');

export const QA_REJECTION_REASONS = ['113001', '113037', '113038'] as const;
export type QaRejectionReason = (typeof QA_REJECTION_REASONS)[number];

/** PS3.16 CID 7011 code meanings, verbatim (the UI shows its own translations beside them). */
export const QA_REASON_MEANINGS: Readonly<Record<QaRejectionReason, string>> = {
  '113001': 'Rejected for Quality Reasons',
  '113037': 'Rejected for Patient Safety Reasons',
  '113038': 'Incorrect Modality Worklist Entry',
};

export const qaDecisionSchema = z.enum(['accepted', 'rejected']);
export type QaDecision = z.output<typeof qaDecisionSchema>;

export const reviewInputSchema = z
  .strictObject({
    /** The desk's internal instance id (what the viewer holds) … */
    instanceId: z.number().int().positive().optional(),
    /** … or the SOPInstanceUID (what the automation API knows). Exactly one of the two. */
    sopInstanceUID: uid.optional(),
    decision: qaDecisionSchema,
    reason: z.enum(QA_REJECTION_REASONS).optional(),
  })
  .superRefine((v, ctx) => {
    if ((v.instanceId === undefined) === (v.sopInstanceUID === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['instanceId'], message: 'Cần đúng một trong instanceId hoặc sopInstanceUID / Exactly one of instanceId or sopInstanceUID' });
    }
    if (v.decision === 'rejected' && v.reason === undefined) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'Loại ảnh cần có lý do (113001, 113037, 113038) / A rejection needs a reason (113001, 113037, 113038)' });
    }
    if (v.decision === 'accepted' && v.reason !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'Ảnh đạt không có lý do loại / An accepted image has no rejection reason' });
    }
  });

/** One stored image: what the viewer and the inbox thumbnails need, with its QA decision. */
export const imageItemSchema = z.object({
  /** The desk's opaque id: `/files/instances/{id}` (bridge), `desk-image://instances/{id}` (Electron). */
  instanceId: z.number().int(),
  /**
   * Which bytes the desk serves for it (the corrected copy once the study is attached to a visit):
   * changes whenever they do. The viewer's image URL carries it (`?v=`), so no cache keeps the old ones.
   */
  revision: z.string(),
  sopInstanceUID: z.string(),
  instanceNumber: z.string(),
  viewPosition: z.string(),
  laterality: z.string(),
  rows: z.number().int(),
  columns: z.number().int(),
  transferSyntaxUID: z.string(),
  /** null: not reviewed yet. */
  decision: qaDecisionSchema.nullable(),
  reason: z.enum(QA_REJECTION_REASONS).nullable(),
  reviewedAt: z.number().int().nullable(),
  /** operators.id of who decided. */
  reviewedBy: z.string().nullable(),
});
export type ImageItem = z.output<typeof imageItemSchema>;

export const seriesImagesSchema = z.object({
  seriesInstanceUID: z.string(),
  seriesNumber: z.string(),
  seriesDescription: z.string(),
  bodyPartExamined: z.string(),
  modality: z.string(),
  /** In InstanceNumber order. */
  images: z.array(imageItemSchema),
});
export type SeriesImages = z.output<typeof seriesImagesSchema>;

export const studyImagesSchema = z.object({
  studyInstanceUID: z.string(),
  /** In SeriesNumber order. */
  series: z.array(seriesImagesSchema),
  accepted: z.number().int(),
  rejected: z.number().int(),
  unreviewed: z.number().int(),
  /** The `review.requireQa` setting at the time of the answer. */
  requireQa: z.boolean(),
  /**
   * Whether the QA gate lets the study's accepted images go (the sync policy and the visit decide
   * the rest): always without requireQa; with it, once no image is left unreviewed.
   */
  qaComplete: z.boolean(),
});
export type StudyImages = z.output<typeof studyImagesSchema>;

export const reviewMethods = {
  /**
   * The images of some studies (the inbox rows on screen, the study the viewer opens), without
   * patient names: not audited, like studies.list; opening a study (studies.get) is the audited read.
   */
  'images.list': method({
    input: z.strictObject({ studyInstanceUIDs: z.array(uid).min(1).max(200) }),
    output: z.object({ items: z.array(studyImagesSchema) }),
  }),
  /** Accepts or rejects one image. Refused (REVIEW_ALREADY_SENT) once the image is on its way to or in the PACS. */
  'images.review': method({
    input: reviewInputSchema,
    output: studyImagesSchema,
    audit: 'patient',
  }),
} as const;

export const reviewEvents = {
  /** A decision changed; the inbox and the viewer refetch that study. */
  'images.reviewed': z.object({ studyInstanceUID: z.string(), instanceId: z.number().int(), decision: qaDecisionSchema }),
} as const;
