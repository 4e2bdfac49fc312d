/**
 * The three cases in which the clinic may still issue hard film (clinic notice, section 5) and the
 * input schemas of the film register, with the field each case requires.
 *
 * Every required-field issue carries the field name as its path and a bilingual message naming it,
 * "Thiếu số hợp đồng (contractNumber) / Missing contract number (contractNumber)": dispatch turns
 * the first issue into DeskError('VALIDATION', { field, detail }), and the renderer can run the same
 * schema on the form to mark the field before anything is sent.
 *
 * The wire input is flat (the names the issue fixed); the parsed value is a discriminated union
 * (`details`) so the register cannot store a CONTRACT record without its contract number.
 */
import { z } from 'zod';
import { isIsoDate } from './film-dates';

export const FILM_CASES = ['CONTRACT', 'PATIENT_REQUEST', 'SPECIAL'] as const;
export type FilmCase = (typeof FILM_CASES)[number];

/** Film sizes in centimetres, the ones the clinic stocks. */
export const FILM_SIZES = ['35x43', '35x35', '24x30', '18x24'] as const;
export type FilmSize = (typeof FILM_SIZES)[number];

/** More films than this on one visit is a typing error, not an X-ray. */
export const MAX_FILMS_PER_LINE = 50;

/** Vietnamese and English names of every input field, for messages that say which one is wrong. */
const FIELD_NAMES = {
  visitId: ['lượt khám', 'visit'],
  case: ['trường hợp cấp phim', 'film case'],
  films: ['số phim và khổ phim', 'films (size and count)'],
  contractName: ['tên hợp đồng', 'contract name'],
  contractNumber: ['số hợp đồng', 'contract number'],
  requestReference: ['số phiếu yêu cầu của người bệnh', "reference of the patient's signed request"],
  description: ['mô tả trường hợp đặc biệt', 'description of the special case'],
  proposedBy: ['người đề xuất (KHNV)', 'proposed by (KHNV)'],
  approvedBy: ['người duyệt (Ban Giám đốc)', 'approved by (leadership)'],
  approvalReference: ['số văn bản duyệt', 'approval reference'],
  approvalDate: ['ngày duyệt', 'approval date'],
  id: ['mã bản ghi', 'record id'],
  reason: ['lý do hủy', 'reason for voiding'],
  correctionReason: ['lý do sửa', 'reason for the correction'],
} as const;
export type FilmField = keyof typeof FIELD_NAMES;

/** "Thiếu … (field) / Missing … (field)". */
export function missingMessage(field: FilmField): string {
  const [vi, en] = FIELD_NAMES[field];
  return `Thiếu ${vi} (${field}) / Missing ${en} (${field})`;
}

export const FILM_MESSAGES = {
  chargeAcknowledged:
    'Chưa xác nhận đã báo người bệnh dịch vụ tính giá "X-quang có phim" (chargeAcknowledged) / ' +
    'Not confirmed that the patient was told this is billed as "X-ray with film" (chargeAcknowledged)',
  approvalDateFormat:
    'Ngày duyệt không hợp lệ, cần dạng YYYY-MM-DD (approvalDate) / Invalid approval date, expected YYYY-MM-DD (approvalDate)',
  approvalDateFuture: 'Ngày duyệt ở tương lai (approvalDate) / Approval date is in the future (approvalDate)',
  pendingWithApproval:
    'Đã nhập thông tin duyệt thì không để "chờ duyệt" (pendingApproval) / ' +
    'Approval details were given, so the case cannot also be pending (pendingApproval)',
  filmSize: `Khổ phim phải là một trong ${FILM_SIZES.join(', ')} (size) / Film size must be one of ${FILM_SIZES.join(', ')} (size)`,
  filmCount: `Số phim phải là số nguyên từ 1 đến ${MAX_FILMS_PER_LINE} (count) / Film count must be a whole number from 1 to ${MAX_FILMS_PER_LINE} (count)`,
  studyUid: 'StudyInstanceUID không hợp lệ (studyInstanceUIDs) / Invalid StudyInstanceUID (studyInstanceUIDs)',
  correctionNeedsReplaces:
    'Lý do sửa chỉ dùng khi sửa một bản ghi (replacesId) / A correction reason needs the record it corrects (replacesId)',
  dateRange: 'Ngày bắt đầu sau ngày kết thúc (to) / The start date is after the end date (to)',
  date: 'Ngày cần dạng YYYY-MM-DD / Date must be YYYY-MM-DD',
} as const;

/** A trimmed text field; blank counts as absent, so the per-case checks see one notion of "missing". */
const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `Tối đa ${max} ký tự / At most ${max} characters`)
    .optional()
    .transform((s) => (s ? s : undefined));

/** PS3.5 §9.1: UID = dot-separated numeric components without leading zeros, at most 64 characters. */
const studyUid = z
  .string()
  .max(64, FILM_MESSAGES.studyUid)
  .regex(/^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$/, FILM_MESSAGES.studyUid);

const isoDate = z.string().refine(isIsoDate, FILM_MESSAGES.date);

export const filmLineSchema = z.strictObject({
  size: z.enum(FILM_SIZES, { error: FILM_MESSAGES.filmSize }),
  count: z.number({ error: FILM_MESSAGES.filmCount }).int(FILM_MESSAGES.filmCount).min(1, FILM_MESSAGES.filmCount).max(MAX_FILMS_PER_LINE, FILM_MESSAGES.filmCount),
});
export type FilmLine = z.output<typeof filmLineSchema>;

export interface FilmApproval {
  readonly approvedBy: string;
  readonly approvalReference: string;
  /** `YYYY-MM-DD`, the date on the leadership's decision. */
  readonly approvalDate: string;
}

export type FilmCaseDetails =
  | {
      readonly case: 'CONTRACT';
      /** Absent: taken from the visit when its payer is a contract (checked by the register). */
      readonly contractName: string | undefined;
      readonly contractNumber: string;
    }
  | { readonly case: 'PATIENT_REQUEST'; readonly requestReference: string; readonly chargeAcknowledged: true }
  | {
      readonly case: 'SPECIAL';
      readonly description: string;
      readonly proposedBy: string;
      /** null: recorded as pending approval, completed later by film.approve. */
      readonly approval: FilmApproval | null;
    };

type Issues = { issues: z.core.$ZodRawIssue[] };
function requireText(ctx: Issues, value: string | undefined, field: FilmField): value is string {
  if (value) return true;
  ctx.issues.push({ code: 'custom', message: missingMessage(field), path: [field], input: value });
  return false;
}

const approvalDateField = z
  .string()
  .trim()
  .optional()
  .transform((s) => (s ? s : undefined))
  .refine((s) => s === undefined || isIsoDate(s), FILM_MESSAGES.approvalDateFormat);

export const filmRecordInputSchema = z
  .strictObject({
    visitId: z.string({ error: missingMessage('visitId') }).trim().min(1, missingMessage('visitId')),
    case: z.enum(FILM_CASES, { error: missingMessage('case') }),
    films: z.array(filmLineSchema, { error: missingMessage('films') }).min(1, missingMessage('films')).max(FILM_SIZES.length * 2),
    studyInstanceUIDs: z.array(studyUid).max(20).optional(),
    contractName: text(200),
    contractNumber: text(100),
    requestReference: text(100),
    chargeAcknowledged: z.boolean().optional(),
    description: text(1000),
    proposedBy: text(120),
    approvedBy: text(120),
    approvalReference: text(100),
    approvalDate: approvalDateField,
    pendingApproval: z.boolean().optional(),
    /** A correction: the record this one replaces (voided in the same transaction if still active). */
    replacesId: z.uuid().optional(),
    /** Why the replaced record was wrong; required when it is still active. */
    correctionReason: text(500),
  })
  .transform((v, ctx) => {
    let details: FilmCaseDetails | undefined;
    switch (v.case) {
      case 'CONTRACT':
        if (requireText(ctx, v.contractNumber, 'contractNumber')) {
          details = { case: 'CONTRACT', contractName: v.contractName, contractNumber: v.contractNumber };
        }
        break;
      case 'PATIENT_REQUEST': {
        const ref = requireText(ctx, v.requestReference, 'requestReference');
        if (v.chargeAcknowledged !== true) {
          ctx.issues.push({ code: 'custom', message: FILM_MESSAGES.chargeAcknowledged, path: ['chargeAcknowledged'], input: v.chargeAcknowledged });
        } else if (ref) {
          details = { case: 'PATIENT_REQUEST', requestReference: v.requestReference!, chargeAcknowledged: true };
        }
        break;
      }
      case 'SPECIAL': {
        const okDescription = requireText(ctx, v.description, 'description');
        const okProposed = requireText(ctx, v.proposedBy, 'proposedBy');
        const anyApproval = Boolean(v.approvedBy || v.approvalReference || v.approvalDate);
        let approval: FilmApproval | null = null;
        let okApproval = true;
        if (v.pendingApproval === true) {
          if (anyApproval) {
            ctx.issues.push({ code: 'custom', message: FILM_MESSAGES.pendingWithApproval, path: ['pendingApproval'], input: true });
            okApproval = false;
          }
        } else {
          const a = requireText(ctx, v.approvedBy, 'approvedBy');
          const b = requireText(ctx, v.approvalReference, 'approvalReference');
          const c = requireText(ctx, v.approvalDate, 'approvalDate');
          okApproval = a && b && c;
          if (okApproval) approval = { approvedBy: v.approvedBy!, approvalReference: v.approvalReference!, approvalDate: v.approvalDate! };
        }
        if (okDescription && okProposed && okApproval) {
          details = { case: 'SPECIAL', description: v.description!, proposedBy: v.proposedBy!, approval };
        }
        break;
      }
    }
    if (v.correctionReason && !v.replacesId) {
      ctx.issues.push({ code: 'custom', message: FILM_MESSAGES.correctionNeedsReplaces, path: ['replacesId'], input: v.replacesId });
    }
    if (!details || ctx.issues.length > 0) return z.NEVER;
    return {
      visitId: v.visitId,
      films: v.films,
      studyInstanceUIDs: v.studyInstanceUIDs,
      replacesId: v.replacesId,
      correctionReason: v.correctionReason,
      details,
    };
  });
export type FilmRecordCommand = z.output<typeof filmRecordInputSchema>;
export type FilmRecordInput = z.input<typeof filmRecordInputSchema>;

const requiredText = (field: FilmField, max: number) =>
  z
    .string({ error: missingMessage(field) })
    .trim()
    .min(1, missingMessage(field))
    .max(max, `Tối đa ${max} ký tự (${field}) / At most ${max} characters (${field})`);

export const filmVoidInputSchema = z.strictObject({
  id: z.uuid({ error: missingMessage('id') }),
  reason: requiredText('reason', 500),
});

export const filmApproveInputSchema = z.strictObject({
  id: z.uuid({ error: missingMessage('id') }),
  approvedBy: requiredText('approvedBy', 120),
  approvalReference: requiredText('approvalReference', 100),
  approvalDate: z
    .string({ error: missingMessage('approvalDate') })
    .trim()
    .min(1, missingMessage('approvalDate'))
    .refine(isIsoDate, FILM_MESSAGES.approvalDateFormat),
});

/** An inclusive range of clinic-local days. */
export const dateRangeSchema = z
  .strictObject({ from: isoDate, to: isoDate })
  .refine((r) => r.from <= r.to, { message: FILM_MESSAGES.dateRange, path: ['to'] });
