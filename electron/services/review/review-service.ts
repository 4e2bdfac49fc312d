/**
 * Image QA: records the technician's accept / reject decision on an instance and answers what a
 * study's review looks like. The decision lives on the instance row (migration 015), where the
 * sync claim and the study state read it.
 *
 * A decision can be changed until the image starts to leave: once its outbox row is `sending`,
 * `sent`, `verified` or `purged`, the PACS may hold it, and undoing that is an IOCM rejection
 * note sent to the PACS (PS3.3 §A.35.1), not a desk-side edit — so it is refused.
 */
import type { Db } from '../store/database';
import type { Clock } from '../clock';
import { DeskError } from '../../../shared/errors';
import type { ImageItem, QaDecision, QaRejectionReason, SeriesImages, StudyImages } from '../../../shared/contract/review';
import { imageRevision } from '../images/image-revision';
import { activeInstanceSql } from '../store/active-instance';

export interface ReviewInput {
  instanceId?: number | undefined;
  sopInstanceUID?: string | undefined;
  decision: QaDecision;
  reason?: QaRejectionReason | undefined;
}

export interface ReviewOutcome {
  images: StudyImages;
  instanceId: number;
  patientID: string;
  studyInstanceUID: string;
  /** The decision before this call (null: was unreviewed). */
  previous: QaDecision | null;
}

export interface ReviewService {
  decide(input: ReviewInput, operatorId: string | null): ReviewOutcome;
  /** The images of these studies, in the order asked; unknown UIDs are left out. */
  studyImages(studyInstanceUIDs: readonly string[]): StudyImages[];
}

export interface ReviewDeps {
  db: Db;
  clock: Clock;
  /** `review.requireQa`, read at each call so a settings change applies at once. */
  requireQa: () => boolean;
}

/**
 * Outbox states in which the bytes may already be at the PACS. There, only a decision that
 * changes nothing that left is taken: accepting (an unreviewed image went out as accepted).
 */
const LEFT_THE_DESK = new Set(['sending', 'sent', 'verified', 'purged']);

interface TargetRow {
  id: number;
  study_uid: string;
  qa_decision: QaDecision | null;
  patient_id: string;
  outbox_status: string | null;
}

interface ImageRow {
  id: number;
  sha256: string;
  send_path: string | null;
  sop_instance_uid: string;
  series_uid: string;
  instance_number: string;
  view_position: string;
  laterality: string;
  rows: number;
  columns: number;
  transfer_syntax_uid: string;
  qa_decision: QaDecision | null;
  qa_reason: QaRejectionReason | null;
  qa_at: number | null;
  qa_by: string | null;
  series_number: string;
  series_description: string;
  body_part_examined: string;
  modality: string;
}

export function createReviewService({ db, clock, requireQa }: ReviewDeps): ReviewService {
  const target = db.prepare<[number | null, string | null], TargetRow>(`
    SELECT i.id, i.study_uid, i.qa_decision, s.patient_id, o.status AS outbox_status
    FROM instances i
    JOIN studies s ON s.study_uid = i.study_uid
    LEFT JOIN outbox o ON o.instance_id = i.id
    WHERE i.id = ? OR i.sop_instance_uid = ?
  `);
  const update = db.prepare(`UPDATE instances SET qa_decision = ?, qa_reason = ?, qa_at = ?, qa_by = ? WHERE id = ?`);
  const rows = db.prepare<[string], ImageRow>(`
    SELECT i.id, i.sha256, i.send_path, i.sop_instance_uid, i.series_uid, i.instance_number, i.view_position, i.laterality, i.rows, i.columns,
           i.transfer_syntax_uid, i.qa_decision, i.qa_reason, i.qa_at, i.qa_by,
           se.series_number, se.series_description, se.body_part_examined, se.modality
    FROM instances i JOIN series se ON se.series_uid = i.series_uid
    WHERE i.study_uid = ? AND ${activeInstanceSql('i')}
    ORDER BY CAST(se.series_number AS INTEGER), se.series_uid, CAST(i.instance_number AS INTEGER), i.id
  `);
  const studyExists = db.prepare<[string], { one: number }>(`SELECT 1 AS one FROM studies WHERE study_uid = ?`);

  function studyImagesOf(studyInstanceUID: string): StudyImages | null {
    const list = rows.all(studyInstanceUID);
    if (list.length === 0 && !studyExists.get(studyInstanceUID)) return null;
    const series: SeriesImages[] = [];
    let accepted = 0;
    let rejected = 0;
    for (const r of list) {
      let s = series.at(-1);
      if (!s || s.seriesInstanceUID !== r.series_uid) {
        s = {
          seriesInstanceUID: r.series_uid,
          seriesNumber: r.series_number,
          seriesDescription: r.series_description,
          bodyPartExamined: r.body_part_examined,
          modality: r.modality,
          images: [],
        };
        series.push(s);
      }
      const image: ImageItem = {
        instanceId: r.id,
        revision: imageRevision(r.sha256, r.send_path),
        sopInstanceUID: r.sop_instance_uid,
        instanceNumber: r.instance_number,
        viewPosition: r.view_position,
        laterality: r.laterality,
        rows: r.rows,
        columns: r.columns,
        transferSyntaxUID: r.transfer_syntax_uid,
        decision: r.qa_decision,
        reason: r.qa_reason,
        reviewedAt: r.qa_at,
        reviewedBy: r.qa_by,
      };
      s.images.push(image);
      if (r.qa_decision === 'accepted') accepted++;
      else if (r.qa_decision === 'rejected') rejected++;
    }
    const unreviewed = list.length - accepted - rejected;
    const required = requireQa();
    return { studyInstanceUID, series, accepted, rejected, unreviewed, requireQa: required, qaComplete: !required || unreviewed === 0 };
  }

  const decideTx = db.transaction((input: ReviewInput, operatorId: string | null): ReviewOutcome => {
    const row = target.get(input.instanceId ?? null, input.instanceId === undefined ? (input.sopInstanceUID ?? null) : null);
    if (!row) throw new DeskError('NOT_FOUND', { what: 'image' });
    if (row.outbox_status !== null && LEFT_THE_DESK.has(row.outbox_status) && (row.qa_decision ?? 'accepted') !== input.decision) {
      throw new DeskError('REVIEW_ALREADY_SENT');
    }
    const reason = input.decision === 'rejected' ? (input.reason ?? null) : null;
    update.run(input.decision, reason, clock.now(), operatorId, row.id);
    return { images: studyImagesOf(row.study_uid)!, instanceId: row.id, patientID: row.patient_id, studyInstanceUID: row.study_uid, previous: row.qa_decision };
  });

  return {
    decide: (input, operatorId) => decideTx(input, operatorId),
    studyImages: (uids) => uids.map(studyImagesOf).filter((x): x is StudyImages => x !== null),
  };
}
