/**
 * Putting a study's images under a visit, in the store and in what goes to the PACS.
 *
 *   not sent yet ── attach ──▶ corrected copy from the ORIGINAL (send_path), old values in
 *                              Original Attributes Sequence (PS3.3 C.12.1.1.9), SOP UIDs kept;
 *                              released for sync when sync.sendPolicy = on-attach
 *   reached PACS ── attach ──▶ IHE IOCM correction: a new instance (new SOPInstanceUID) from the
 *                              copy the PACS has, reason CORRECT, plus a Key Object Selection
 *                              rejection note (113038) for the old instance in the OLD study
 *   not sent yet ── detach ──▶ back to waiting for a visit (copies removed)
 *   reached PACS ── detach ──▶ refused: only a correction to another visit can move it
 *
 * Study UID after a post-send correction: kept when the patient stays the same (only the order
 * was wrong); a new StudyInstanceUID (and new SeriesInstanceUIDs) when the PatientID changes. A
 * Study Instance UID identifies one study of one patient (PS3.3 C.7.2.1, PS3.5 §9); the old study
 * stays in the PACS holding the rejected instances and the rejection note under the old patient,
 * so keeping its UID for the other patient's images would put one study under two patients —
 * archives reject that or merge them (Orthanc keys studies by PatientID + UID: two studies).
 *
 * Images not yet sent in a study whose study UID changes follow it (they never left the desk, so
 * they keep their SOP Instance UIDs). Between reading the study and committing, outbox rows are
 * held and the study unreleased, so the sync cannot take an image whose copy is being rewritten;
 * a failure puts both back as they were. An image arriving meanwhile makes the commit start over.
 */
import type { Db } from '../store/database';
import type { Clock } from '../clock';
import { DeskError } from '../../../shared/errors';
import {
  TAGS,
  applyTopLevelEdit,
  newUid,
  planTopLevelEdit,
  readP10Structure,
  readTopLevelText,
  tagString,
  type ModificationReason,
  type NewValue,
  type P10Structure,
} from '../dicom-edit';
import { visitValues } from './identity-values';
import { buildRejectionNote, KOS_SOP_CLASS } from './rejection-note';
import { readStored, removeStored, writeStored, type WrittenFile } from './stored-files';
import { utcDicomDateTime } from './local-day';
import { ACTIVE_INSTANCE, type VisitRow } from './visit-store';
import { enqueueSlipStudyUpdates } from '../slips/slip-study-updates';

export interface CorrectionContext {
  readonly db: Db;
  readonly clock: Clock;
  /** `<data>/store`: the folder `instances.file_path` and `send_path` are relative to. */
  readonly storeDir: string;
  /** ModifyingSystem (0400,0563) and the rejection note's Manufacturer. */
  readonly modifyingSystem: string;
  readonly sendPolicy: () => 'on-attach' | 'immediately';
}

type OutboxStatus = 'held' | 'pending' | 'sending' | 'sent' | 'verified' | 'failed' | 'purged';
const REACHED_PACS: ReadonlySet<OutboxStatus> = new Set(['sent', 'verified', 'purged']);

interface InstanceRow {
  id: number;
  sop_instance_uid: string;
  sop_class_uid: string;
  series_uid: string;
  study_uid: string;
  file_path: string;
  send_path: string | null;
  source: string;
  status: OutboxStatus;
}

interface StudyRow {
  study_uid: string;
  patient_id: string;
  patient_name: string;
  accession_number: string;
  released_at: number | null;
  visit_id: string | null;
  replaced_by: string | null;
}

/** Who a study's images were (or would have been) sent as before this change: for the audit. */
export interface PreviousIdentity {
  readonly visitId: string | null;
  readonly patientID: string;
  readonly patientName: string;
  readonly accessionNumber: string;
}

export interface StudyOutcome {
  readonly studyInstanceUID: string;
  readonly resultStudyInstanceUID: string;
  readonly mode: 'corrected' | 'corrected-after-send' | 'unchanged';
  readonly instances: number;
  readonly rejectionNoteSOPInstanceUID: string | null;
  readonly released: boolean;
  readonly previous: PreviousIdentity;
}

/** A study the desk holds and may still change (not replaced by a correction). */
export function loadStudy(db: Db, studyUid: string): StudyRow {
  const s = db.prepare('SELECT study_uid, patient_id, patient_name, accession_number, released_at, visit_id, replaced_by FROM studies WHERE study_uid = ?').get(studyUid) as
    | StudyRow
    | undefined;
  if (!s || s.replaced_by !== null) throw new DeskError('NOT_FOUND', { what: `study ${studyUid}` });
  return s;
}

function previousIdentity(db: Db, s: StudyRow): PreviousIdentity {
  const v = s.visit_id
    ? (db.prepare('SELECT patient_id, patient_name, accession_number FROM visits WHERE id = ?').get(s.visit_id) as
        | { patient_id: string; patient_name: string; accession_number: string }
        | undefined)
    : undefined;
  return v
    ? { visitId: s.visit_id, patientID: v.patient_id, patientName: v.patient_name, accessionNumber: v.accession_number }
    : { visitId: null, patientID: s.patient_id, patientName: s.patient_name, accessionNumber: s.accession_number };
}

function activeInstances(db: Db, studyUid: string): InstanceRow[] {
  return db
    .prepare(
      `SELECT i.id, i.sop_instance_uid, i.sop_class_uid, i.series_uid, i.study_uid, i.file_path, i.send_path, i.source, o.status
         FROM instances i JOIN outbox o ON o.instance_id = i.id
        WHERE i.study_uid = ? AND ${ACTIVE_INSTANCE} ORDER BY i.id`,
    )
    .all(studyUid) as InstanceRow[];
}

/** The copy the PACS holds of an instance that reached it; the original for one that did not. */
function basisOf(r: InstanceRow): string {
  return REACHED_PACS.has(r.status) ? (r.send_path ?? r.file_path) : r.file_path;
}

/**
 * Images that arrived into a study after it was replaced (its images changed patient after
 * reaching the PACS) join the replacement, each in the series its own series went to. Returns
 * how many moved. Their copies are then written like any other image not yet sent.
 */
function moveLateImages(db: Db, fromStudy: string, toStudy: string): number {
  const late = activeInstances(db, fromStudy).filter((r) => !REACHED_PACS.has(r.status));
  db.transaction(() => {
    for (const r of late) {
      let series = db.prepare('SELECT replaced_by FROM series WHERE series_uid = ?').pluck().get(r.series_uid) as string | null;
      if (!series) {
        series = newUid();
        db.prepare(
          `INSERT INTO series (series_uid, study_uid, modality, series_number, series_description, body_part_examined)
           SELECT ?, ?, modality, series_number, series_description, body_part_examined FROM series WHERE series_uid = ?`,
        ).run(series, toStudy, r.series_uid);
        db.prepare('UPDATE series SET replaced_by = ? WHERE series_uid = ?').run(series, r.series_uid);
      }
      db.prepare('UPDATE instances SET study_uid = ?, series_uid = ? WHERE id = ?').run(toStudy, series, r.id);
    }
  })();
  return late.length;
}

/** The study a replaced study's images live in now (following replacements), or null if it was not replaced. */
export function replacementOf(db: Db, studyUid: string): string | null {
  let uid = studyUid;
  for (let hops = 0; hops < 16; hops++) {
    const next = db.prepare('SELECT replaced_by FROM studies WHERE study_uid = ?').pluck().get(uid) as string | null | undefined;
    if (!next) return uid === studyUid ? null : uid;
    uid = next;
  }
  return null;
}

/** Another run changed the study between our read and our commit; the caller starts over. */
class StudyChanged extends Error {}

interface Prepared {
  readonly corrections: { row: InstanceRow; sop: string; series: string; file: WrittenFile }[];
  readonly copies: { row: InstanceRow; series: string; file: WrittenFile | null }[];
  readonly note: { sop: string; series: string; file: WrittenFile } | null;
  readonly studyUidAfter: string;
  readonly newSeries: ReadonlyMap<string, string>;
}

interface Planned {
  readonly row: InstanceRow;
  readonly bytes: Buffer;
  readonly structure: P10Structure;
}

function valuesFor(visit: VisitRow, s: P10Structure, extra: readonly NewValue[]): NewValue[] {
  return [...visitValues(visit, readTopLevelText(s, TAGS.PatientBirthDate)), ...extra];
}

function uidValues(studyUid: string | null, seriesUid: string | null, sopUid: string | null): NewValue[] {
  const out: NewValue[] = [];
  if (sopUid) out.push({ tag: TAGS.SOPInstanceUID, keyword: 'SOPInstanceUID', vr: 'UI', value: sopUid });
  if (studyUid) out.push({ tag: TAGS.StudyInstanceUID, keyword: 'StudyInstanceUID', vr: 'UI', value: studyUid });
  if (seriesUid) out.push({ tag: TAGS.SeriesInstanceUID, keyword: 'SeriesInstanceUID', vr: 'UI', value: seriesUid });
  return out;
}

/** Reads the basis of every instance; returns those that reached the PACS and differ from the visit. */
async function sentNeedingCorrection(c: CorrectionContext, rows: readonly InstanceRow[], visit: VisitRow): Promise<Planned[]> {
  const out: Planned[] = [];
  for (const row of rows.filter((r) => REACHED_PACS.has(r.status))) {
    const bytes = await readStored(c.storeDir, basisOf(row));
    const structure = readP10Structure(bytes);
    if (planTopLevelEdit(bytes, valuesFor(visit, structure, [])).changes.length > 0) out.push({ row, bytes, structure });
  }
  return out;
}

async function prepare(c: CorrectionContext, studyUid: string, rows: readonly InstanceRow[], visit: VisitRow, reason: ModificationReason, written: string[]): Promise<Prepared> {
  const now = c.clock.now();
  const record = (r: ModificationReason) => ({ reason: r, modifyingSystem: c.modifyingSystem, modifiedAt: utcDicomDateTime(now) });
  const write = async (bytes: Buffer): Promise<WrittenFile> => {
    const f = await writeStored(c.storeDir, bytes);
    written.push(f.relPath);
    return f;
  };
  const sent = await sentNeedingCorrection(c, rows, visit);
  const newStudy = sent.some((p) => readTopLevelText(p.structure, TAGS.PatientID) !== visit.patient_id);
  const studyUidAfter = newStudy ? newUid() : studyUid;
  const newSeries = new Map<string, string>();
  const seriesAfter = (old: string): string => {
    if (!newStudy) return old;
    if (!newSeries.has(old)) newSeries.set(old, newUid());
    return newSeries.get(old) as string;
  };

  const corrections: Prepared['corrections'] = [];
  for (const p of sent) {
    const sop = newUid();
    const series = seriesAfter(p.row.series_uid);
    const values = valuesFor(visit, p.structure, uidValues(newStudy ? studyUidAfter : null, newStudy ? series : null, sop));
    corrections.push({ row: p.row, sop, series, file: await write(applyTopLevelEdit(planTopLevelEdit(p.bytes, values), record('CORRECT')) as Buffer) });
  }
  const copies: Prepared['copies'] = [];
  for (const row of rows.filter((r) => !REACHED_PACS.has(r.status))) {
    const bytes = await readStored(c.storeDir, row.file_path);
    const structure = readP10Structure(bytes);
    const series = seriesAfter(row.series_uid);
    // The row's study and series (moved by an earlier correction, or now) are what its copy says.
    const out = applyTopLevelEdit(planTopLevelEdit(bytes, valuesFor(visit, structure, uidValues(newStudy ? studyUidAfter : row.study_uid, series, null))), record(reason));
    copies.push({ row, series, file: out ? await write(out) : null });
  }
  let note: Prepared['note'] = null;
  const first = sent[0];
  if (first) {
    const sop = newUid();
    const series = newUid();
    const bytes = buildRejectionNote({
      sentCopy: first.structure,
      studyInstanceUID: studyUid,
      rejected: corrections.map((x) => ({ sopClassUID: x.row.sop_class_uid, sopInstanceUID: x.row.sop_instance_uid, seriesInstanceUID: x.row.series_uid })),
      sopInstanceUID: sop,
      seriesInstanceUID: series,
      now,
      manufacturer: c.modifyingSystem,
    });
    note = { sop, series, file: await write(bytes) };
  }
  return { corrections, copies, note, studyUidAfter, newSeries };
}

function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(',');
}

/** Holds the study's queued rows and unreleases it while its copies are rewritten. Returns the rows it held. */
function hold(db: Db, studyUid: string, rows: readonly InstanceRow[]): number[] {
  const pending = rows.filter((r) => r.status === 'pending').map((r) => r.id);
  db.transaction(() => {
    db.prepare('UPDATE studies SET released_at = NULL WHERE study_uid = ?').run(studyUid);
    if (pending.length > 0) db.prepare(`UPDATE outbox SET status = 'held' WHERE status = 'pending' AND instance_id IN (${placeholders(pending.length)})`).run(...pending);
  })();
  return pending;
}

function unhold(db: Db, studyUid: string, held: readonly number[], releasedAt: number | null): void {
  db.transaction(() => {
    db.prepare('UPDATE studies SET released_at = ? WHERE study_uid = ?').run(releasedAt, studyUid);
    if (held.length > 0) db.prepare(`UPDATE outbox SET status = 'pending' WHERE status = 'held' AND instance_id IN (${placeholders(held.length)})`).run(...held);
  })();
}

/** Inside the commit: nothing was sent or added behind our back. */
function assertUnchanged(db: Db, studyUid: string, rows: readonly InstanceRow[]): void {
  const now = activeInstances(db, studyUid);
  if (now.length !== rows.length || now.some((r, i) => r.id !== rows[i]?.id)) throw new StudyChanged();
  for (const [i, r] of now.entries()) {
    const before = rows[i] as InstanceRow;
    if (REACHED_PACS.has(before.status) !== REACHED_PACS.has(r.status) || r.status === 'sending') throw new DeskError('VISIT_SEND_IN_PROGRESS');
  }
}

function commit(c: CorrectionContext, study: StudyRow, rows: readonly InstanceRow[], visit: VisitRow, p: Prepared, release: boolean): void {
  const { db } = c;
  const now = c.clock.now();
  const oldUid = study.study_uid;
  const target = p.studyUidAfter;
  db.transaction(() => {
    assertUnchanged(db, oldUid, rows);
    if (target !== oldUid) {
      db.prepare(
        `INSERT INTO studies (study_uid, patient_id, patient_name, patient_birth_date, patient_sex, accession_number, study_date, study_time,
                              study_description, modality, search_text, released_at, first_received_at, last_received_at, visit_id)
         SELECT ?, patient_id, patient_name, patient_birth_date, patient_sex, accession_number, study_date, study_time,
                study_description, modality, search_text, NULL, first_received_at, last_received_at, ?
           FROM studies WHERE study_uid = ?`,
      ).run(target, visit.id, oldUid);
      const copySeries = db.prepare(
        `INSERT INTO series (series_uid, study_uid, modality, series_number, series_description, body_part_examined)
         SELECT ?, ?, modality, series_number, series_description, body_part_examined FROM series WHERE series_uid = ?`,
      );
      for (const [from, to] of p.newSeries) {
        copySeries.run(to, target, from);
        db.prepare('UPDATE series SET replaced_by = ? WHERE series_uid = ?').run(to, from);
      }
      // The old study keeps the rejected instances and the note; it was released (it was sent).
      db.prepare('UPDATE studies SET replaced_by = ?, released_at = COALESCE(?, ?) WHERE study_uid = ?').run(target, study.released_at, now, oldUid);
    } else {
      db.prepare('UPDATE studies SET visit_id = ? WHERE study_uid = ?').run(visit.id, oldUid);
    }

    const insertCorrection = db.prepare(
      `INSERT INTO instances (sop_instance_uid, sop_class_uid, series_uid, study_uid, instance_number, view_position, laterality, station_name,
                              rows, columns, transfer_syntax_uid, file_path, size, sha256, source, source_name, received_at,
                              qa_decision, qa_reason, qa_at, qa_by, desk_made)
       SELECT ?, sop_class_uid, ?, ?, instance_number, view_position, laterality, station_name,
              rows, columns, transfer_syntax_uid, ?, ?, ?, source, source_name, ?,
              qa_decision, qa_reason, qa_at, qa_by, 'correction'
         FROM instances WHERE id = ?`,
    );
    const insertOutbox = db.prepare('INSERT INTO outbox (instance_id, status, available_at) VALUES (?, ?, ?)');
    for (const x of p.corrections) {
      const id = Number(insertCorrection.run(x.sop, x.series, target, x.file.relPath, x.file.size, x.file.sha256, now, x.row.id).lastInsertRowid);
      db.prepare('UPDATE instances SET replaced_by = ? WHERE id = ?').run(id, x.row.id);
      insertOutbox.run(id, 'held', 0);
    }
    const updateCopy = db.prepare('UPDATE instances SET send_path = ?, send_size = ?, study_uid = ?, series_uid = ? WHERE id = ?');
    for (const x of p.copies) updateCopy.run(x.file?.relPath ?? null, x.file?.size ?? null, target, x.series, x.row.id);

    if (p.note) {
      db.prepare(
        `INSERT INTO series (series_uid, study_uid, modality, series_number, series_description, body_part_examined)
         VALUES (?, ?, 'KO', '999', 'IOCM rejection note', '')`,
      ).run(p.note.series, oldUid);
      const first = p.corrections[0]?.row as InstanceRow;
      const id = Number(
        db
          .prepare(
            `INSERT INTO instances (sop_instance_uid, sop_class_uid, series_uid, study_uid, instance_number, transfer_syntax_uid,
                                    file_path, size, sha256, source, source_name, received_at, desk_made)
             VALUES (?, ?, ?, ?, '1', '1.2.840.10008.1.2.1', ?, ?, ?, ?, ?, ?, 'rejection-note')`,
          )
          .run(p.note.sop, KOS_SOP_CLASS, p.note.series, oldUid, p.note.file.relPath, p.note.file.size, p.note.file.sha256, first.source, c.modifyingSystem, now)
          .lastInsertRowid,
      );
      // The rejection must reach the PACS whatever the release policy of the new visit.
      insertOutbox.run(id, 'pending', now);
    }
    if (release) {
      db.prepare('UPDATE studies SET released_at = COALESCE(released_at, ?) WHERE study_uid = ?').run(now, target);
      db.prepare(
        `UPDATE outbox SET status = 'pending', available_at = ? WHERE status = 'held'
            AND instance_id IN (SELECT i.id FROM instances i WHERE i.study_uid = ? AND ${ACTIVE_INSTANCE})`,
      ).run(now, target);
    }
    // A slip printed before these images existed must learn of them, and a slip of the visit the
    // study left must stop showing them (slip-study-updates.ts).
    enqueueSlipStudyUpdates(db, c.clock, visit.id);
    if (study.visit_id && study.visit_id !== visit.id) enqueueSlipStudyUpdates(db, c.clock, study.visit_id);
  })();
}

/**
 * Makes a study's images carry `visit`'s identity, before or after sending (see the file
 * comment). `reason` is what the copies made from originals record (PS3.3 C.12.1.1.9.2);
 * post-send corrections always record CORRECT.
 */
export async function applyVisit(c: CorrectionContext, studyUid: string, visit: VisitRow, reason: ModificationReason, lateFrom?: string): Promise<StudyOutcome> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await applyOnce(c, studyUid, visit, reason, lateFrom);
    } catch (e) {
      if (!(e instanceof StudyChanged) || attempt >= 4) throw e instanceof StudyChanged ? new DeskError('VISIT_SEND_IN_PROGRESS') : e;
    }
  }
}

async function applyOnce(c: CorrectionContext, studyUid: string, visit: VisitRow, reason: ModificationReason, lateFrom: string | undefined): Promise<StudyOutcome> {
  const { db } = c;
  const study = loadStudy(db, studyUid);
  const previous = previousIdentity(db, study);
  if (activeInstances(db, studyUid).some((r) => r.status === 'sending')) throw new DeskError('VISIT_SEND_IN_PROGRESS');
  const release = c.sendPolicy() === 'on-attach' || study.released_at !== null;
  // No await between moving late images in and holding the study: the sync never sees them released.
  const moved = lateFrom ? moveLateImages(db, lateFrom, studyUid) : 0;
  const rows = activeInstances(db, studyUid);
  const held = hold(db, studyUid, rows);
  const written: string[] = [];
  let p: Prepared;
  try {
    p = await prepare(c, studyUid, rows, visit, reason, written);
    commit(c, study, rows, visit, p, release);
  } catch (e) {
    for (const f of written) await removeStored(c.storeDir, f);
    // Images moved in without their copy must not go as they are: the study stays unreleased.
    unhold(db, studyUid, held, moved > 0 ? null : study.released_at);
    throw e;
  }
  // Copies replaced by new ones were never sent: nothing points at them any more.
  for (const x of p.copies) if (x.row.send_path && x.row.send_path !== x.file?.relPath) await removeStored(c.storeDir, x.row.send_path);
  return {
    studyInstanceUID: studyUid,
    resultStudyInstanceUID: p.studyUidAfter,
    mode: p.corrections.length > 0 ? 'corrected-after-send' : p.copies.some((x) => x.file) ? 'corrected' : 'unchanged',
    instances: rows.length,
    rejectionNoteSOPInstanceUID: p.note?.sop ?? null,
    released: release,
    previous,
  };
}

/** Before anything was sent: the study waits for a visit again. Returns who it was attached as. */
export async function detachStudy(c: CorrectionContext, studyUid: string): Promise<PreviousIdentity> {
  const { db } = c;
  const study = loadStudy(db, studyUid);
  const previous = previousIdentity(db, study);
  const rows = activeInstances(db, studyUid);
  if (rows.some((r) => r.status === 'sending')) throw new DeskError('VISIT_SEND_IN_PROGRESS');
  if (rows.some((r) => REACHED_PACS.has(r.status))) throw new DeskError('VISIT_ALREADY_SENT');
  const unrelease = c.sendPolicy() === 'on-attach';
  db.transaction(() => {
    db.prepare('UPDATE studies SET visit_id = NULL WHERE study_uid = ?').run(studyUid);
    if (study.visit_id) enqueueSlipStudyUpdates(db, c.clock, study.visit_id);
    if (rows.length > 0) db.prepare(`UPDATE instances SET send_path = NULL, send_size = NULL WHERE id IN (${placeholders(rows.length)})`).run(...rows.map((r) => r.id));
    if (unrelease) hold(db, studyUid, rows);
  })();
  for (const r of rows) if (r.send_path) await removeStored(c.storeDir, r.send_path);
  return previous;
}

export interface StudyPreview {
  readonly studyInstanceUID: string;
  readonly instanceCount: number;
  readonly currentVisitId: string | null;
  readonly changes: { tag: string; keyword: string; old: string[]; new: string }[];
  readonly afterSend: boolean;
  readonly newStudyInstanceUID: boolean;
  readonly characterSetChange: boolean;
}

/** What `applyVisit` would change, per attribute, without writing anything. Throws what it would throw. */
export async function previewVisit(c: CorrectionContext, studyUid: string, visit: VisitRow): Promise<StudyPreview> {
  const study = loadStudy(c.db, studyUid);
  const rows = activeInstances(c.db, studyUid);
  const byTag = new Map<number, { keyword: string; old: Set<string>; new: string }>();
  let afterSend = false;
  let newStudy = false;
  let charset = false;
  for (const row of rows) {
    const bytes = await readStored(c.storeDir, basisOf(row));
    const structure = readP10Structure(bytes);
    const plan = planTopLevelEdit(bytes, valuesFor(visit, structure, []));
    if (plan.changes.length > 0 && REACHED_PACS.has(row.status)) {
      afterSend = true;
      if (readTopLevelText(structure, TAGS.PatientID) !== visit.patient_id) newStudy = true;
    }
    charset ||= plan.charsetChange !== null;
    for (const ch of plan.changes) {
      const entry = byTag.get(ch.tag) ?? { keyword: ch.keyword, old: new Set<string>(), new: ch.new };
      if (ch.old !== null) entry.old.add(ch.old);
      byTag.set(ch.tag, entry);
    }
  }
  return {
    studyInstanceUID: studyUid,
    instanceCount: rows.length,
    currentVisitId: study.visit_id,
    changes: [...byTag].sort(([a], [b]) => a - b).map(([tag, e]) => ({ tag: tagString(tag), keyword: e.keyword, old: [...e.old], new: e.new })),
    afterSend,
    newStudyInstanceUID: newStudy,
    characterSetChange: charset,
  };
}
