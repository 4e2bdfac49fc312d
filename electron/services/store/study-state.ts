/**
 * The one definition of a study's state, derived (never stored) from its instances' outbox rows,
 * their QA decisions, its visit link and its release time, so it can never disagree with the rows
 * it summarises — nor with what the sender will do.
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
 *   ready / sending ──(review.requireQa, an image not reviewed)──▶ needs-review ──(all reviewed)──▶ back
 *   any ──(every image rejected at QA: nothing will be sent)──▶ all-rejected
 *
 * The QA gate is the review capability's rule (review/qa-gate.ts, `qaSendableSql`), the same the
 * sender's claim obeys, used here rather than restated:
 * - an image the gate never lets go (rejected) does not count at all: a study whose only images
 *   not yet in the PACS are rejected is in the PACS, and a rejected image's failure is no error;
 * - with `review.requireQa`, a study whose images would otherwise be ready or on their way, but
 *   which the gate holds back (an image not yet accepted or rejected), needs review — never "ready".
 *   Before a visit is attached the visit is what the study waits for first: new / needs-visit.
 *
 * Precedence, first match wins: error, in-pacs, all-rejected, needs-review, sending, ready, new,
 * needs-visit.
 * Both forms below encode the same precedence; a test checks them against each other.
 */
import type { StudyState } from '../../../shared/contract/ingest';
import { qaSendableSql } from '../review/qa-gate';
import { activeInstanceSql } from './active-instance';
import type { Db } from './database';

export type { StudyState };

/** How long a study without a visit counts as just arrived (more views may still come). */
export const NEW_STUDY_WINDOW_MS = 10 * 60_000;

export type OutboxStatus = 'held' | 'pending' | 'sending' | 'sent' | 'verified' | 'failed' | 'purged';

export interface StudyStateInput {
  /** Outbox status of each of the study's images the QA gate may ever send (rejected ones left out). */
  readonly outboxStatuses: readonly OutboxStatus[];
  /** One of those, not yet on its way (held or pending), is held back by the QA gate now. */
  readonly qaHeld: boolean;
  /** Images of the study rejected at QA (those the gate never sends). */
  readonly rejected: number;
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
  if (st.length === 0 && s.rejected > 0) return 'all-rejected';
  const moving = st.some((x) => MOVING.has(x));
  const attached = s.visitId !== null || s.releasedAt !== null;
  if (s.qaHeld && (moving || attached)) return 'needs-review';
  if (moving) return 'sending';
  if (attached) return 'ready';
  if (s.lastReceivedAt >= now - NEW_STUDY_WINDOW_MS) return 'new';
  return 'needs-visit';
}

/**
 * SQL expression for the state of the `studies` row aliased `alias`, under the `review.requireQa`
 * setting given. Binds the named parameter `@stateNewSince` (= now − NEW_STUDY_WINDOW_MS; use
 * `stateParams(now)`).
 */
export function studyStateSql(alias: string, requireQa: boolean): string {
  if (!/^[a-z_][a-z0-9_]*$/i.test(alias)) throw new Error(`studyStateSql: bad alias ${alias}`);
  const moving = `COALESCE(SUM(o.status IN ('pending', 'sending', 'sent', 'verified', 'purged')), 0) > 0`;
  const attached = `(${alias}.visit_id IS NOT NULL OR ${alias}.released_at IS NOT NULL)`;
  return `(SELECT CASE
      WHEN COALESCE(SUM(o.status = 'failed'), 0) > 0 THEN 'error'
      WHEN COUNT(o.instance_id) > 0 AND SUM(o.status IN ('sent', 'verified', 'purged')) = COUNT(o.instance_id) THEN 'in-pacs'
      WHEN COUNT(o.instance_id) = 0 AND EXISTS (SELECT 1 FROM instances sr JOIN outbox sro ON sro.instance_id = sr.id
                                                WHERE sr.study_uid = ${alias}.study_uid AND NOT ${qaSendableSql(false, 'sr')} AND ${activeInstanceSql('sr')}) THEN 'all-rejected'
      WHEN COALESCE(SUM(o.status IN ('held', 'pending') AND NOT ${qaSendableSql(requireQa, 'si')}), 0) > 0
           AND (${moving} OR ${attached}) THEN 'needs-review'
      WHEN ${moving} THEN 'sending'
      WHEN ${attached} THEN 'ready'
      WHEN ${alias}.last_received_at >= @stateNewSince THEN 'new'
      ELSE 'needs-visit'
    END
    FROM instances si JOIN outbox o ON o.instance_id = si.id
    WHERE si.study_uid = ${alias}.study_uid AND ${qaSendableSql(false, 'si')})`;
}

export function stateParams(now: number): { stateNewSince: number } {
  return { stateNewSince: now - NEW_STUDY_WINDOW_MS };
}

/** The state of one study, or null when it does not exist. */
export function studyStateOf(db: Db, studyInstanceUID: string, now: number, requireQa: boolean): StudyState | null {
  const row = db
    .prepare(`SELECT ${studyStateSql('s', requireQa)} AS state FROM studies s WHERE s.study_uid = @uid`)
    .get({ uid: studyInstanceUID, ...stateParams(now) }) as { state: StudyState } | undefined;
  return row?.state ?? null;
}
