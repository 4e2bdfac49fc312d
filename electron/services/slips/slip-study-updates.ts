/**
 * Keeps the clinic server's copy of a slip in step with the studies of its visit.
 *
 * A slip may be printed before its images exist (a walk-in, images not yet attached): its `slip`
 * record then carries only the studies known at print time, and the server shows a patient only
 * the studies its record lists (it never searches the PACS by patient). So whenever a study joins
 * a visit — attach, automatic match, reconcile of a walk-in into its worklist visit, correction
 * to this visit — the desk enqueues a later `slip` record for each live slip that now points at a
 * study the server has not been told about, in the same transaction as the change.
 *
 * The server's rule (server/src/records/records-store.ts): a later `slip` record with the same
 * token hash, from the same desk, updates the display fields and adds its study UIDs; the record
 * id is the idempotency key. So each update is a new record (new UUID) repeating the slip's first
 * payload with the studies so far. What the server has been told is read back from the desk's own
 * outbox (every `slip` record of that slip, delivered or pending; nothing prunes the outbox), so a
 * second call with nothing new enqueues nothing, and a record lost in transit is never assumed
 * delivered: the sender retries it and the server merges in any order.
 *
 * Revoked and expired slips are left alone: their token opens nothing any more.
 */
import type { Db } from '../store/database';
import type { Clock } from '../clock';
import type { SlipRecord } from '../../../shared/contract/slips';
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
    const sent = (recordsOf.all(slip.id) as { payload: string }[]).map((r) => JSON.parse(r.payload) as SlipRecord);
    const latest = sent.at(-1);
    const visit = readSlipVisit(db, slip.visit_id);
    // A slip always has its issuing record (slip-store inserts both in one transaction).
    if (!latest || !visit) continue;
    const known = new Set(sent.flatMap((r) => r.studyInstanceUIDs));
    const added = visitStudyUIDs(visit).filter((uid) => !known.has(uid));
    if (added.length === 0) continue;
    const record: SlipRecord = {
      ...latest,
      studyInstanceUIDs: [...known, ...added],
      exams: mergeExams(latest.exams, visitExams(visit)),
    };
    enqueued.push(enqueueRecord(db, clock, 'slip', record));
  }
  return enqueued;
}

/** The printed exams first (the patient holds that paper), then any the visit gained, no repeats. */
function mergeExams(printed: readonly string[], now: readonly string[]): string[] {
  const seen = new Set(printed.map((e) => e.toLocaleLowerCase('vi')));
  return [...printed, ...now.filter((e) => !seen.has(e.toLocaleLowerCase('vi')))];
}
