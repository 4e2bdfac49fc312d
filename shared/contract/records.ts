/**
 * Contract slice: the records outbox to the clinic server — slips, token revocations, film
 * exceptions and audit records waiting for, or delivered to, the server. The desk works the same
 * with the server down; this slice only shows how far delivery has got.
 */
import { z } from 'zod';
import { method } from './define';
import { RECORD_KINDS } from '../records';
import { ERROR_CODES } from '../error-messages';

const empty = z.object({}).strict();

export const recordsStateSchema = z.object({
  /** server.url and server.apiKey are both set. */
  configured: z.boolean(),
  pending: z.number().int(),
  delivered: z.number().int(),
  rejected: z.number().int(),
  /** Why the last attempt failed; null after a success. */
  lastError: z.object({ code: z.enum(ERROR_CODES), message: z.string() }).nullable(),
  lastAttemptAt: z.number().int().nullable(),
  lastSuccessAt: z.number().int().nullable(),
  /** When the sender tries next (null: idle, nothing waiting). */
  nextAttemptAt: z.number().int().nullable(),
  /**
   * Why the last pull of the server's revocations failed (deliveries may still succeed: an older
   * server without the feed, say); null after a successful pull.
   */
  pullError: z.object({ code: z.enum(ERROR_CODES), message: z.string() }).nullable(),
});
export type RecordsState = z.output<typeof recordsStateSchema>;

export const outboxRecordSchema = z.object({
  id: z.string(),
  kind: z.enum(RECORD_KINDS),
  status: z.enum(['pending', 'delivered', 'rejected']),
  attempts: z.number().int(),
  createdAt: z.number().int(),
  deliveredAt: z.number().int().nullable(),
  /** The server's reason for a rejected record, or the last delivery failure of a pending one. */
  lastError: z.string().nullable(),
});
export type OutboxRecord = z.output<typeof outboxRecordSchema>;

export const recordsMethods = {
  'records.status': method({ input: empty, output: recordsStateSchema }),
  'records.list': method({
    input: z.strictObject({
      status: z.enum(['pending', 'delivered', 'rejected']).optional(),
      limit: z.number().int().min(1).max(1000).default(100),
    }),
    output: z.object({ items: z.array(outboxRecordSchema) }),
  }),
  /** Try now, skipping the current backoff wait (after fixing the URL or key, say). */
  'records.sendNow': method({ input: empty, output: recordsStateSchema }),
} as const;

export const recordsEvents = {
  'records.state': recordsStateSchema,
} as const;
