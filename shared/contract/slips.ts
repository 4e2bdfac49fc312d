/**
 * Contract slice: the thermal QR result slip and the printer it goes to.
 *
 * The raw token in a slip's link never crosses this contract: the renderer needs the slip's id,
 * its lookup code and its expiry, not the credential printed on the paper (which would otherwise
 * sit in the renderer's memory, devtools and the bridge). The preview draws a placeholder link of
 * the same length, so its layout is the printed one, dot for dot.
 *
 * Also here: the payloads of the `slip` and `token-revocation` records the desk sends to the
 * clinic server through the records outbox.
 */
import { z } from 'zod';
import { method } from './define';

const empty = z.object({}).strict();
const id = z.string().min(1).max(64);
const reason = z.string().trim().min(3, 'Lý do: ít nhất 3 ký tự / Reason: at least 3 characters').max(200);
const paperSchema = z.enum(['ok', 'near-end', 'out', 'unknown']);

export const slipStatusSchema = z.enum(['active', 'revoked', 'expired']);

export const printedSlipSchema = z.object({
  slipId: z.string(),
  /** As printed, `ABCD-2345`. */
  lookupCode: z.string(),
  expiresAt: z.number().int(),
  printJobId: z.string(),
  /** The printer confirmed it processed the job (network printers answering status); else only sent. */
  confirmed: z.boolean(),
  paper: paperSchema,
});

export const slipSummarySchema = z.object({
  slipId: z.string(),
  visitId: z.string(),
  visitNumber: z.string(),
  lookupCode: z.string(),
  status: slipStatusSchema,
  createdAt: z.number().int(),
  expiresAt: z.number().int(),
  operatorId: z.string().nullable(),
  revokedAt: z.number().int().nullable(),
  revokeReason: z.string().nullable(),
  replacedBy: z.string().nullable(),
  /** The slip's latest print job, if any. */
  lastPrint: z
    .object({
      jobId: z.string(),
      status: z.enum(['sending', 'printed', 'failed']),
      errorCode: z.string().nullable(),
      at: z.number().int(),
    })
    .nullable(),
});
export type SlipSummary = z.output<typeof slipSummarySchema>;

export const printerStatusSchema = z.object({
  configured: z.boolean(),
  portKind: z.enum(['tcp', 'device', 'custom']).nullable(),
  /** The connection opened, or the device file can be written. */
  reachable: z.boolean(),
  /** The printer answered a status request (network printers with `printer.readStatus`). */
  answered: z.boolean(),
  paper: paperSchema,
});

export const slipsMethods = {
  /** The slip as it will print, as a 1-bit PNG; creates no token and writes nothing. */
  'slips.preview': method({
    input: z.strictObject({ visitId: id }),
    output: z.object({ png: z.string(), width: z.number().int(), height: z.number().int() }),
    audit: 'patient',
  }),
  /** Issues a token for the visit and prints its slip. A visit with an active slip needs `slips.reprint`. */
  'slips.print': method({
    input: z.strictObject({ visitId: id }),
    output: printedSlipSchema,
    audit: 'patient',
  }),
  /** A new token and slip; the visit's active slips are revoked once the new one went to the printer. */
  'slips.reprint': method({
    input: z.union([z.strictObject({ slipId: id, reason }), z.strictObject({ visitId: id, reason })]),
    output: printedSlipSchema.extend({ revokedSlipIds: z.array(z.string()) }),
    audit: 'patient',
  }),
  'slips.list': method({
    input: z.strictObject({ visitId: id.optional(), limit: z.number().int().min(1).max(500).default(100) }),
    output: z.object({ items: z.array(slipSummarySchema) }),
  }),
  'slips.revoke': method({
    input: z.strictObject({ slipId: id, reason }),
    output: slipSummarySchema,
    audit: 'patient',
  }),
  /** Prints a page with no patient data, to check width, darkness, cutting and QR reading. */
  'printer.testPage': method({
    input: empty,
    output: z.object({ printJobId: z.string(), confirmed: z.boolean(), paper: paperSchema }),
  }),
  'printer.status': method({ input: empty, output: printerStatusSchema }),
} as const;

export const slipsEvents = {
  /** Slips changed outside this window (an admin revoked some on the clinic server): lists reload. */
  'slips.changed': z.object({ revoked: z.number().int().min(1) }),
} as const;

/** What the clinic server receives for each issued slip (records outbox kind `slip`). */
export const slipRecordSchema = z.object({
  slipId: z.string(),
  /** SHA-256 of the token, lowercase hex; the server looks tokens up by this and never sees them. */
  tokenHash: z.string().regex(/^[0-9a-f]{64}$/),
  visitId: z.string(),
  visitNumber: z.string(),
  patient: z.object({
    /** As written (DICOM `^` separators shown as spaces). */
    name: z.string(),
    birthYear: z.string().nullable(),
    sex: z.enum(['', 'M', 'F', 'O']),
  }),
  exams: z.array(z.string()),
  /**
   * The visit's studies now (linked ones and the one the worklist order announced; images may
   * still be on their way). The whole list, not an addition: a study corrected away from the
   * visit leaves it, so the page stops showing another patient's images.
   */
  studyInstanceUIDs: z.array(z.string()),
  /** 0 for the printed slip, +1 for each later study-list update; the server keeps the highest. */
  revision: z.number().int().min(0).default(0),
  issuedAt: z.number().int(),
  expiresAt: z.number().int(),
  requireBirthYear: z.boolean(),
  clinicName: z.string(),
  status: z.literal('active'),
  /** For staff to find the slip when a patient calls; never a credential. */
  lookupCode: z.string(),
  /** The slip this one replaces (reprint), if any. */
  replaces: z.string().nullable(),
});
export type SlipRecord = z.output<typeof slipRecordSchema>;

/** Records outbox kind `token-revocation`. */
export const tokenRevocationRecordSchema = z.object({
  slipId: z.string(),
  tokenHash: z.string().regex(/^[0-9a-f]{64}$/),
  visitId: z.string(),
  revokedAt: z.number().int(),
  reason: z.string(),
  replacedBy: z.string().nullable(),
});
export type TokenRevocationRecord = z.output<typeof tokenRevocationRecordSchema>;
