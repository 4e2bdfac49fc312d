/**
 * Contract slice: sending images to the PACS over DICOMweb, and what the operator sees of it.
 *
 * "In PACS" is only ever claimed for an instance the PACS listed in the STOW-RS response's
 * ReferencedSOPSequence (PS3.18 §10.5.3) and later found again by QIDO-RS (PS3.18 §10.6).
 */
import { z } from 'zod';
import { method } from './define';

const empty = z.object({}).strict();
const uid = z.string().regex(/^[0-9.]{1,64}$/, 'UID: digits and dots, at most 64 characters');

/** A message in both UI languages (rendered from an error code and its parameters). */
export const bilingualSchema = z.object({ code: z.string(), vi: z.string(), en: z.string() });
export type Bilingual = z.output<typeof bilingualSchema>;

export const OUTBOX_STATUSES = ['held', 'pending', 'sending', 'sent', 'verified', 'failed', 'purged'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/**
 * Connection state as the status bar shows it:
 *   unconfigured — no DICOMweb URL;   unknown — nothing sent since start or since settings changed;
 *   online — the last request got an HTTP answer;   offline — the PACS is unreachable, answers 5xx
 *   or rejects the credentials: one probe per backoff period until it answers again.
 */
export const connectionSchema = z.enum(['unconfigured', 'unknown', 'online', 'offline']);

export const syncStatusSchema = z.object({
  online: z.boolean(),
  connection: connectionSchema,
  /** Instances waiting to go (pending, including those backing off), being sent, sent but not yet verified, … */
  held: z.number().int(),
  pending: z.number().int(),
  sending: z.number().int(),
  sent: z.number().int(),
  verified: z.number().int(),
  failed: z.number().int(),
  bytesPending: z.number().int(),
  /** Studies with an instance pending or being sent ("PACS offline — N studies waiting"). */
  studiesWaiting: z.number().int(),
  /** Why the PACS is offline (or the last request failed), or null. */
  lastError: bilingualSchema.nullable(),
  /** When the next probe goes out while offline (epoch ms), else null. */
  nextProbeAt: z.number().int().nullable(),
  /** Free space on the desk's data disk, and whether it is below `sync.diskWarnGB`. */
  diskFreeBytes: z.number().nullable(),
  diskLow: z.boolean(),
});
export type SyncStatus = z.output<typeof syncStatusSchema>;

export const studySyncSchema = z.object({
  studyInstanceUID: z.string(),
  patientName: z.string(),
  patientID: z.string(),
  accessionNumber: z.string(),
  studyDate: z.string(),
  releasedAt: z.number().int().nullable(),
  counts: z.object(Object.fromEntries(OUTBOX_STATUSES.map((s) => [s, z.number().int()])) as Record<OutboxStatus, z.ZodNumber>),
  total: z.number().int(),
  bytesTotal: z.number().int(),
  /** Bytes of the instances the PACS acknowledged (sent, verified or purged). */
  bytesDone: z.number().int(),
  /** bytesDone / bytesTotal, 0…1. */
  progress: z.number(),
  /** The most recent instance-level error of the study (a failed instance, or one backing off). */
  lastError: bilingualSchema.nullable(),
  /** Earliest time a backing-off instance of the study is tried again (epoch ms), or null. */
  nextAttemptAt: z.number().int().nullable(),
});
export type StudySync = z.output<typeof studySyncSchema>;

const pacsOverrideSchema = z.strictObject({
  dicomwebUrl: z.string().optional(),
  username: z.string().optional(),
  /** Omitted: the saved password (the renderer never sees it). */
  password: z.string().optional(),
  bearerToken: z.string().optional(),
  caFile: z.string().optional(),
  timeoutMs: z.number().int().min(1000).max(600_000).optional(),
});

export const syncMethods = {
  /** Tests the saved PACS settings, or these values over them (the Settings page before saving). Throws PACS_* errors. */
  'pacs.test': method({
    input: pacsOverrideSchema.default({}),
    output: z.object({ ok: z.literal(true), latencyMs: z.number(), url: z.string() }),
  }),
  /** Lets studies go to the PACS without a visit: their held instances become pending. */
  'studies.release': method({
    input: z.strictObject({ studyInstanceUIDs: z.array(uid).min(1).max(500) }),
    output: z.object({ released: z.array(z.string()), instances: z.number().int() }),
    audit: 'patient',
  }),
  'sync.status': method({ input: empty, output: syncStatusSchema }),
  'sync.list': method({
    input: z.strictObject({
      /** Only studies with something not yet verified (or failed). */
      unresolvedOnly: z.boolean().default(false),
      limit: z.number().int().min(1).max(1000).default(200),
      offset: z.number().int().min(0).default(0),
    }),
    output: z.object({ items: z.array(studySyncSchema), total: z.number().int() }),
  }),
  /** "Retry now": failed instances and those backing off are tried at once; offline → probe now. */
  'sync.retry': method({
    input: z.strictObject({ studyInstanceUIDs: z.array(uid).max(500).optional() }).default({}),
    output: z.object({ reset: z.number().int() }),
    audit: 'patient',
  }),
} as const;

export const syncProgressSchema = z.object({
  studyInstanceUID: z.string(),
  sent: z.number().int(),
  total: z.number().int(),
  bytesDone: z.number().int(),
  bytesTotal: z.number().int(),
  /** Recent upload throughput of the whole desk (bytes acknowledged per second). */
  bytesPerSecond: z.number(),
  /** Seconds left for this study at that throughput, or null when unknown. */
  etaSeconds: z.number().nullable(),
});
export type SyncProgress = z.output<typeof syncProgressSchema>;

export const syncEvents = {
  /** The status snapshot, throttled. */
  'sync.state': syncStatusSchema,
  /** One study's progress, after each acknowledged request touching it. */
  'sync.progress': syncProgressSchema,
} as const;
