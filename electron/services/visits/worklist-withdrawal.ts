/**
 * Orders that left the worklist. The RIS/HIS cancels an order (or completes it elsewhere) by
 * taking it out of the Modality Worklist; a C-FIND never says "cancelled", the order is just no
 * longer among the matches. So after a *complete, successful* answer (final status Success, PS3.4
 * C.4.1.1.4 — a failed or cancelled query throws before this runs), every cached worklist visit
 * the same query asked about and the answer no longer holds is marked withdrawn; one that comes
 * back is restored by the refresh's upsert. Rows are never deleted.
 *
 *   present in answer ──▶ withdrawn_at = NULL          (upsert, visits-service.ts)
 *   in scope, absent  ──▶ withdrawn_at = now            (withdrawAbsent)
 *   out of scope      ──▶ unchanged (another day, station or modality: the query did not ask)
 *
 * "Asked about" replays the query's own matching on the cached row (PS3.4 C.2.2.2): the local day
 * of ScheduledProcedureStepStartDate, and Modality / ScheduledStationAETitle with universal
 * (empty or "*"), wildcard ("*", "?") or single-value matching. A row whose value is unknown ('')
 * matches only a universal key, so an order cached before the desk kept its modality is never
 * withdrawn by a modality filter it may not have been fetched under.
 */
import type { Db } from '../store/database';
import { localDayBounds } from './local-day';
import type { WorklistSettings } from './worklist-scu';

/**
 * PS3.4 C.2.2.2.1 single value, C.2.2.2.3 universal and C.2.2.2.4 wildcard matching of one AE / CS
 * query key against a stored value. Leading and trailing spaces are not significant in AE and CS
 * (PS3.5 §6.2); matching is case-sensitive, as for every VR but PN.
 */
export function matchesQueryKey(key: string, value: string): boolean {
  const k = key.trim();
  const v = value.trim();
  if (k === '' || /^\*+$/.test(k)) return true;
  if (!/[*?]/.test(k)) return k === v;
  const pattern = k.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${pattern}$`, 's').test(v);
}

/**
 * Marks withdrawn every cached worklist visit of `now`'s local day that `cfg`'s query covers and
 * `present` (the visit ids of the whole answer) lacks. Returns the ids it withdrew. Call inside the
 * refresh's transaction, after the upsert.
 */
export function withdrawAbsent(db: Db, cfg: Pick<WorklistSettings, 'modality' | 'stationAet'>, present: ReadonlySet<string>, now: number): string[] {
  const { start, end } = localDayBounds(now);
  const candidates = db
    .prepare(
      `SELECT id, modality, station_aet FROM visits
        WHERE source = 'worklist' AND withdrawn_at IS NULL AND scheduled_at >= ? AND scheduled_at < ?`,
    )
    .all(start, end) as { id: string; modality: string; station_aet: string }[];
  const gone = candidates.filter((r) => !present.has(r.id) && matchesQueryKey(cfg.modality, r.modality) && matchesQueryKey(cfg.stationAet, r.station_aet)).map((r) => r.id);
  const mark = db.prepare('UPDATE visits SET withdrawn_at = ?, updated_at = ? WHERE id = ?');
  for (const id of gone) mark.run(now, now, id);
  return gone;
}
