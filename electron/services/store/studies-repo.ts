/**
 * Reads of the local study list: the Inbox (newest arrival first, accent-insensitive search over
 * `studies.search_text`, date and state filters) and one study with its series and instances.
 *
 * Views follow the visits capability's rule (migration 031): a study replaced by another (its
 * images changed patient after reaching the PACS) is not listed, and instances that were replaced
 * or are desk-made rejection notes are not shown or counted.
 */
import type { StudyDetail, StudyListItem, StudyState } from '../../../shared/contract/ingest';
import { foldedWords } from '../../../shared/text-fold';
import type { Db } from './database';
import { stateParams, studyStateSql } from './study-state';

export interface StudyFilter {
  text?: string;
  /** YYYYMMDD, inclusive. */
  dateFrom?: string;
  dateTo?: string;
  state?: StudyState;
  limit: number;
  offset: number;
}

/** DICOM PN → display: components (family^given^middle^prefix^suffix) joined by spaces. */
export function personNameForDisplay(pn: string): string {
  return pn.split('=')[0]!.split('^').map((c) => c.trim()).filter(Boolean).join(' ');
}

interface StudyRow {
  study_uid: string;
  patient_id: string;
  patient_name: string;
  patient_birth_date: string;
  patient_sex: string;
  accession_number: string;
  study_date: string;
  study_time: string;
  study_description: string;
  modality: string;
  visit_id: string | null;
  first_received_at: number;
  last_received_at: number;
  instance_count: number;
  series_count: number;
  state: StudyState;
}

function toItem(r: StudyRow): StudyListItem {
  return {
    studyInstanceUID: r.study_uid,
    patientName: personNameForDisplay(r.patient_name),
    patientNameDicom: r.patient_name,
    patientID: r.patient_id,
    patientBirthDate: r.patient_birth_date,
    patientSex: r.patient_sex,
    accessionNumber: r.accession_number,
    studyDate: r.study_date,
    studyTime: r.study_time,
    studyDescription: r.study_description,
    modality: r.modality,
    instanceCount: r.instance_count,
    seriesCount: r.series_count,
    state: r.state,
    visitId: r.visit_id,
    firstReceivedAt: r.first_received_at,
    lastReceivedAt: r.last_received_at,
  };
}

/** Instances a view shows (see the file comment). */
const VISIBLE_INSTANCE = "i.replaced_by IS NULL AND COALESCE(i.desk_made, '') <> 'rejection-note'";

/**
 * A study attached to a visit shows the visit's identity: that is what its images carry to the
 * PACS once attached (the corrected copies), and what the technician must see. The row itself
 * keeps the values as received, which attach previews and audit records compare against.
 * The state follows `review.requireQa` (study-state.ts).
 */
const selectStudy = (requireQa: boolean) => `
  SELECT s.study_uid,
         COALESCE(v.patient_id, s.patient_id) AS patient_id,
         COALESCE(v.patient_name, s.patient_name) AS patient_name,
         COALESCE(v.birth_date, s.patient_birth_date) AS patient_birth_date,
         COALESCE(NULLIF(v.sex, ''), s.patient_sex) AS patient_sex,
         COALESCE(NULLIF(v.accession_number, ''), s.accession_number) AS accession_number,
         s.study_date, s.study_time,
         COALESCE(NULLIF(v.procedure_name, ''), s.study_description) AS study_description,
         s.modality, s.visit_id,
         s.first_received_at, s.last_received_at,
         (SELECT COUNT(*) FROM instances i WHERE i.study_uid = s.study_uid AND ${VISIBLE_INSTANCE}) AS instance_count,
         (SELECT COUNT(*) FROM series se WHERE se.study_uid = s.study_uid) AS series_count,
         ${studyStateSql('s', requireQa)} AS state
  FROM studies s LEFT JOIN visits v ON v.id = s.visit_id`;

/** LIKE pattern for a folded word, with LIKE's wildcards escaped. */
function likeWord(w: string): string {
  return `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** `requireQa`: the `review.requireQa` setting, which decides whether a study may be "ready" before its review. */
export function listStudies(db: Db, filter: StudyFilter, now: number, requireQa = false): { items: StudyListItem[]; total: number } {
  const where: string[] = ['s.replaced_by IS NULL'];
  const params: Record<string, string | number> = { ...stateParams(now) };
  foldedWords(filter.text ?? '').forEach((w, i) => {
    // Found by what it arrived as and by the visit it was attached to.
    where.push(`(s.search_text || ' ' || COALESCE(v.search_text, '')) LIKE @w${i} ESCAPE '\\'`);
    params[`w${i}`] = likeWord(w);
  });
  if (filter.dateFrom) {
    where.push('s.study_date >= @dateFrom');
    params.dateFrom = filter.dateFrom;
  }
  if (filter.dateTo) {
    where.push("s.study_date <= @dateTo AND s.study_date <> ''");
    params.dateTo = filter.dateTo;
  }
  const inner = `${selectStudy(requireQa)} WHERE ${where.join(' AND ')}`;
  const stateWhere = filter.state ? ' WHERE state = @state' : '';
  if (filter.state) params.state = filter.state;
  const total = (db.prepare(`SELECT COUNT(*) AS n FROM (${inner})${stateWhere}`).get(params) as { n: number }).n;
  const rows = db
    .prepare(`SELECT * FROM (${inner})${stateWhere} ORDER BY last_received_at DESC, study_uid LIMIT @limit OFFSET @offset`)
    .all({ ...params, limit: filter.limit, offset: filter.offset }) as StudyRow[];
  return { items: rows.map(toItem), total };
}

export function getStudy(db: Db, studyInstanceUID: string, now: number, requireQa = false): StudyDetail | null {
  const row = db.prepare(`${selectStudy(requireQa)} WHERE s.study_uid = @uid`).get({ uid: studyInstanceUID, ...stateParams(now) }) as StudyRow | undefined;
  if (!row) return null;
  const series = db
    .prepare(
      `SELECT series_uid, modality, series_number, series_description, body_part_examined
       FROM series WHERE study_uid = ? ORDER BY CAST(series_number AS INTEGER), series_uid`,
    )
    .all(studyInstanceUID) as Array<{ series_uid: string; modality: string; series_number: string; series_description: string; body_part_examined: string }>;
  const instances = db
    .prepare(
      `SELECT i.series_uid, i.sop_instance_uid, i.sop_class_uid, i.instance_number, i.view_position, i.laterality,
              i.station_name, i.rows, i.columns, i.transfer_syntax_uid, i.size, i.sha256, i.source, i.received_at,
              o.status AS outbox_status
       FROM instances i JOIN outbox o ON o.instance_id = i.id
       WHERE i.study_uid = ? AND ${VISIBLE_INSTANCE} ORDER BY CAST(i.instance_number AS INTEGER), i.received_at, i.id`,
    )
    .all(studyInstanceUID) as Array<{
    series_uid: string;
    sop_instance_uid: string;
    sop_class_uid: string;
    instance_number: string;
    view_position: string;
    laterality: string;
    station_name: string;
    rows: number;
    columns: number;
    transfer_syntax_uid: string;
    size: number;
    sha256: string;
    source: 'folder' | 'scp';
    received_at: number;
    outbox_status: StudyDetail['series'][number]['instances'][number]['outboxStatus'];
  }>;
  return {
    ...toItem(row),
    series: series.map((se) => ({
      seriesInstanceUID: se.series_uid,
      modality: se.modality,
      seriesNumber: se.series_number,
      seriesDescription: se.series_description,
      bodyPartExamined: se.body_part_examined,
      instances: instances
        .filter((i) => i.series_uid === se.series_uid)
        .map((i) => ({
          sopInstanceUID: i.sop_instance_uid,
          sopClassUID: i.sop_class_uid,
          instanceNumber: i.instance_number,
          viewPosition: i.view_position,
          laterality: i.laterality,
          stationName: i.station_name,
          rows: i.rows,
          columns: i.columns,
          transferSyntaxUID: i.transfer_syntax_uid,
          size: i.size,
          sha256: i.sha256,
          source: i.source,
          receivedAt: i.received_at,
          outboxStatus: i.outbox_status,
        })),
    })),
  };
}
