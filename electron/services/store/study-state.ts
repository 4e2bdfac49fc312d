/**
 * The one definition of a study's state, derived (never stored) from its instances' outbox rows,
 * its visit link and its release time, so it can never disagree with the rows it summarises.
 *
 *   arrives ──▶ new ──(NEW_STUDY_WINDOW_MS, no visit)──▶ needs-visit
 *                │                                          │
 *                └──────── visit attached / released ───────┴──▶ ready (all held)
 *                                                                  │ released
 *                                                                  ▼
 *                                   error ◀── any failed ──── sending (pending/sending/some sent)
 *                                                                  │ every instance sent/verified/purged
 *                                                                  ▼
 *                                                               in-pacs
 *
 * Precedence, first match wins: error, in-pacs, sending, ready, new, needs-visit.
 * Both forms below encode the same rules; a test checks them against each other.
 */
import type { StudyState } from '../../../shared/contract/ingest';
import type { Db } from './database';

export type { StudyState };

/** How long a study without a visit counts as just arrived (more views may still come). */
export const NEW_STUDY_WINDOW_MS = 10 * 60_000;

export type OutboxStatus = 'held' | 'pending' | 'sending' | 'sent' | 'verified' | 'failed' | 'purged';

export interface StudyStateInput {
  readonly outboxStatuses: readonly OutboxStatus[];
  readonly visitId: string | null;
  readonly releasedAt: number | null;
  readonly lastReceivedAt: number;
}

const DONE: ReadonlySet<OutboxStatus> = new Set(['sent', 'verified', 'purged']);
const MOVING: ReadonlySet<OutboxStatus> = new Set(['pending', 'sending', 'sent', 'verified', 'purged']);

export function deriveStudyState(s: StudyStateInput, now: number): StudyState {
  const st = s.outboxStatuses;
  if (st.some((x) => x === 'failed')) return 'error';
  if (st.length > 0 && st.every((x) => DONE.has(x))) return 'in-pacs';
  if (st.some((x) => MOVING.has(x))) return 'sending';
  if (s.visitId !== null || s.releasedAt !== null) return 'ready';
  if (s.lastReceivedAt >= now - NEW_STUDY_WINDOW_MS) return 'new';
  return 'needs-visit';
}

/**
 * SQL expression for the state of the `studies` row aliased `alias`. Binds the named parameter
 * `@stateNewSince` (= now − NEW_STUDY_WINDOW_MS; use `stateParams(now)`).
 */
export function studyStateSql(alias = 's'): string {
  return `(SELECT CASE
      WHEN COALESCE(SUM(o.status = 'failed'), 0) > 0 THEN 'error'
      WHEN COUNT(o.instance_id) > 0 AND SUM(o.status IN ('sent', 'verified', 'purged')) = COUNT(o.instance_id) THEN 'in-pacs'
      WHEN COALESCE(SUM(o.status IN ('pending', 'sending', 'sent', 'verified', 'purged')), 0) > 0 THEN 'sending'
      WHEN ${alias}.visit_id IS NOT NULL OR ${alias}.released_at IS NOT NULL THEN 'ready'
      WHEN ${alias}.last_received_at >= @stateNewSince THEN 'new'
      ELSE 'needs-visit'
    END
    FROM instances si JOIN outbox o ON o.instance_id = si.id
    WHERE si.study_uid = ${alias}.study_uid)`;
}

export function stateParams(now: number): { stateNewSince: number } {
  return { stateNewSince: now - NEW_STUDY_WINDOW_MS };
}

/** The state of one study, or null when it does not exist. */
export function studyStateOf(db: Db, studyInstanceUID: string, now: number): StudyState | null {
  const row = db
    .prepare(`SELECT ${studyStateSql('s')} AS state FROM studies s WHERE s.study_uid = @uid`)
    .get({ uid: studyInstanceUID, ...stateParams(now) }) as { state: StudyState } | undefined;
  return row?.state ?? null;
}
