/**
 * Handlers for the ingest slice (shared/contract/ingest.ts): the arrival counts, the quarantine
 * (list, retry, export) and the local study list.
 */
import { bilingual } from './reasons';
import { DeskError } from '../../../shared/errors';
import type { QuarantineItem, QuarantineReason } from '../../../shared/contract/ingest';
import type { Handlers } from '../../core/handler-types';
import type { Clock } from '../clock';
import type { Db } from '../store/database';
import { getStudy, listStudies } from '../store/studies-repo';
import type { IngestService } from './ingest-service';

type IngestMethod = 'ingest.summary' | 'quarantine.list' | 'quarantine.retry' | 'quarantine.export' | 'studies.list' | 'studies.get';

export interface IngestHandlerDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly ingest: IngestService;
  /** `review.requireQa`, read per call: the study state says "needs review" only when it applies. */
  readonly requireQa: () => boolean;
}

interface QuarantineRow {
  id: string;
  original_name: string;
  reason: QuarantineReason;
  message_vi: string;
  message_en: string;
  received_at: number;
  size: number;
  sha256: string;
  sop_instance_uid: string | null;
  resolved_at: number | null;
}

export function createIngestHandlers({ db, clock, ingest, requireQa }: IngestHandlerDeps): Handlers<IngestMethod> {
  return {
    'ingest.summary': () => ingest.summary(),

    'quarantine.list': ({ includeResolved, limit }) => {
      const rows = db
        .prepare(
          `SELECT id, original_name, reason, message_vi, message_en, received_at, size, sha256, sop_instance_uid, resolved_at
           FROM quarantine ${includeResolved ? '' : 'WHERE resolved_at IS NULL'}
           ORDER BY received_at DESC, id LIMIT ?`,
        )
        .all(limit) as QuarantineRow[];
      const items: QuarantineItem[] = rows.map((r) => ({
        id: r.id,
        originalName: r.original_name,
        reason: r.reason,
        message: bilingual({ vi: r.message_vi, en: r.message_en }),
        receivedAt: r.received_at,
        size: r.size,
        sha256: r.sha256,
        sopInstanceUID: r.sop_instance_uid,
        resolvedAt: r.resolved_at,
      }));
      return { items };
    },

    'quarantine.retry': async ({ id }, ctx) => {
      ctx.audit({ detail: { quarantineId: id } });
      const o = await ingest.retryQuarantined(id);
      if (o.outcome === 'accepted' || o.outcome === 'duplicate') {
        const patient = db.prepare('SELECT patient_id FROM studies WHERE study_uid = ?').get(o.studyInstanceUID) as { patient_id: string } | undefined;
        ctx.audit({ patientID: patient?.patient_id ?? null, studyInstanceUID: o.studyInstanceUID, detail: { quarantineId: id, outcome: o.outcome } });
        return { outcome: o.outcome, reason: null, studyInstanceUID: o.studyInstanceUID };
      }
      if (o.outcome === 'quarantined') return { outcome: 'quarantined', reason: o.reason, studyInstanceUID: null };
      throw new DeskError('INTERNAL', { ref: `retry-${o.outcome}` });
    },

    'quarantine.export': async ({ id, toDir }, ctx) => {
      ctx.audit({ detail: { quarantineId: id } });
      return { path: await ingest.exportQuarantined(id, toDir) };
    },

    // Not audited: see the contract (the inbox polls it); studies.get is the audited read.
    'studies.list': (filter) => listStudies(db, filter, clock.now(), requireQa()),

    'studies.get': ({ studyInstanceUID }, ctx) => {
      const study = getStudy(db, studyInstanceUID, clock.now(), requireQa());
      if (!study) throw new DeskError('NOT_FOUND', { what: 'study' });
      ctx.audit({ patientID: study.patientID, studyInstanceUID });
      return study;
    },
  };
}
