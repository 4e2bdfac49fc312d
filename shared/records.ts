/**
 * The records batch a desk posts to the clinic server (`POST /api/records`) and the server's answer.
 *
 * Every record carries a desk-generated UUID, the server's idempotency key: a batch sent twice
 * (a lost response, a retry after a crash) stores nothing the second time and answers `duplicate`.
 * Each record is judged on its own, so one malformed record never holds back the others.
 *
 * The payload schemas are the ones the capabilities that create the records already declare
 * (slips, film register, audit log), so desk and server cannot drift apart.
 */
import { z } from 'zod';
import { slipRecordSchema, tokenRevocationRecordSchema } from './contract/slips';
import { filmExceptionKindSchema, filmVoidRecordSchema } from './film-records';
import { auditRecordSchema } from './contract/foundation';

export const RECORD_KINDS = ['slip', 'token-revocation', 'film-exception', 'film-void', 'audit'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/** At most this many records per request: a desk catching up after a long outage sends several. */
export const MAX_RECORDS_PER_BATCH = 200;

/**
 * Audit records are the desk's hash-chained log entries (foundation `audit.list` shape), with the
 * chain's hashes when the desk sends them. Unknown extra fields are kept, not stripped: the server
 * is the archive and must not lose what a newer desk adds.
 */
export const auditPayloadSchema = z.looseObject({
  ...auditRecordSchema.shape,
  prevHash: z.string().optional(),
  hash: z.string().optional(),
});

/** The payload schema of each kind. A slip's `patient.birthYear` is a 4-digit string or null. */
export const recordPayloadSchemas = {
  slip: slipRecordSchema.superRefine((s, ctx) => {
    if (s.requireBirthYear && !(s.patient.birthYear && /^\d{4}$/.test(s.patient.birthYear))) {
      ctx.addIssue({ code: 'custom', path: ['patient', 'birthYear'], message: 'requireBirthYear needs a 4-digit birth year' });
    }
    for (const uid of s.studyInstanceUIDs) {
      if (!isDicomUid(uid)) ctx.addIssue({ code: 'custom', path: ['studyInstanceUIDs'], message: 'invalid StudyInstanceUID' });
    }
  }),
  'token-revocation': tokenRevocationRecordSchema,
  'film-exception': filmExceptionKindSchema,
  'film-void': filmVoidRecordSchema,
  audit: auditPayloadSchema,
} as const satisfies Record<RecordKind, z.ZodType>;

export type RecordPayload<K extends RecordKind> = z.output<(typeof recordPayloadSchemas)[K]>;

/** PS3.5 §9.1: dot-separated numeric components without leading zeros, at most 64 characters. */
export function isDicomUid(s: string): boolean {
  return s.length > 0 && s.length <= 64 && /^(0|[1-9]\d*)(\.(0|[1-9]\d*))*$/.test(s);
}

/**
 * The envelope of one record. The payload is checked per kind afterwards (`parseRecord`), so a
 * bad payload rejects that record only, with the id the desk needs to mark it.
 */
export const recordEnvelopeSchema = z.object({
  id: z.uuid(),
  kind: z.enum(RECORD_KINDS),
  payload: z.unknown(),
});

export const recordsBatchSchema = z.object({
  records: z.array(z.unknown()).min(1).max(MAX_RECORDS_PER_BATCH),
});

export type ParsedRecord = { [K in RecordKind]: { id: string; kind: K; payload: RecordPayload<K> } }[RecordKind];

export type RecordParse = { ok: true; record: ParsedRecord } | { ok: false; id: string | null; error: string };

/** Validates one record of a batch; the error names the first offending path. */
export function parseRecord(raw: unknown): RecordParse {
  const env = recordEnvelopeSchema.safeParse(raw);
  if (!env.success) {
    const id = typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : null;
    return { ok: false, id, error: firstIssue(env.error) };
  }
  const { id, kind } = env.data;
  const payload = recordPayloadSchemas[kind].safeParse(env.data.payload);
  if (!payload.success) return { ok: false, id, error: firstIssue(payload.error, 'payload') };
  return { ok: true, record: { id, kind, payload: payload.data } as ParsedRecord };
}

function firstIssue(err: z.ZodError, prefix?: string): string {
  const issue = err.issues[0];
  if (!issue) return 'invalid';
  const path = [...(prefix ? [prefix] : []), ...issue.path.map(String)].join('.');
  return `${path || '(root)'}: ${issue.message}`.slice(0, 300);
}

export const recordResultSchema = z.object({
  id: z.string(),
  status: z.enum(['stored', 'duplicate', 'rejected']),
  error: z.string().optional(),
});
export type RecordResult = z.output<typeof recordResultSchema>;

export const recordsResponseSchema = z.object({ results: z.array(recordResultSchema) });
export type RecordsResponse = z.output<typeof recordsResponseSchema>;

/**
 * `GET /api/revocations?after=<cursor>` — tokens an admin revoked on the server, for the asking
 * desk's own slips, after the desk's cursor (the server's revocation number, never a time), oldest
 * first. The desk marks each slip revoked and stores `cursor`; `more` says another page is waiting.
 */
export const MAX_REVOCATIONS_PER_PAGE = 200;

export const serverRevocationSchema = z.object({
  /** The server's revocation number: strictly increasing, the desk's cursor. */
  seq: z.number().int().positive(),
  slipId: z.string(),
  tokenHash: z.string().regex(/^[0-9a-f]{64}$/),
  revokedAt: z.number().int(),
  reason: z.string(),
  /** The admin's user name on the server (staff, not patient data), for the desk's audit log. */
  revokedBy: z.string(),
});
export type ServerRevocation = z.output<typeof serverRevocationSchema>;

export const revocationFeedSchema = z.object({
  revocations: z.array(serverRevocationSchema),
  /** Where the next request starts: the last `seq` on this page, or the cursor sent when empty. */
  cursor: z.number().int().min(0),
  more: z.boolean(),
});
export type RevocationFeed = z.output<typeof revocationFeedSchema>;
