/**
 * Keeps the clinic server's copy of a slip in step with the studies of its visit.
 *
 * A slip may be printed before its images exist (a walk-in, images not yet attached): its `slip`
 * record then carries only the studies known at print time, and the server shows a patient only
 * the studies its record lists (it never searches the PACS by patient). So whenever a visit's
 * studies change — attach, automatic match, reconcile of a walk-in into its worklist visit, a
 * correction to or away from this visit, a detach — the desk enqueues a later `slip` record for
 * each live slip whose study list is no longer the visit's, in the same transaction as the change.
 *
 * The server's rule (server/src/records/records-store.ts): a `slip` record with the same token
 * hash, from the same desk, and a revision at least the stored one replaces the display fields
 * and the study list; an older revision changes nothing; the record id is the idempotency key.
 * So each update is a new record (new UUID) with the next revision and the whole current list —
 * a study that left the visit leaves the patient's page. The latest record is read back from the
 * desk's own outbox (delivered or pending; nothing prunes it), so a second call with nothing new
 * enqueues nothing, and records delivered out of order still end at the latest list.
 *
 * Revoked and expired slips are left alone: their token opens nothing any more.
 */
import type { Db } from '../store/database';
import type { Clock } from '../clock';
import { slipRecordSchema, type SlipRecord } from '../../../shared/contract/slips';
import { enqueueRecord } from '../records/records-outbox';
import { readSlipVisit, visitExams, visitStudyUIDs } from './visit-query';

/** Walk-ins merged into a visit, followed this deep (as visit-query follows `reconciled_to`). */
const MAX_RECONCILE_HOPS = 8;

/**
 * For every live slip of `visitId` or of a walk-in reconciled into it, enqueues an updated `slip`
 * record when the visit now has studies the slip's records never listed. Call inside the
 * transaction that linked the study. Returns the ids of the records enqueued.
 */
export function enqueueSlipStudyUpdates(db: Db, clock: Clock, visitId: string): string[] {
  const now = clock.now();
  const slips = db
    .prepare(
      `WITH RECURSIVE merged (id, depth) AS (
         SELECT ?, 0
         UNION
         SELECT v.id, m.depth + 1 FROM visits v JOIN merged m ON v.reconciled_to = m.id WHERE m.depth < ?
       )
       SELECT id, visit_id FROM slips
        WHERE visit_id IN (SELECT id FROM merged) AND status = 'active' AND expires_at > ?
        ORDER BY created_at, rowid`,
    )
    .all(visitId, MAX_RECONCILE_HOPS, now) as { id: string; visit_id: string }[];
  if (slips.length === 0) return [];

  const recordsOf = db.prepare(
    `SELECT payload FROM records_outbox WHERE kind = 'slip' AND json_extract(payload, '$.slipId') = ? ORDER BY created_at, rowid`,
  );
  const enqueued: string[] = [];
  for (const slip of slips) {
    const sent = (recordsOf.all(slip.id) as { payload: string }[]).map((r) => slipRecordSchema.parse(JSON.parse(r.payload)));
    const latest = sent.at(-1);
    const visit = readSlipVisit(db, slip.visit_id);
    // A slip always has its issuing record (slip-store inserts both in one transaction).
    if (!latest || !visit) continue;
    const current = visitStudyUIDs(visit);
    if (sameSet(current, latest.studyInstanceUIDs)) continue;
    const record: SlipRecord = {
      ...latest,
      studyInstanceUIDs: current,
      exams: mergeExams(latest.exams, visitExams(visit)),
      revision: latest.revision + 1,
    };
    enqueued.push(enqueueRecord(db, clock, 'slip', record));
  }
  return enqueued;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sb = new Set(b);
  return a.length === sb.size && a.every((x) => sb.has(x));
}

/** The printed exams first (the patient holds that paper), then any the visit gained, no repeats. */
function mergeExams(printed: readonly string[], now: readonly string[]): string[] {
  const seen = new Set(printed.map((e) => e.toLocaleLowerCase('vi')));
  return [...printed, ...now.filter((e) => !seen.has(e.toLocaleLowerCase('vi')))];
}
