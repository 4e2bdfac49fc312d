/**
 * The visits capability: the worklist cache, walk-ins, automatic matching of arriving studies,
 * and attach / detach / reconcile with DICOM-correct coercion (see study-correction.ts).
 *
 * The worklist is cached in `visits`, so the list keeps working while the worklist server is
 * down: a failed refresh changes nothing and reports a WORKLIST_* error. A successful one also
 * marks withdrawn the day's cached orders it no longer returns (worklist-withdrawal.ts).
 *
 * Logs carry ids, counts and error codes only — never a name, PatientID or accession.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../store/database';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { AuditEntry } from '../audit/audit-log';
import type { EventSink } from '../../core/handler-types';
import type { Settings } from '../../../shared/settings-schema';
import type { VisitDetail, VisitSummary } from '../../../shared/contract/visits';
import { DeskError, isDeskError } from '../../../shared/errors';
import { storeDirOf } from '../images/store-dir';
import { localDicomDate } from './local-day';
import { nextVisitNumber, temporaryPatientID, walkInAccessionNumber } from './visit-numbers';
import { ACTIVE_INSTANCE, getVisitRow, listVisits, searchTextOf, summarize, visitDetail, withdrawnEmptySql, type ListFilter, type VisitRow } from './visit-store';
import { createDimseWorklistScu, type WorklistScu } from './worklist-scu';
import { entriesOf, worklistQuery, type WorklistEntry } from './worklist-entry';
import { withdrawAbsent } from './worklist-withdrawal';
import { applyVisit, detachStudy, loadStudy, previewVisit, replacementOf, type CorrectionContext, type PreviousIdentity, type StudyOutcome, type StudyPreview } from './study-correction';
import { automaticVisit, studyKeys, suggestVisits, type SuggestionReason } from './matching';
import { createKeyedLock } from './keyed-lock';
import { enqueueSlipStudyUpdates } from '../slips/slip-study-updates';

export interface VisitsDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The desk's data folder; images live in `<dataDir>/store`. */
  readonly dataDir: string;
  readonly settings: () => Settings;
  /** Records automatic attachments, which no caller's audit record covers. */
  readonly audit: { append(entry: AuditEntry): unknown };
  readonly events?: EventSink;
  readonly scu?: WorklistScu;
  /** Called after images were released for sending (the lead wires the sync's nudge). */
  readonly onReleased?: () => void;
  /** ModifyingSystem (0400,0563) written into corrected copies. */
  readonly modifyingSystem?: string;
}

export interface WalkInInput {
  patientName: string;
  patientID?: string | undefined;
  birthDate: string;
  sex: 'M' | 'F' | 'O';
  procedure: string | { code: string; name: string };
  phone?: string | undefined;
  payer?: 'BHYT' | 'SERVICE' | 'CONTRACT' | undefined;
  contractName?: string | undefined;
  referringPhysician?: string | undefined;
}

export interface RefreshResult {
  fetched: number;
  created: number;
  updated: number;
  /** Cached orders of the day this answer no longer holds, newly marked withdrawn. */
  withdrawn: number;
  attached: number;
}

export type MatchOutcome =
  | { state: 'attached'; visitId: string; automatic: true; outcome: StudyOutcome }
  | { state: 'up-to-date'; visitId: string }
  | { state: 'needs-visit' }
  | { state: 'unknown-study' }
  | { state: 'error'; code: string };

export interface AttachedStudy extends StudyOutcome {
  readonly visitId: string;
}

export interface VisitsService {
  list(filter: ListFilter): VisitSummary[];
  get(id: string): VisitDetail;
  create(input: WalkInInput): VisitDetail;
  refresh(): Promise<RefreshResult>;
  test(): Promise<{ ok: true; latencyMs: number; host: string; port: number; calledAet: string }>;
  previewAttach(visitId: string, studyUIDs: readonly string[]): Promise<{ visit: VisitSummary; studies: (StudyPreview & { refusal: DeskError | null })[] }>;
  /** `onStudy` hears each study as it is done, so a failure later still leaves an audit trail of the earlier ones. */
  attach(visitId: string, studyUIDs: readonly string[], onStudy?: (s: AttachedStudy, visit: VisitRow) => void): Promise<{ visit: VisitRow; studies: AttachedStudy[] }>;
  detach(studyUIDs: readonly string[], onStudy?: (uid: string, previous: PreviousIdentity) => void): Promise<string[]>;
  reconcile(fromVisitId: string, toVisitId: string, onStudy?: (s: AttachedStudy, visit: VisitRow) => void): Promise<{ from: VisitRow; to: VisitRow; studies: AttachedStudy[] }>;
  suggest(studyUID: string): (VisitSummary & { reason: SuggestionReason })[];
  /** For ingest, after each committed instance: attach automatically, or bring an attached study's new image to its visit. Never throws. */
  matchStudy(studyUID: string): Promise<MatchOutcome>;
  /** Every `worklist.refreshMinutes`: refresh the worklist (when a host is set) and finish attached studies' held images. */
  start(): void;
  stop(): Promise<void>;
}

export function createVisits(deps: VisitsDeps): VisitsService {
  const { db, clock, logger } = deps;
  const scu = deps.scu ?? createDimseWorklistScu();
  const lock = createKeyedLock();
  const correction: CorrectionContext = {
    db,
    clock,
    storeDir: storeDirOf(deps.dataDir),
    modifyingSystem: deps.modifyingSystem ?? 'Radiology Desk',
    sendPolicy: () => deps.settings().sync.sendPolicy,
  };

  const changed = (ids: readonly (string | null | undefined)[]) => {
    const visitIds = [...new Set(ids.filter((x): x is string => !!x))];
    if (visitIds.length > 0) deps.events?.emit('visits.changed', { visitIds });
  };
  const released = (outcomes: readonly StudyOutcome[]) => {
    if (outcomes.some((o) => o.released)) deps.onReleased?.();
  };

  function requireVisit(id: string): VisitRow {
    const v = getVisitRow(db, id);
    if (!v) throw new DeskError('NOT_FOUND', { what: `visit ${id}` });
    return v;
  }

  /**
   * A target for images: not a walk-in already merged into another visit, nor an order the
   * worklist withdrew before any image was attached to it.
   */
  function targetVisit(id: string): VisitRow {
    const v = requireVisit(id);
    if (v.reconciled_to) throw new DeskError('VISIT_ALREADY_RECONCILED');
    if (db.prepare(`SELECT ${withdrawnEmptySql('v')} FROM visits v WHERE v.id = ?`).pluck().get(id) === 1) throw new DeskError('VISIT_WITHDRAWN');
    return v;
  }

  async function attachUnlocked(visit: VisitRow, uid: string): Promise<AttachedStudy> {
    const study = loadStudy(db, uid);
    // Moving a study from one visit to another corrects an operator's choice (PS3.3 C.12.1.1.9.2).
    const reason = study.visit_id && study.visit_id !== visit.id ? 'CORRECT' : 'COERCE';
    return { ...(await applyVisit(correction, uid, visit, reason)), visitId: visit.id };
  }

  /**
   * Caches the answer's orders and, in the same transaction, withdraws the day's cached orders it
   * no longer holds. `present` is every visit id of the answer, also of entries not cached;
   * `asked` is when the query was sent (its day is the query's day).
   */
  function upsertEntries(entries: readonly WorklistEntry[], present: ReadonlySet<string>, cfg: Settings['worklist'], asked: number): { created: number; updated: number; withdrawn: string[] } {
    const now = clock.now();
    let created = 0;
    let updated = 0;
    let withdrawn: string[] = [];
    db.transaction(() => {
      for (const e of entries) {
        const existing = getVisitRow(db, e.visitId);
        const fields = {
          patient_id: e.patientID,
          patient_name: e.patientName,
          birth_date: e.birthDate,
          sex: e.sex,
          accession_number: e.accessionNumber,
          study_instance_uid: e.studyInstanceUID,
          procedure_code: e.procedureCode,
          procedure_name: e.procedureName,
          referring_physician: e.referringPhysician,
          scheduled_at: e.scheduledAt,
          station_aet: e.stationAET,
          modality: e.modality,
        };
        if (!existing) {
          const visitNumber = nextVisitNumber(db, e.scheduledAt ?? now);
          db.prepare(
            `INSERT INTO visits (id, visit_number, source, patient_id, patient_id_temporary, patient_name, birth_date, sex, phone,
                                 accession_number, study_instance_uid, procedure_code, procedure_name, referring_physician,
                                 scheduled_at, station_aet, modality, search_text, created_at, updated_at)
             VALUES (@id, @visit_number, 'worklist', @patient_id, 0, @patient_name, @birth_date, @sex, @phone,
                     @accession_number, @study_instance_uid, @procedure_code, @procedure_name, @referring_physician,
                     @scheduled_at, @station_aet, @modality, @search_text, @now, @now)`,
          ).run({ ...fields, id: e.visitId, visit_number: visitNumber, phone: e.phone, now, search_text: searchTextOf({ ...fields, visit_number: visitNumber, phone: e.phone }) });
          created++;
          continue;
        }
        const phone = e.phone !== '' ? e.phone : existing.phone;
        // An order back on the worklist is restored (withdrawn_at NULL).
        const differs = (Object.keys(fields) as (keyof typeof fields)[]).some((k) => existing[k] !== fields[k]) || phone !== existing.phone || existing.withdrawn_at !== null;
        if (!differs) continue;
        db.prepare(
          `UPDATE visits SET patient_id = @patient_id, patient_name = @patient_name, birth_date = @birth_date, sex = @sex, phone = @phone,
                  accession_number = @accession_number, study_instance_uid = @study_instance_uid, procedure_code = @procedure_code,
                  procedure_name = @procedure_name, referring_physician = @referring_physician, scheduled_at = @scheduled_at,
                  station_aet = @station_aet, modality = @modality, search_text = @search_text, withdrawn_at = NULL, updated_at = @now WHERE id = @id`,
        ).run({ ...fields, phone, id: e.visitId, now, search_text: searchTextOf({ ...fields, visit_number: existing.visit_number, phone }) });
        updated++;
      }
      withdrawn = withdrawAbsent(db, cfg, present, asked);
    })();
    return { created, updated, withdrawn };
  }

  /** A late image of a study that moved after sending: it follows into the replacement study. */
  async function matchLate(uid: string, current: string): Promise<MatchOutcome> {
    const waiting = db
      .prepare(`SELECT 1 FROM instances i JOIN outbox o ON o.instance_id = i.id WHERE i.study_uid = ? AND o.status = 'held' AND ${ACTIVE_INSTANCE} LIMIT 1`)
      .get(uid);
    const target = loadStudy(db, current);
    const visit = target.visit_id ? getVisitRow(db, target.visit_id) : undefined;
    if (!waiting || !visit) return target.visit_id ? { state: 'up-to-date', visitId: target.visit_id } : { state: 'needs-visit' };
    const outcome = await applyVisit(correction, current, visit, 'COERCE', uid);
    deps.audit.append({
      operatorId: null,
      action: 'visits.attach',
      outcome: 'ok',
      patientID: visit.patient_id,
      studyInstanceUID: current,
      detail: { automatic: true, lateImagesOf: uid, visitId: visit.id, visitNumber: visit.visit_number, ...auditDetail(outcome, visit) },
    });
    released([outcome]);
    changed([visit.id]);
    return { state: 'attached', visitId: visit.id, automatic: true, outcome };
  }

  async function matchUnlocked(uid: string): Promise<MatchOutcome> {
    const keys = studyKeys(db, uid);
    if (!keys) return { state: 'unknown-study' };
    const current = replacementOf(db, uid);
    if (current) return lock.run([current], () => matchLate(uid, current));
    const study = loadStudyOrNull(uid);
    if (!study) return { state: 'unknown-study' };
    let visit: VisitRow | null;
    if (study.visit_id) {
      visit = getVisitRow(db, study.visit_id) ?? null;
      const waiting = db
        .prepare(`SELECT 1 FROM instances i JOIN outbox o ON o.instance_id = i.id WHERE i.study_uid = ? AND o.status = 'held' AND i.replaced_by IS NULL LIMIT 1`)
        .get(uid);
      if (!visit || !waiting) return { state: 'up-to-date', visitId: study.visit_id };
    } else {
      visit = automaticVisit(db, keys);
      if (!visit) return { state: 'needs-visit' };
    }
    const outcome = await applyVisit(correction, uid, visit, 'COERCE');
    if (outcome.mode !== 'unchanged' || study.visit_id !== visit.id) {
      deps.audit.append({
        operatorId: null,
        action: 'visits.attach',
        outcome: 'ok',
        patientID: visit.patient_id,
        studyInstanceUID: outcome.resultStudyInstanceUID,
        detail: { automatic: true, visitId: visit.id, visitNumber: visit.visit_number, ...auditDetail(outcome, visit) },
      });
    }
    released([outcome]);
    changed([visit.id]);
    return { state: 'attached', visitId: visit.id, automatic: true, outcome };
  }

  function loadStudyOrNull(uid: string) {
    try {
      return loadStudy(db, uid);
    } catch {
      return null;
    }
  }

  const matching = new Set<Promise<MatchOutcome>>();
  async function matchGuarded(uid: string): Promise<MatchOutcome> {
    try {
      return await lock.run([uid], () => matchUnlocked(uid));
    } catch (e) {
      const code = isDeskError(e) ? e.code : 'INTERNAL';
      logger.warn('automatic visit match failed', { code, error: isDeskError(e) ? undefined : String(e) });
      deps.audit.append({ operatorId: null, action: 'visits.attach', outcome: 'error', studyInstanceUID: uid, detail: { automatic: true, error: code } });
      return { state: 'error', code };
    }
  }
  /** Tracked, so stop() waits for matches started by ingest events before the database closes. */
  function matchStudy(uid: string): Promise<MatchOutcome> {
    const p = matchGuarded(uid);
    matching.add(p);
    void p.finally(() => matching.delete(p));
    return p;
  }

  /**
   * Attached studies with an image still held: one that arrived while its study was being sent,
   * one that arrived after its study moved to another patient, or one whose copy failed before.
   * matchStudy brings each to its visit and releases it.
   */
  async function finishAttached(): Promise<void> {
    const uids = db
      .prepare(
        `SELECT DISTINCT s.study_uid FROM studies s JOIN instances i ON i.study_uid = s.study_uid JOIN outbox o ON o.instance_id = i.id
          WHERE s.visit_id IS NOT NULL AND o.status = 'held' AND ${ACTIVE_INSTANCE}`,
      )
      .pluck()
      .all() as string[];
    for (const uid of uids) await matchStudy(uid);
  }

  let inFlight: Promise<RefreshResult> | null = null;
  async function refreshOnce(): Promise<RefreshResult> {
    const cfg = deps.settings().worklist;
    // One instant for the query's day and the withdrawal's scope, so midnight cannot split them.
    const asked = clock.now();
    const matches = await scu.find(cfg, worklistQuery(cfg, localDicomDate(asked)));
    const all = matches.flatMap(entriesOf);
    const entries = all.filter((e) => e.patientID !== '' || e.patientName !== '');
    const { created, updated, withdrawn } = upsertEntries(entries, new Set(all.map((e) => e.visitId)), cfg, asked);
    const unattached = (db.prepare('SELECT study_uid FROM studies WHERE visit_id IS NULL AND replaced_by IS NULL ORDER BY last_received_at DESC LIMIT 500').all() as {
      study_uid: string;
    }[]).map((r) => r.study_uid);
    let attached = 0;
    for (const uid of unattached) if ((await matchStudy(uid)).state === 'attached') attached++;
    await finishAttached();
    logger.info('worklist refreshed', { fetched: entries.length, created, updated, withdrawn: withdrawn.length, attached });
    changed([...(created + updated > 0 ? entries.map((e) => e.visitId) : []), ...withdrawn]);
    return { fetched: entries.length, created, updated, withdrawn: withdrawn.length, attached };
  }

  let timer: NodeJS.Timeout | null = null;
  let stopped = true;
  /** The background pass in flight, awaited by stop() so the database outlives it. */
  let background: Promise<void> = Promise.resolve();
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      const cfg = deps.settings().worklist;
      const run =
        cfg.host.trim() === ''
          ? finishAttached()
          : service.refresh().then(
              () => undefined,
              (e: unknown) => {
                logger.warn('worklist refresh failed; the cached list stays', { code: isDeskError(e) ? e.code : 'INTERNAL' });
                return finishAttached();
              },
            );
      background = run.finally(schedule);
    }, deps.settings().worklist.refreshMinutes * 60_000);
    timer.unref?.();
  };

  const service: VisitsService = {
    list: (filter) => listVisits(db, filter, clock.now()),

    get: (id) => visitDetail(db, requireVisit(id), clock.now()),

    create(input) {
      const now = clock.now();
      const id = randomUUID();
      const procedure = typeof input.procedure === 'string' ? { code: '', name: input.procedure } : input.procedure;
      const temporary = (input.patientID ?? '') === '';
      db.transaction(() => {
        const visitNumber = nextVisitNumber(db, now);
        const row = {
          id,
          visit_number: visitNumber,
          patient_id: temporary ? temporaryPatientID(now) : (input.patientID as string),
          patient_id_temporary: temporary ? 1 : 0,
          patient_name: input.patientName,
          birth_date: input.birthDate,
          sex: input.sex,
          phone: input.phone ?? '',
          accession_number: walkInAccessionNumber(now),
          procedure_code: procedure.code,
          procedure_name: procedure.name,
          referring_physician: input.referringPhysician ?? '',
          payer: input.payer ?? '',
          contract_name: input.payer === 'CONTRACT' ? (input.contractName ?? '') : '',
          now,
        };
        db.prepare(
          `INSERT INTO visits (id, visit_number, source, patient_id, patient_id_temporary, patient_name, birth_date, sex, phone,
                               accession_number, procedure_code, procedure_name, referring_physician, payer, contract_name,
                               scheduled_at, search_text, created_at, updated_at)
           VALUES (@id, @visit_number, 'walk-in', @patient_id, @patient_id_temporary, @patient_name, @birth_date, @sex, @phone,
                   @accession_number, @procedure_code, @procedure_name, @referring_physician, @payer, @contract_name,
                   @now, @search_text, @now, @now)`,
        ).run({ ...row, search_text: searchTextOf(row) });
      })();
      changed([id]);
      return visitDetail(db, requireVisit(id), now);
    },

    refresh() {
      inFlight ??= refreshOnce().finally(() => {
        inFlight = null;
      });
      return inFlight;
    },

    async test() {
      const cfg = deps.settings().worklist;
      const latencyMs = await scu.echo(cfg);
      return { ok: true, latencyMs, host: cfg.host, port: cfg.port, calledAet: cfg.calledAet };
    },

    async previewAttach(visitId, uids) {
      const visit = targetVisit(visitId);
      const studies = [];
      for (const uid of uids) {
        try {
          studies.push({ ...(await previewVisit(correction, uid, visit)), refusal: null });
        } catch (e) {
          if (!isDeskError(e) || e.code === 'NOT_FOUND') throw e;
          const s = loadStudy(db, uid);
          studies.push({ studyInstanceUID: uid, instanceCount: 0, currentVisitId: s.visit_id, changes: [], afterSend: false, newStudyInstanceUID: false, characterSetChange: false, refusal: e });
        }
      }
      return { visit: summarize(db, [visit], clock.now())[0] as VisitSummary, studies };
    },

    async attach(visitId, uids, onStudy) {
      const visit = targetVisit(visitId);
      const done: AttachedStudy[] = [];
      try {
        await lock.run(uids, async () => {
          for (const uid of uids) {
            const s = await attachUnlocked(visit, uid);
            done.push(s);
            onStudy?.(s, visit);
          }
        });
      } finally {
        released(done);
        changed([visit.id, ...done.map((d) => d.previous.visitId)]);
      }
      return { visit, studies: done };
    },

    async detach(uids, onStudy) {
      const out: string[] = [];
      const visits: (string | null)[] = [];
      try {
        await lock.run(uids, async () => {
          for (const uid of uids) {
            const previous = await detachStudy(correction, uid);
            out.push(uid);
            visits.push(previous.visitId);
            onStudy?.(uid, previous);
          }
        });
      } finally {
        changed(visits);
      }
      return out;
    },

    async reconcile(fromId, toId, onStudy) {
      const from = requireVisit(fromId);
      if (from.source !== 'walk-in') throw new DeskError('VISIT_NOT_WALK_IN');
      if (from.reconciled_to) throw new DeskError('VISIT_ALREADY_RECONCILED');
      const to = targetVisit(toId);
      const uids = (db.prepare('SELECT study_uid FROM studies WHERE visit_id = ? AND replaced_by IS NULL ORDER BY first_received_at').all(from.id) as { study_uid: string }[]).map(
        (r) => r.study_uid,
      );
      const done: AttachedStudy[] = [];
      try {
        await lock.run(uids, async () => {
          for (const uid of uids) {
            // Reconciling a desk-issued identity with the real one is coercion (PS3.3 C.12.1.1.9.2).
            const s = { ...(await applyVisit(correction, uid, to, 'COERCE')), visitId: to.id };
            done.push(s);
            onStudy?.(s, to);
          }
        });
      } finally {
        released(done);
      }
      const now = clock.now();
      db.transaction(() => {
        db.prepare('UPDATE visits SET reconciled_to = ?, updated_at = ? WHERE id = ?').run(to.id, now, from.id);
        // The walk-in's slips now show the real visit's studies (slip-study-updates.ts).
        enqueueSlipStudyUpdates(db, clock, to.id);
        // What the desk learnt at the walk-in (phone, payer) completes the real visit where it is silent.
        const phone = to.phone || from.phone;
        const payer = to.payer || from.payer;
        const contract = to.payer ? to.contract_name : from.contract_name;
        db.prepare('UPDATE visits SET phone = ?, payer = ?, contract_name = ?, search_text = ?, updated_at = ? WHERE id = ?').run(
          phone,
          payer,
          contract,
          searchTextOf({ ...to, phone }),
          now,
          to.id,
        );
      })();
      changed([from.id, to.id]);
      return { from, to: requireVisit(to.id), studies: done };
    },

    suggest(uid) {
      const keys = studyKeys(db, uid);
      if (!keys) throw new DeskError('NOT_FOUND', { what: `study ${uid}` });
      const found = suggestVisits(db, keys);
      const summaries = summarize(db, found.map((f) => f.visit), clock.now());
      return summaries.map((s, i) => ({ ...s, reason: (found[i] as { reason: SuggestionReason }).reason }));
    },

    matchStudy,

    start() {
      if (!stopped) return;
      stopped = false;
      background = finishAttached();
      schedule();
    },

    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await background;
      await inFlight?.catch(() => undefined);
      await Promise.all(matching);
    },
  };
  return service;
}

/** Old and new identity of one study, for its audit record. */
export function auditDetail(s: StudyOutcome, visit: VisitRow): Record<string, unknown> {
  return {
    studyInstanceUID: s.studyInstanceUID,
    resultStudyInstanceUID: s.resultStudyInstanceUID,
    mode: s.mode,
    instances: s.instances,
    rejectionNoteSOPInstanceUID: s.rejectionNoteSOPInstanceUID,
    old: s.previous,
    new: { visitId: visit.id, patientID: visit.patient_id, patientName: visit.patient_name, accessionNumber: visit.accession_number },
  };
}
