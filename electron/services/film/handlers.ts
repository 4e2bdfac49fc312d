/**
 * Handlers for the film slice (film.* and catalog.*). Thin: validation is the contract's, the
 * writes are the register's; here the call context becomes the actor, the audit subject and the
 * change event.
 */
import type { CallContext, EventSink, Handlers } from '../../core/handler-types';
import type { Db } from '../store/database';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import { DeskError } from '../../../shared/errors';
import { localDayRange } from '../../../shared/film-dates';
import { createServiceCatalog } from '../catalog/service-catalog';
import { createCatalogHandlers } from '../catalog/handlers';
import { createFilmRegister, type FilmActor } from './film-register';
import { listFilmRecords } from './film-queries';
import { buildFilmReport } from './film-report';
import { filmCsv } from './film-csv';
import { filmSummaryHtml } from './film-summary-html';
import { visitBilling } from './visit-billing';
import { readVisit } from './visit-snapshot';

export type FilmMethod =
  | 'film.record'
  | 'film.void'
  | 'film.approve'
  | 'film.list'
  | 'film.report'
  | 'film.exportCsv'
  | 'film.summaryHtml'
  | 'film.visitBilling'
  | 'catalog.list'
  | 'catalog.update';

export interface FilmDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  events?: EventSink;
  /** The clinic's name for the printed summary's header (settings `clinic.name`). */
  clinicName?: () => string;
}

function actorOf(ctx: CallContext): FilmActor {
  if (!ctx.operator) throw new DeskError('OPERATOR_REQUIRED');
  return { deskId: ctx.deskId, operatorId: ctx.operator.id, operatorName: ctx.operator.name };
}

export function createFilmHandlers({ db, clock, logger, events, clinicName = () => '' }: FilmDeps): Handlers<FilmMethod> {
  const catalog = createServiceCatalog(db, clock);
  const register = createFilmRegister({ db, clock, logger, catalog });

  const inRange = (from: string, to: string) => {
    const { start, end } = localDayRange(from, to);
    return listFilmRecords(db, { start, end }).items;
  };

  return {
    ...createCatalogHandlers({ catalog, ...(events ? { events } : {}) }),

    'film.record': (cmd, ctx) => {
      const actor = actorOf(ctx);
      // Named before the write, so a refused attempt is audited against the same patient.
      const visit = readVisit(db, cmd.visitId);
      ctx.audit({ patientID: visit?.patientID ?? null, detail: { visitId: visit?.id ?? cmd.visitId, case: cmd.details.case, replacesId: cmd.replacesId ?? null } });
      const view = register.record(cmd, actor);
      ctx.audit({
        detail: {
          id: view.id,
          films: view.totalFilms,
          pendingApproval: view.pendingApproval,
          withFilmCode: view.billing?.withFilmCode ?? null,
        },
      });
      events?.emit('film.changed', { id: view.id, visitId: view.visitId, action: 'recorded' });
      return view;
    },

    'film.void': ({ id, reason }, ctx) => {
      const actor = actorOf(ctx);
      const row = db.prepare('SELECT patient_id, visit_id FROM film_exceptions WHERE id = ?').get(id) as
        | { patient_id: string; visit_id: string }
        | undefined;
      ctx.audit({ patientID: row?.patient_id ?? null, detail: { id, visitId: row?.visit_id ?? null } });
      const view = register.void({ id, reason }, actor);
      ctx.audit({ detail: { voidId: view.void?.id ?? null } });
      events?.emit('film.changed', { id, visitId: view.visitId, action: 'voided' });
      return view;
    },

    'film.approve': (input, ctx) => {
      const actor = actorOf(ctx);
      const row = db.prepare('SELECT patient_id, visit_id FROM film_exceptions WHERE id = ?').get(input.id) as
        | { patient_id: string; visit_id: string }
        | undefined;
      ctx.audit({ patientID: row?.patient_id ?? null, detail: { id: input.id, visitId: row?.visit_id ?? null, approvalDate: input.approvalDate } });
      const view = register.approve(input, actor);
      events?.emit('film.changed', { id: view.id, visitId: view.visitId, action: 'approved' });
      return view;
    },

    'film.list': ({ from, to, visitId, case: kind, includeVoided, limit }) => {
      const range = from || to ? localDayRange(from ?? '2000-01-01', to ?? '2999-12-31') : null;
      return listFilmRecords(db, {
        ...(range ?? {}),
        ...(visitId ? { visitId } : {}),
        ...(kind ? { case: kind } : {}),
        includeVoided,
        limit,
      });
    },

    'film.report': ({ from, to }) => buildFilmReport(from, to, inRange(from, to)),

    'film.exportCsv': ({ from, to, delimiter }, ctx) => {
      const records = inRange(from, to);
      ctx.audit({ detail: { from, to, rows: records.length } });
      return { fileName: `so-cap-phim_${from}_${to}.csv`, mimeType: 'text/csv;charset=utf-8' as const, csv: filmCsv(records, delimiter) };
    },

    'film.summaryHtml': ({ from, to, lang }, ctx) => {
      const report = buildFilmReport(from, to, inRange(from, to));
      ctx.audit({ detail: { from, to, pending: report.pendingApprovals.length } });
      return { html: filmSummaryHtml(report, { lang, clinicName: clinicName(), now: clock.now() }) };
    },

    'film.visitBilling': ({ visitId }) => {
      const billing = visitBilling(db, catalog, visitId);
      if (!billing) throw new DeskError('FILM_VISIT_NOT_FOUND', {}, { field: 'visitId' });
      return billing;
    },
  };
}
