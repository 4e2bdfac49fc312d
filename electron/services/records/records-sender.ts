/**
 * Delivers the records outbox to the clinic server (`POST {server.url}/api/records`, shared/records.ts),
 * and brings back what admins revoked there (`GET {server.url}/api/revocations`, revocation-pull.ts).
 *
 *        kick / timer                     200: per record
 *   idle ─────────────▶ sending ───────────────────────────▶ pulling ──▶ idle
 *     ▲                   │                                  (after a push that sent something,
 *     │                   │ network error, timeout,           or when idle and the pull is due;
 *     │                   │ 401/403, 5xx, bad answer          its failures back off on their own)
 *     │                   ▼
 *     └──── timer ──── backoff(n): min(cap, base·2^(n-1)), full jitter in the upper half
 *
 * A record leaves `pending` only on the server's explicit answer for its id, so nothing is lost
 * while the server is down and nothing is delivered twice in effect (the server is idempotent by
 * id). A failure backs the whole sender off — the next batch would fail the same way — and the
 * wait always grows to a cap: a dead server never becomes a hot loop. Jitter comes from
 * node:crypto so that desks restarted together do not retry in step.
 */
import { randomInt } from 'node:crypto';
import type { Db } from '../store/database';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import { DeskError } from '../../../shared/errors';
import type { ErrorCode } from '../../../shared/error-messages';
import { recordsResponseSchema, MAX_RECORDS_PER_BATCH, type RecordKind } from '../../../shared/records';
import type { RecordsState } from '../../../shared/contract/records';
import type { AuditLog } from '../audit/audit-log';
import { createRevocationPull } from './revocation-pull';
import { callServer, ServerCallFailure } from './server-call';

export interface RecordsTarget {
  readonly url: string;
  readonly apiKey: string;
}

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface RecordsSenderDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** Slips revoked on the server are audited here as they are applied. */
  audit: Pick<AuditLog, 'append'>;
  /** Read on every attempt, so a settings change applies without a restart. */
  target: () => RecordsTarget;
  fetch?: typeof fetch;
  timers?: Timers;
  /** Uniform integer in [0, max) — node:crypto by default. */
  randomInt?: (max: number) => number;
  onState?: (state: RecordsState) => void;
  /** Called when a pull revoked slips here, so open slip lists reload. */
  onSlipsRevoked?: (count: number) => void;
  batchSize?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** How often an idle sender looks for records enqueued without a kick. */
  pollMs?: number;
  /** How often an idle sender asks the server for revocations (also right after every push). */
  pullEveryMs?: number;
  timeoutMs?: number;
}

export interface PassResult {
  readonly sent: number;
  readonly delivered: number;
  readonly rejected: number;
  /** Set when the pass stopped on a failure (the sender is then backing off). */
  readonly error: ErrorCode | null;
  /** Slips this pass marked revoked because an admin revoked them on the server. */
  readonly revoked: number;
  /** Set when the revocation pull failed (it then backs off on its own; delivery is unaffected). */
  readonly pullError: ErrorCode | null;
}

export interface RecordsSender {
  /** Sends batches until nothing is ready or one fails. Never runs twice at once. */
  runOnce(): Promise<PassResult>;
  start(): void;
  stop(): Promise<void>;
  /** Something was enqueued: send soon (unless backing off). */
  kick(): void;
  /** Forget the backoffs and try now: delivery, then the revocation pull. */
  sendNow(): Promise<RecordsState>;
  state(): RecordsState;
}

interface OutboxRow {
  id: string;
  kind: RecordKind;
  payload: string;
}

const MIN_DELAY_MS = 1000;

export function createRecordsSender(deps: RecordsSenderDeps): RecordsSender {
  const { db, clock, logger } = deps;
  const doFetch = deps.fetch ?? fetch;
  const timers: Timers = deps.timers ?? { set: (fn, ms) => setTimeout(fn, ms), clear: (h) => clearTimeout(h as NodeJS.Timeout) };
  const rand = deps.randomInt ?? ((max: number) => randomInt(max));
  const batchSize = Math.min(deps.batchSize ?? 100, MAX_RECORDS_PER_BATCH);
  const baseDelay = Math.max(MIN_DELAY_MS, deps.baseDelayMs ?? 5_000);
  const maxDelay = Math.max(baseDelay, deps.maxDelayMs ?? 10 * 60_000);
  const pollMs = Math.max(MIN_DELAY_MS, deps.pollMs ?? 5_000);
  const timeoutMs = deps.timeoutMs ?? 30_000;
  const pullEvery = Math.max(MIN_DELAY_MS, deps.pullEveryMs ?? 60_000);
  const puller = createRevocationPull({ db, clock, logger, audit: deps.audit, target: deps.target, fetch: doFetch, timeoutMs });

  let failures = 0;
  let lastError: { code: ErrorCode; message: string } | null = null;
  let pullError: { code: ErrorCode; message: string } | null = null;
  let lastAttemptAt: number | null = null;
  let lastSuccessAt: number | null = null;
  let backoffUntil: number | null = null;
  let running: Promise<PassResult> | null = null;
  let timer: unknown = null;
  let started = false;
  let nextAt: number | null = null;
  let pullFailures = 0;
  let nextPullAt = 0;

  const ready = db.prepare(
    `SELECT id, kind, payload FROM records_outbox WHERE status = 'pending' AND available_at <= ? ORDER BY created_at, rowid LIMIT ?`,
  );
  const markDelivered = db.prepare(`UPDATE records_outbox SET status = 'delivered', delivered_at = ?, last_error = NULL, attempts = attempts + 1 WHERE id = ? AND status = 'pending'`);
  const markRejected = db.prepare(`UPDATE records_outbox SET status = 'rejected', last_error = ?, attempts = attempts + 1 WHERE id = ? AND status = 'pending'`);
  const markRetry = db.prepare(`UPDATE records_outbox SET attempts = attempts + 1, available_at = ?, last_error = ? WHERE id = ? AND status = 'pending'`);
  const counts = db.prepare(`SELECT status, count(*) AS n FROM records_outbox GROUP BY status`);
  const nextPending = db.prepare(`SELECT min(available_at) AS at FROM records_outbox WHERE status = 'pending'`);

  const configured = () => {
    const t = deps.target();
    return t.url !== '' && t.apiKey !== '';
  };

  /** The n-th consecutive failure waits min(cap, base·2^(n-1)), jittered within its upper half. */
  const backoffDelay = (n: number): number => {
    const full = Math.min(maxDelay, baseDelay * 2 ** Math.min(n - 1, 30));
    const half = Math.floor(full / 2);
    return half + rand(full - half + 1);
  };

  function state(): RecordsState {
    const c: Record<string, number> = { pending: 0, delivered: 0, rejected: 0 };
    for (const r of counts.all() as { status: string; n: number }[]) c[r.status] = r.n;
    return {
      configured: configured(),
      pending: c.pending ?? 0,
      delivered: c.delivered ?? 0,
      rejected: c.rejected ?? 0,
      lastError,
      lastAttemptAt,
      lastSuccessAt,
      nextAttemptAt: nextAt,
      pullError,
    };
  }

  const publish = () => deps.onState?.(state());

  async function post(rows: OutboxRow[]): Promise<{ id: string; status: 'stored' | 'duplicate' | 'rejected'; error?: string }[]> {
    const { url, apiKey } = deps.target();
    const body = JSON.stringify({ records: rows.map((r) => ({ id: r.id, kind: r.kind, payload: JSON.parse(r.payload) as unknown })) });
    const parsed = await callServer(doFetch, { url, apiKey, path: '/api/records', init: { method: 'POST', body }, schema: recordsResponseSchema, timeoutMs });
    return parsed.results;
  }

  type PushResult = Omit<PassResult, 'revoked' | 'pullError'>;

  async function push(): Promise<PushResult> {
    let sent = 0;
    let delivered = 0;
    let rejected = 0;
    if (!configured()) {
      lastError = { code: 'SERVER_NOT_CONFIGURED', message: new DeskError('SERVER_NOT_CONFIGURED').toShape().message };
      return { sent, delivered, rejected, error: 'SERVER_NOT_CONFIGURED' };
    }
    for (;;) {
      const now = clock.now();
      const rows = ready.all(now, batchSize) as OutboxRow[];
      if (rows.length === 0) return { sent, delivered, rejected, error: null };
      lastAttemptAt = now;
      try {
        const results = await post(rows);
        const byId = new Map(results.map((r) => [r.id, r]));
        const at = clock.now();
        // An id the server did not answer for stays pending and is retried after the backoff.
        const unanswered = rows.filter((r) => !byId.has(r.id));
        db.transaction(() => {
          for (const r of rows) {
            const res = byId.get(r.id);
            if (!res) continue;
            if (res.status === 'rejected') {
              markRejected.run((res.error ?? 'rejected').slice(0, 500), r.id);
              rejected++;
            } else {
              markDelivered.run(at, r.id);
              delivered++;
            }
          }
        })();
        sent += rows.length;
        lastSuccessAt = at;
        if (unanswered.length > 0) throw new ServerCallFailure('SERVER_FAILED', { status: 'partial' });
        failures = 0;
        lastError = null;
        backoffUntil = null;
      } catch (e) {
        if (!(e instanceof ServerCallFailure)) throw e;
        failures++;
        const delay = backoffDelay(failures);
        const until = clock.now() + delay;
        backoffUntil = until;
        lastError = { code: e.code, message: new DeskError(e.code, e.params).toShape().message };
        db.transaction(() => {
          for (const r of rows) markRetry.run(until, e.code, r.id);
        })();
        logger.warn('records delivery failed', { code: e.code, records: rows.length, failures, retryInMs: delay });
        return { sent, delivered, rejected, error: e.code };
      }
    }
  }

  /** Pulls when a push just went through (the server is up) or when the idle pull is due. */
  async function pull(pushed: number): Promise<{ revoked: number; pullError: ErrorCode | null }> {
    const now = clock.now();
    if (pushed === 0 && now < nextPullAt) return { revoked: 0, pullError: null };
    try {
      const r = await puller.pull();
      pullFailures = 0;
      pullError = null;
      nextPullAt = clock.now() + pullEvery;
      if (r.applied > 0) deps.onSlipsRevoked?.(r.applied);
      return { revoked: r.applied, pullError: null };
    } catch (e) {
      if (!(e instanceof ServerCallFailure)) throw e;
      pullFailures++;
      pullError = { code: e.code, message: new DeskError(e.code, e.params).toShape().message };
      const delay = backoffDelay(pullFailures);
      nextPullAt = clock.now() + delay;
      logger.warn('server revocations pull failed', { code: e.code, failures: pullFailures, retryInMs: delay });
      return { revoked: 0, pullError: e.code };
    }
  }

  async function pass(): Promise<PassResult> {
    const pushed = await push();
    // A failed push (or no server configured) says the server is out of reach: no pull either.
    if (pushed.error) return { ...pushed, revoked: 0, pullError: null };
    return { ...pushed, ...(await pull(pushed.sent)) };
  }

  function runOnce(): Promise<PassResult> {
    if (!running) {
      running = pass().finally(() => {
        running = null;
        publish();
      });
    }
    return running;
  }

  /** When to look again: after the backoff, at the next record's time, or at the idle poll. */
  function nextDelay(): number {
    const now = clock.now();
    if (backoffUntil !== null && backoffUntil > now) return backoffUntil - now;
    const row = nextPending.get() as { at: number | null };
    if (row.at !== null && configured()) return Math.min(pollMs, Math.max(0, row.at - now));
    return pollMs;
  }

  function schedule(ms: number): void {
    if (!started) return;
    if (timer !== null) timers.clear(timer);
    const delay = Math.max(MIN_DELAY_MS, ms);
    nextAt = clock.now() + delay;
    timer = timers.set(() => {
      timer = null;
      nextAt = null;
      void runOnce()
        .catch((e: unknown) => logger.error('records sender pass failed', { error: e instanceof Error ? e.message : String(e) }))
        .finally(() => schedule(nextDelay()));
    }, delay);
  }

  return {
    runOnce,
    state,
    start() {
      if (started) return;
      started = true;
      schedule(0);
    },
    async stop() {
      started = false;
      if (timer !== null) timers.clear(timer);
      timer = null;
      nextAt = null;
      await running?.catch(() => {});
    },
    kick() {
      if (!started || running) return;
      if (backoffUntil !== null && backoffUntil > clock.now()) return;
      schedule(0);
    },
    async sendNow() {
      backoffUntil = null;
      failures = 0;
      pullFailures = 0;
      nextPullAt = 0;
      db.prepare(`UPDATE records_outbox SET available_at = 0 WHERE status = 'pending'`).run();
      await runOnce();
      if (started) schedule(nextDelay());
      return state();
    },
  };
}
