/**
 * What the film register and the service catalog return: the register's rows as the renderer
 * shows them (with void, approval and server delivery state), the report, and catalog entries.
 * Money is whole VND (integers): the đồng has no minor unit in use.
 */
import { z } from 'zod';
import { FILM_CASES, FILM_SIZES, filmLineSchema } from './film-cases';

export const vnd = z.number().int().min(0).max(1_000_000_000);

export const catalogEntrySchema = z.object({
  /** The requested procedure code a visit carries (`visits.procedure_code`); the entry's key. */
  procedureCode: z.string(),
  /** Vietnamese service name, e.g. "X-quang ngực thẳng". */
  name: z.string(),
  noFilmCode: z.string(),
  noFilmPrice: vnd,
  withFilmCode: z.string(),
  withFilmPrice: vnd,
  active: z.boolean(),
  updatedAt: z.number().int(),
});
export type CatalogEntry = z.output<typeof catalogEntrySchema>;

const code = (what: string) =>
  z
    .string({ error: `Thiếu ${what} / Missing ${what}` })
    .trim()
    .min(1, `Thiếu ${what} / Missing ${what}`)
    .max(40)
    .regex(/^[\p{L}\p{N}._\-/]+$/u, `${what}: chỉ chữ, số và . _ - / / ${what}: letters, digits and . _ - / only`);
const price = (what: string) =>
  z
    .number({ error: `Thiếu ${what} / Missing ${what}` })
    .int(`${what}: số nguyên VND / ${what}: whole VND`)
    .min(0)
    .max(1_000_000_000);

export const catalogUpdateInputSchema = z.strictObject({
  procedureCode: code('mã chỉ định (procedureCode)'),
  name: z.string({ error: 'Thiếu tên dịch vụ (name) / Missing service name (name)' }).trim().min(1, 'Thiếu tên dịch vụ (name) / Missing service name (name)').max(200),
  noFilmCode: code('mã dịch vụ không phim (noFilmCode)'),
  noFilmPrice: price('giá không phim (noFilmPrice)'),
  withFilmCode: code('mã dịch vụ có phim (withFilmCode)'),
  withFilmPrice: price('giá có phim (withFilmPrice)'),
  /** false retires the entry from new visits; records already made keep their codes and prices. */
  active: z.boolean().default(true),
});

/** The codes and prices in force when the exception was recorded (a later price change does not rewrite them). */
export const billingSnapshotSchema = z.object({
  procedureCode: z.string(),
  serviceName: z.string(),
  noFilmCode: z.string(),
  noFilmPrice: vnd,
  withFilmCode: z.string(),
  withFilmPrice: vnd,
});
export type BillingSnapshot = z.output<typeof billingSnapshotSchema>;

export const serverStateSchema = z.object({
  status: z.enum(['pending', 'delivered', 'rejected']),
  deliveredAt: z.number().int().nullable(),
});

const actorSchema = z.object({ id: z.string().nullable(), name: z.string() });

export const filmRecordViewSchema = z.object({
  id: z.string(),
  recordedAt: z.number().int(),
  deskId: z.string(),
  technician: actorSchema,
  visitId: z.string(),
  visitNumber: z.string(),
  patientID: z.string(),
  patientName: z.string(),
  accessionNumber: z.string(),
  procedureCode: z.string(),
  procedureName: z.string(),
  case: z.enum(FILM_CASES),
  films: z.array(filmLineSchema),
  totalFilms: z.number().int(),
  studyInstanceUIDs: z.array(z.string()),
  contractName: z.string().nullable(),
  contractNumber: z.string().nullable(),
  requestReference: z.string().nullable(),
  chargeAcknowledged: z.boolean().nullable(),
  description: z.string().nullable(),
  proposedBy: z.string().nullable(),
  /** Approval given with the record, or added later by film.approve (see `approval.later`). */
  approval: z
    .object({
      approvedBy: z.string(),
      approvalReference: z.string(),
      approvalDate: z.string(),
      /** When the desk recorded it; equals `recordedAt` for an approval given with the record. */
      recordedAt: z.number().int(),
      later: z.boolean(),
      by: actorSchema,
      server: serverStateSchema.nullable(),
    })
    .nullable(),
  pendingApproval: z.boolean(),
  /** No-film and with-film codes and prices; null when the procedure is not in the catalog. */
  billing: billingSnapshotSchema.nullable(),
  replacesId: z.string().nullable(),
  replacedById: z.string().nullable(),
  void: z
    .object({ id: z.string(), reason: z.string(), voidedAt: z.number().int(), by: actorSchema, server: serverStateSchema.nullable() })
    .nullable(),
  /** Whether the clinic server has the record (null only if the outbox row is missing). */
  server: serverStateSchema.nullable(),
});
export type FilmRecordView = z.output<typeof filmRecordViewSchema>;

export const visitBillingSchema = z.object({
  visitId: z.string(),
  variant: z.enum(['no-film', 'with-film']),
  /** The service code billed for the visit; null when its procedure is not in the catalog. */
  serviceCode: z.string().nullable(),
  price: vnd.nullable(),
  procedureCode: z.string(),
  /** The active exception that made it with-film. */
  exceptionId: z.string().nullable(),
});
export type VisitBilling = z.output<typeof visitBillingSchema>;

const countRow = { records: z.number().int(), films: z.number().int() };

export const filmReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  timeZone: z.string(),
  /** Active records (not voided), pending approvals included: their films were issued. */
  totals: z.object({ ...countRow, pendingApproval: z.number().int(), voided: z.number().int() }),
  byMonthAndCase: z.array(z.object({ month: z.string(), case: z.enum(FILM_CASES), ...countRow })),
  byTechnician: z.array(z.object({ operatorId: z.string().nullable(), name: z.string(), ...countRow })),
  byContract: z.array(z.object({ contractName: z.string(), contractNumber: z.string(), ...countRow })),
  filmsBySize: z.array(z.object({ size: z.enum(FILM_SIZES), count: z.number().int() })),
  patientRequestsBilled: z.object({
    count: z.number().int(),
    /** Sum of the with-film price of each billed patient request, VND. */
    amount: z.number().int(),
    /** Patient requests whose procedure has no catalog entry: billed by hand. */
    unpriced: z.number().int(),
  }),
  pendingApprovals: z.array(filmRecordViewSchema),
});
export type FilmReport = z.output<typeof filmReportSchema>;
