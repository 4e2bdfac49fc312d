/**
 * A visit's film state in one word, for the visits list ("the status of its images, slip and
 * film"; `filmStatusSchema` in shared/contract/visits.ts): no active exception, film issued, or
 * film issued for a special case still awaiting the leadership's approval. Voided records do not
 * count.
 */
import type { Db } from '../store/database';

export type VisitFilmStatus = 'none' | 'film-issued' | 'pending-approval';

export function visitFilmStatus(db: Db, visitId: string): VisitFilmStatus {
  const r = db
    .prepare(
      `SELECT count(*) AS active,
              coalesce(sum(e.pending_approval = 1 AND NOT EXISTS (SELECT 1 FROM film_approvals a WHERE a.exception_id = e.id)), 0) AS pending
         FROM film_exceptions e
        WHERE e.visit_id = ? AND NOT EXISTS (SELECT 1 FROM film_voids v WHERE v.exception_id = e.id)`,
    )
    .get(visitId) as { active: number; pending: number };
  if (r.active === 0) return 'none';
  return r.pending > 0 ? 'pending-approval' : 'film-issued';
}
