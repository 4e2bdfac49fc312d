/**
 * The QA gate as SQL, for the sync engineer's outbox claim query: which outbox rows may be leased.
 * Kept here so the rule has one author — the review capability — and one wording.
 *
 *   rejected                      → never sent (migration 015's trigger also refuses the lease)
 *   requireQa and study has an    → wait: the study goes once every image is accepted or rejected
 *   unreviewed image                (images the views show: not a replaced original, not a rejection note)
 *   otherwise                     → the QA gate is open (sync policy and visit decide the rest)
 */
import { activeInstanceSql } from '../store/active-instance';

/**
 * A boolean SQL expression over an `instances` row aliased `alias`, true when its outbox row may
 * be claimed. Constant text per `requireQa`, safe to splice into a prepared statement.
 */
export function qaSendableSql(requireQa: boolean, alias = 'i'): string {
  if (!/^[a-z_][a-z0-9_]*$/i.test(alias)) throw new Error(`qaSendableSql: bad alias ${alias}`);
  const notRejected = `${alias}.qa_decision IS NOT 'rejected'`;
  if (!requireQa) return `(${notRejected})`;
  return `(${notRejected} AND NOT EXISTS (SELECT 1 FROM instances qa_u WHERE qa_u.study_uid = ${alias}.study_uid AND qa_u.qa_decision IS NULL AND ${activeInstanceSql('qa_u')}))`;
}
