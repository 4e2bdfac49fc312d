/**
 * Contract slice: the film-exception register (clinic notice §5 — hard film only for a contract,
 * a patient's formal request, or a special case approved by leadership) and the X-ray service
 * catalog whose with-film variant an exception bills.
 */
import { z } from 'zod';
import { method } from './define';
import {
  FILM_CASES,
  FILM_MESSAGES,
  dateRangeSchema,
  filmApproveInputSchema,
  filmRecordInputSchema,
  filmVoidInputSchema,
} from '../film-cases';
import { isIsoDate } from '../film-dates';
import {
  catalogEntrySchema,
  catalogUpdateInputSchema,
  filmRecordViewSchema,
  filmReportSchema,
  visitBillingSchema,
} from '../film-views';

const optionalDate = z.string().refine(isIsoDate, FILM_MESSAGES.date).optional();

export const filmMethods = {
  /** Records an exception (or, with `replacesId`, a correction of one). Works offline. */
  'film.record': method({ input: filmRecordInputSchema, output: filmRecordViewSchema, audit: 'patient' }),
  /** Voids a record with a reason; the record stays in the register, marked. */
  'film.void': method({ input: filmVoidInputSchema, output: filmRecordViewSchema, audit: 'patient' }),
  /** Completes a special case recorded as pending approval. */
  'film.approve': method({ input: filmApproveInputSchema, output: filmRecordViewSchema, audit: 'patient' }),
  /** The register, newest first, voided records included and marked (unless excluded). */
  'film.list': method({
    input: z.strictObject({
      from: optionalDate,
      to: optionalDate,
      visitId: z.string().min(1).optional(),
      case: z.enum(FILM_CASES).optional(),
      includeVoided: z.boolean().default(true),
      limit: z.number().int().min(1).max(5000).default(500),
    }),
    output: z.object({ items: z.array(filmRecordViewSchema), truncated: z.boolean() }),
  }),
  'film.report': method({ input: dateRangeSchema, output: filmReportSchema }),
  /** The register for the range as CSV for Excel: UTF-8 with BOM, CRLF, Vietnamese headers, dd/MM/yyyy. */
  'film.exportCsv': method({
    input: dateRangeSchema.safeExtend({
      /** ';' for an Excel whose regional list separator is ';' (Vietnamese Windows). */
      delimiter: z.enum([',', ';']).default(','),
    }),
    output: z.object({ fileName: z.string(), mimeType: z.literal('text/csv;charset=utf-8'), csv: z.string() }),
    audit: 'patient',
  }),
  /** Printable A4 summary (HTML with print CSS) for the monthly KHNV review. */
  'film.summaryHtml': method({
    input: dateRangeSchema.safeExtend({ lang: z.enum(['vi', 'en']).default('vi') }),
    output: z.object({ html: z.string() }),
    audit: 'patient',
  }),
  /** The service billed for a visit: the with-film variant while an active exception stands. */
  'film.visitBilling': method({ input: z.strictObject({ visitId: z.string().min(1) }), output: visitBillingSchema }),
  'catalog.list': method({
    input: z.strictObject({ includeInactive: z.boolean().default(false) }),
    output: z.object({ items: z.array(catalogEntrySchema) }),
  }),
  /** Adds or changes one service (keyed by procedureCode). */
  'catalog.update': method({ input: catalogUpdateInputSchema, output: catalogEntrySchema, audit: 'admin', adminOnly: true }),
} as const;

export const filmEvents = {
  /** Something in the register changed: lists, reports and the visit's billing should refresh. */
  'film.changed': z.object({ id: z.string(), visitId: z.string(), action: z.enum(['recorded', 'voided', 'approved']) }),
  'catalog.changed': z.object({ procedureCode: z.string() }),
} as const;
