/**
 * The film register's records as they travel in the records outbox to the clinic server.
 * Each is an immutable fact with its own desk-generated UUID (the server's idempotency key):
 *
 *   kind 'film-exception', event 'recorded' — an exception as recorded (id = the exception's id)
 *   kind 'film-exception', event 'approved' — a pending special case approved later (own id,
 *                                              `exceptionId` names the record it completes)
 *   kind 'film-void'                         — a record voided with a reason (own id)
 *
 * The server rebuilds the same register (and the same report) from these alone, in any order of
 * arrival within a kind; a void or an approval for an exception it has not seen yet waits for it.
 */
import { z } from 'zod';
import { FILM_CASES, filmLineSchema } from './film-cases';
import { billingSnapshotSchema } from './film-views';

const actor = z.object({ id: z.string().nullable(), name: z.string() });

export const filmExceptionRecordSchema = z.object({
  event: z.literal('recorded'),
  id: z.uuid(),
  deskId: z.string(),
  recordedAt: z.number().int(),
  technician: actor,
  visit: z.object({
    id: z.string(),
    visitNumber: z.string(),
    patientID: z.string(),
    patientName: z.string(),
    accessionNumber: z.string(),
    procedureCode: z.string(),
    procedureName: z.string(),
  }),
  case: z.enum(FILM_CASES),
  films: z.array(filmLineSchema),
  studyInstanceUIDs: z.array(z.string()),
  contractName: z.string().nullable(),
  contractNumber: z.string().nullable(),
  requestReference: z.string().nullable(),
  chargeAcknowledged: z.boolean().nullable(),
  description: z.string().nullable(),
  proposedBy: z.string().nullable(),
  approval: z.object({ approvedBy: z.string(), approvalReference: z.string(), approvalDate: z.string() }).nullable(),
  pendingApproval: z.boolean(),
  billing: billingSnapshotSchema.nullable(),
  replacesId: z.uuid().nullable(),
});
export type FilmExceptionRecord = z.output<typeof filmExceptionRecordSchema>;

export const filmApprovalRecordSchema = z.object({
  event: z.literal('approved'),
  id: z.uuid(),
  exceptionId: z.uuid(),
  deskId: z.string(),
  recordedAt: z.number().int(),
  by: actor,
  approvedBy: z.string(),
  approvalReference: z.string(),
  approvalDate: z.string(),
});
export type FilmApprovalRecord = z.output<typeof filmApprovalRecordSchema>;

/** Payload of records of kind 'film-exception'. */
export const filmExceptionKindSchema = z.discriminatedUnion('event', [filmExceptionRecordSchema, filmApprovalRecordSchema]);

/** Payload of records of kind 'film-void'. */
export const filmVoidRecordSchema = z.object({
  id: z.uuid(),
  exceptionId: z.uuid(),
  deskId: z.string(),
  voidedAt: z.number().int(),
  by: actor,
  reason: z.string(),
  /** The record that corrects it, when the void was part of a correction. */
  replacedById: z.uuid().nullable(),
});
export type FilmVoidRecord = z.output<typeof filmVoidRecordSchema>;
