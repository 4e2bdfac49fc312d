/**
 * The PACS outbox in SQLite (table from 010-ingest, columns from 021-sync). Every state change is
 * one statement or one immediate transaction, so a kill at any moment leaves each row in a state
 * the next run understands:
 *
 *   held ──release──▶ pending ──claim (lease)──▶ sending ──listed as stored──▶ sent ──QIDO finds it──▶ verified ──retention──▶ purged
 *                       ▲  ▲                        │                              │
 *                       │  └── request failed, ─────┤                              │ QIDO misses it 3×
 *                       │      retryable instance   │                              │
 *                       │      failure (backoff)    └── permanent ──▶ failed       │
 *                       └──────────────────────────────── operator: retry ◀────────┘ (and from failed)
 *
 * A lease names its owner (`<pid>:<run id>`) and an expiry; a run renews its leases while a request
 * is in flight. Rows leased by a run that died (expired, or its process is gone) return to pending.
 */
import type { Db } from '../store/database';
import { qaSendableSql } from '../review/qa-gate';
import type { ErrorInfo } from '../pacs/pacs-client';
import type { OutboxStatus } from '../../../shared/contract/sync';

export interface ClaimedRow {
  readonly instanceId: number;
  readonly sopInstanceUID: string;
  readonly studyInstanceUID: string;
  /** Relative to the store folder; read them through `sendPathFor`. */
  readonly filePath: string;
  /** The corrected copy written when the study was attached to a visit (031-visit-corrections), or null. */
  readonly sendPath: string | null;
  readonly size: number;
  readonly attempts: number;
}

export interface StatusCounts {
  readonly counts: Record<OutboxStatus, number>;
  readonly bytesPending: number;
  readonly studiesWaiting: number;
}

export interface StudyRow {
  readonly studyInstanceUID: string;
  readonly patientName: string;
  readonly patientID: string;
  readonly accessionNumber: string;
  readonly studyDate: string;
  readonly releasedAt: number | null;
  readonly counts: Record<OutboxStatus, number>;
  readonly total: number;
  readonly bytesTotal: number;
  readonly bytesDone: number;
  readonly lastError: ErrorInfo | null;
  readonly nextAttemptAt: number | null;
}

const STATUSES: readonly OutboxStatus[] = ['held', 'pending', 'sending', 'sent', 'verified', 'failed', 'purged'];
const zeroCounts = (): Record<OutboxStatus, number> => ({ held: 0, pending: 0, sending: 0, sent: 0, verified: 0, failed: 0, purged: 0 });

/** Error parameters are kept as JSON, so the message is rendered in either language when shown. */
export function encodeError(e: ErrorInfo): { code: string; detail: string } {
  return { code: e.code, detail: JSON.stringify(e.params) };
}
export function decodeError(code: string | null, detail: string | null): ErrorInfo | null {
  if (!code) return null;
  let params: ErrorInfo['params'] = {};
  try {
    const parsed: unknown = detail ? JSON.parse(detail) : {};
    if (typeof parsed === 'object' && parsed !== null) params = parsed as ErrorInfo['params'];
  } catch {
    params = { detail: detail ?? '' };
  }
  return { code: code as ErrorInfo['code'], params };
}

export type OutboxStore = ReturnType<typeof createOutboxStore>;

export function createOutboxStore(db: Db) {
  // The review capability's QA gate (qa-gate.ts): rejected images never go; with review.requireQa a
  // study waits until every image is reviewed. One prepared statement per setting value.
  const candidatesSql = (requireQa: boolean) => `
    SELECT o.instance_id AS instanceId, i.sop_instance_uid AS sopInstanceUID, i.study_uid AS studyInstanceUID,
           i.file_path AS filePath, i.send_path AS sendPath, COALESCE(i.send_size, i.size) AS size, o.attempts AS attempts
    FROM outbox o JOIN instances i ON i.id = o.instance_id
    WHERE o.status = 'pending' AND o.available_at <= ? AND ${qaSendableSql(requireQa, 'i')}
    ORDER BY o.available_at, o.instance_id
    LIMIT ?`;
  const claimCandidates = { open: db.prepare(candidatesSql(false)), requireQa: db.prepare(candidatesSql(true)) };
  const lease = db.prepare(`UPDATE outbox SET status = 'sending', lease_owner = ?, lease_until = ? WHERE instance_id = ? AND status = 'pending'`);
  const leased = (ids: readonly number[]) => `instance_id IN (${ids.map(() => '?').join(',')}) AND status = 'sending' AND lease_owner = ?`;

  return {
    /**
     * Leases up to `maxCount` ready rows whose sizes add up to at most `maxBytes` (the first row
     * always fits). One immediate transaction: two runs never lease the same row.
     */
    claim(owner: string, now: number, leaseUntil: number, maxCount: number, maxBytes: number, requireQa = false): ClaimedRow[] {
      return db
        .transaction(() => {
          const rows = (requireQa ? claimCandidates.requireQa : claimCandidates.open).all(now, maxCount) as ClaimedRow[];
          const picked: ClaimedRow[] = [];
          let bytes = 0;
          for (const r of rows) {
            if (picked.length > 0 && bytes + r.size > maxBytes) break;
            if (lease.run(owner, leaseUntil, r.instanceId).changes === 1) {
              picked.push(r);
              bytes += r.size;
            }
          }
          return picked;
        })
        .immediate();
    },

    renew(owner: string, ids: readonly number[], leaseUntil: number): void {
      if (ids.length === 0) return;
      db.prepare(`UPDATE outbox SET lease_until = ? WHERE ${leased(ids)}`).run(leaseUntil, ...ids, owner);
    },

    /** Rows whose lease expired or whose owner is no longer running go back to pending. */
    recoverLeases(owner: string, now: number, ownerAlive: (owner: string) => boolean): number {
      return db
        .transaction(() => {
          const rows = db.prepare(`SELECT instance_id AS id, lease_owner AS leaseOwner, lease_until AS leaseUntil FROM outbox WHERE status = 'sending'`).all() as {
            id: number;
            leaseOwner: string | null;
            leaseUntil: number | null;
          }[];
          const back = db.prepare(`UPDATE outbox SET status = 'pending', lease_owner = NULL, lease_until = NULL WHERE instance_id = ? AND status = 'sending'`);
          let n = 0;
          for (const r of rows) {
            if (r.leaseOwner === owner) continue;
            if (r.leaseOwner === null || (r.leaseUntil ?? 0) <= now || !ownerAlive(r.leaseOwner)) n += back.run(r.id).changes;
          }
          return n;
        })
        .immediate();
    },

    /** The request got no verdict on these rows: they wait in the queue as before, no attempt counted. */
    release(owner: string, ids: readonly number[]): void {
      if (ids.length === 0) return;
      db.prepare(`UPDATE outbox SET status = 'pending', lease_owner = NULL, lease_until = NULL WHERE ${leased(ids)}`).run(...ids, owner);
    },

    /** Listed in ReferencedSOPSequence: sent, verification due at `verifyAt`. */
    markSent(owner: string, ids: readonly number[], now: number, verifyAt: number): void {
      if (ids.length === 0) return;
      db.prepare(
        `UPDATE outbox SET status = 'sent', sent_at = ?, available_at = ?, verify_misses = 0, lease_owner = NULL, lease_until = NULL,
           last_error_code = NULL, last_error = NULL WHERE ${leased(ids)}`,
      ).run(now, verifyAt, ...ids, owner);
    },

    /** A retryable instance failure: counted, tried again at `availableAt`. */
    markRetry(owner: string, id: number, error: ErrorInfo, availableAt: number): void {
      const e = encodeError(error);
      db.prepare(
        `UPDATE outbox SET status = 'pending', attempts = attempts + 1, available_at = ?, last_error_code = ?, last_error = ?,
           lease_owner = NULL, lease_until = NULL WHERE ${leased([id])}`,
      ).run(availableAt, e.code, e.detail, id, owner);
    },

    /** A permanent failure: kept with its reason until the operator retries. */
    markFailed(owner: string, id: number, error: ErrorInfo): void {
      const e = encodeError(error);
      db.prepare(
        `UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error_code = ?, last_error = ?, lease_owner = NULL, lease_until = NULL
         WHERE ${leased([id])}`,
      ).run(e.code, e.detail, id, owner);
    },

    /** Studies with sent rows whose verification is due, oldest first. */
    studiesToVerify(now: number, limit: number): string[] {
      return (
        db
          .prepare(
            `SELECT i.study_uid AS uid FROM outbox o JOIN instances i ON i.id = o.instance_id
             WHERE o.status = 'sent' AND o.available_at <= ? GROUP BY i.study_uid ORDER BY MIN(o.available_at) LIMIT ?`,
          )
          .all(now, limit) as { uid: string }[]
      ).map((r) => r.uid);
    },

    sentRowsOfStudy(studyUID: string): { instanceId: number; sopInstanceUID: string; verifyMisses: number; availableAt: number }[] {
      return db
        .prepare(
          `SELECT o.instance_id AS instanceId, i.sop_instance_uid AS sopInstanceUID, o.verify_misses AS verifyMisses, o.available_at AS availableAt
           FROM outbox o JOIN instances i ON i.id = o.instance_id WHERE o.status = 'sent' AND i.study_uid = ?`,
        )
        .all(studyUID) as { instanceId: number; sopInstanceUID: string; verifyMisses: number; availableAt: number }[];
    },

    markVerified(ids: readonly number[], now: number): void {
      if (ids.length === 0) return;
      db.prepare(`UPDATE outbox SET status = 'verified', verified_at = ? WHERE instance_id IN (${ids.map(() => '?').join(',')}) AND status = 'sent'`).run(
        now,
        ...ids,
      );
    },

    /** QIDO did not list a sent instance: look again at `availableAt`, or send it again. */
    markVerifyMiss(id: number, availableAt: number, resend: boolean, error: ErrorInfo): void {
      const e = encodeError(error);
      if (resend) {
        db.prepare(
          `UPDATE outbox SET status = 'pending', available_at = ?, verify_misses = 0, last_error_code = ?, last_error = ? WHERE instance_id = ? AND status = 'sent'`,
        ).run(availableAt, e.code, e.detail, id);
      } else {
        db.prepare(`UPDATE outbox SET verify_misses = verify_misses + 1, available_at = ? WHERE instance_id = ? AND status = 'sent'`).run(availableAt, id);
      }
    },

    purgeCandidates(verifiedBefore: number, limit: number): { instanceId: number; studyInstanceUID: string; filePath: string; sendPath: string | null }[] {
      return db
        .prepare(
          `SELECT o.instance_id AS instanceId, i.study_uid AS studyInstanceUID, i.file_path AS filePath, i.send_path AS sendPath
           FROM outbox o JOIN instances i ON i.id = o.instance_id
           WHERE o.status = 'verified' AND o.verified_at <= ? ORDER BY o.verified_at LIMIT ?`,
        )
        .all(verifiedBefore, limit) as { instanceId: number; studyInstanceUID: string; filePath: string; sendPath: string | null }[];
    },

    markPurged(id: number, now: number): void {
      db.prepare(`UPDATE outbox SET status = 'purged', purged_at = ? WHERE instance_id = ? AND status = 'verified'`).run(now, id);
    },

    /** True when no row of the study is held, waiting, in flight, unverified or failed. */
    outboxSettled(studyUID: string): boolean {
      const row = db
        .prepare(
          `SELECT COUNT(*) AS n FROM outbox o JOIN instances i ON i.id = o.instance_id
           WHERE i.study_uid = ? AND o.status IN ('held', 'pending', 'sending', 'sent', 'failed')`,
        )
        .get(studyUID) as { n: number };
      return row.n === 0;
    },

    /** Sets released_at on the studies and moves their held rows to pending. Returns the instance count. */
    releaseStudies(studyUIDs: readonly string[], now: number): number {
      return db.transaction(() => {
        let n = 0;
        for (const uid of studyUIDs) {
          db.prepare(`UPDATE studies SET released_at = COALESCE(released_at, ?) WHERE study_uid = ?`).run(now, uid);
          n += db
            .prepare(`UPDATE outbox SET status = 'pending', available_at = ? WHERE status = 'held' AND instance_id IN (SELECT id FROM instances WHERE study_uid = ?)`)
            .run(now, uid).changes;
        }
        return n;
      })();
    },

    /**
     * Held rows of studies that are released (an instance arriving after the release, written held
     * by a path that did not look at released_at) become pending: released means "may go".
     */
    promoteReleased(now: number): number {
      return db
        .prepare(
          `UPDATE outbox SET status = 'pending', available_at = ? WHERE status = 'held' AND instance_id IN
             (SELECT i.id FROM instances i JOIN studies s ON s.study_uid = i.study_uid WHERE s.released_at IS NOT NULL)`,
        )
        .run(now).changes;
    },

    existingStudies(studyUIDs: readonly string[]): { studyInstanceUID: string; patientID: string }[] {
      if (studyUIDs.length === 0) return [];
      return db
        .prepare(`SELECT study_uid AS studyInstanceUID, patient_id AS patientID FROM studies WHERE study_uid IN (${studyUIDs.map(() => '?').join(',')})`)
        .all(...studyUIDs) as { studyInstanceUID: string; patientID: string }[];
    },

    /** "Retry now": failed rows and rows backing off become ready at once; also re-checks unverified rows. */
    retry(now: number, studyUIDs?: readonly string[]): number {
      if (studyUIDs && studyUIDs.length === 0) return 0;
      const scope = studyUIDs ? `AND instance_id IN (SELECT id FROM instances WHERE study_uid IN (${studyUIDs.map(() => '?').join(',')}))` : '';
      const args = studyUIDs ?? [];
      return db.transaction(() => {
        const a = db.prepare(`UPDATE outbox SET status = 'pending', attempts = 0, available_at = ? WHERE status = 'failed' ${scope}`).run(now, ...args).changes;
        const b = db.prepare(`UPDATE outbox SET available_at = ? WHERE status IN ('pending', 'sent') AND available_at > ? ${scope}`).run(now, now, ...args).changes;
        return a + b;
      })();
    },

    statusCounts(): StatusCounts {
      // Counted from the status index alone; sizes only for the few rows still to go (the outbox
      // keeps a row per instance for ever, so the idle loop must not join all of them each second).
      const counts = zeroCounts();
      for (const r of db.prepare(`SELECT status, COUNT(*) AS n FROM outbox GROUP BY status`).all() as { status: OutboxStatus; n: number }[]) counts[r.status] = r.n;
      const w = db
        .prepare(
          `SELECT COALESCE(SUM(COALESCE(i.send_size, i.size)), 0) AS bytes, COUNT(DISTINCT i.study_uid) AS studies
           FROM outbox o JOIN instances i ON i.id = o.instance_id WHERE o.status IN ('pending', 'sending')`,
        )
        .get() as { bytes: number; studies: number };
      return { counts, bytesPending: w.bytes, studiesWaiting: w.studies };
    },

    /** Earliest `available_at` among pending (and, when `withSent`, sent) rows, or null. */
    nextDue(withSent: boolean): number | null {
      const r = db
        .prepare(`SELECT MIN(available_at) AS t FROM outbox WHERE status IN (${withSent ? `'pending', 'sent'` : `'pending'`})`)
        .get() as { t: number | null };
      return r.t;
    },

    hasPending(): boolean {
      return db.prepare(`SELECT 1 FROM outbox WHERE status = 'pending' LIMIT 1`).get() !== undefined;
    },

    studies(opts: { unresolvedOnly: boolean; limit: number; offset: number; studyUIDs?: readonly string[] }): { items: StudyRow[]; total: number } {
      const where: string[] = [];
      const args: (string | number)[] = [];
      if (opts.unresolvedOnly) where.push(`EXISTS (SELECT 1 FROM outbox o2 JOIN instances i2 ON i2.id = o2.instance_id WHERE i2.study_uid = s.study_uid AND o2.status IN ('pending', 'sending', 'sent', 'failed'))`);
      if (opts.studyUIDs) {
        where.push(`s.study_uid IN (${opts.studyUIDs.map(() => '?').join(',')})`);
        args.push(...opts.studyUIDs);
      }
      const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
      const total = (db.prepare(`SELECT COUNT(*) AS n FROM studies s ${whereSql}`).get(...args) as { n: number }).n;
      const studies = db
        .prepare(
          // Attached studies go to the PACS under the visit's identity: show that one.
          `SELECT s.study_uid AS uid, COALESCE(v.patient_name, s.patient_name) AS patientName, COALESCE(v.patient_id, s.patient_id) AS patientID,
                  COALESCE(NULLIF(v.accession_number, ''), s.accession_number) AS accessionNumber,
                  s.study_date AS studyDate, s.released_at AS releasedAt
           FROM studies s LEFT JOIN visits v ON v.id = s.visit_id ${whereSql} ORDER BY s.last_received_at DESC, s.study_uid LIMIT ? OFFSET ?`,
        )
        .all(...args, opts.limit, opts.offset) as {
        uid: string;
        patientName: string;
        patientID: string;
        accessionNumber: string;
        studyDate: string;
        releasedAt: number | null;
      }[];
      const perStatus = db.prepare(
        `SELECT o.status AS status, COUNT(*) AS n, COALESCE(SUM(COALESCE(i.send_size, i.size)), 0) AS bytes, MIN(CASE WHEN o.status = 'pending' THEN o.available_at END) AS next
         FROM outbox o JOIN instances i ON i.id = o.instance_id WHERE i.study_uid = ? GROUP BY o.status`,
      );
      const lastError = db.prepare(
        `SELECT o.last_error_code AS code, o.last_error AS detail FROM outbox o JOIN instances i ON i.id = o.instance_id
         WHERE i.study_uid = ? AND o.last_error_code IS NOT NULL AND o.status IN ('failed', 'pending')
         ORDER BY o.status = 'failed' DESC, o.instance_id DESC LIMIT 1`,
      );
      const items = studies.map((s): StudyRow => {
        const counts = zeroCounts();
        let bytesTotal = 0;
        let bytesDone = 0;
        let nextAttemptAt: number | null = null;
        for (const r of perStatus.all(s.uid) as { status: OutboxStatus; n: number; bytes: number; next: number | null }[]) {
          counts[r.status] = r.n;
          bytesTotal += r.bytes;
          if (r.status === 'sent' || r.status === 'verified' || r.status === 'purged') bytesDone += r.bytes;
          if (r.next !== null) nextAttemptAt = r.next;
        }
        const e = lastError.get(s.uid) as { code: string; detail: string | null } | undefined;
        return {
          studyInstanceUID: s.uid,
          patientName: s.patientName,
          patientID: s.patientID,
          accessionNumber: s.accessionNumber,
          studyDate: s.studyDate,
          releasedAt: s.releasedAt,
          counts,
          total: STATUSES.reduce((n, st) => n + counts[st], 0),
          bytesTotal,
          bytesDone,
          lastError: e ? decodeError(e.code, e.detail) : null,
          nextAttemptAt,
        };
      });
      return { items, total };
    },
  };
}
