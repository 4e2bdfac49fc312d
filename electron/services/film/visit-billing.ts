/**
 * The service a visit is billed as. A visit is billed no-film unless an active (not voided) film
 * exception stands for it; then it is billed with-film at the codes and price snapshotted on that
 * exception. Kept in `visit_billing` (not the visits table, which the visits capability owns) and
 * always recomputed from the register, so it cannot drift from the history it summarises.
 */
import type { Db } from '../store/database';
import type { Clock } from '../clock';
import type { ServiceCatalog } from '../catalog/service-catalog';
import type { VisitBilling } from '../../../shared/film-views';

interface ActiveRow {
  id: string;
  procedure_code: string;
  with_film_code: string | null;
  with_film_price: number | null;
}

interface StoredRow {
  visit_id: string;
  variant: 'no-film' | 'with-film';
  procedure_code: string;
  service_code: string | null;
  price: number | null;
  exception_id: string | null;
}

/** The newest active exception of a visit, if any. */
function activeException(db: Db, visitId: string): ActiveRow | undefined {
  return db
    .prepare(
      `SELECT e.id, e.procedure_code, e.with_film_code, e.with_film_price
         FROM film_exceptions e
        WHERE e.visit_id = ? AND NOT EXISTS (SELECT 1 FROM film_voids v WHERE v.exception_id = e.id)
        ORDER BY e.recorded_at DESC, e.rowid DESC LIMIT 1`,
    )
    .get(visitId) as ActiveRow | undefined;
}

/**
 * Recomputes a visit's billing after a record or a void; call inside that transaction. A visit
 * whose only exception was voided goes back to its no-film service.
 */
export function refreshVisitBilling(db: Db, clock: Clock, catalog: ServiceCatalog, visitId: string, procedure: { code: string; name: string }): void {
  const active = activeException(db, visitId);
  const upsert = db.prepare(
    `INSERT INTO visit_billing (visit_id, variant, procedure_code, service_code, price, exception_id, updated_at)
     VALUES (@visitId, @variant, @procedureCode, @serviceCode, @price, @exceptionId, @now)
     ON CONFLICT (visit_id) DO UPDATE SET variant = excluded.variant, procedure_code = excluded.procedure_code,
       service_code = excluded.service_code, price = excluded.price, exception_id = excluded.exception_id,
       updated_at = excluded.updated_at`,
  );
  if (active) {
    upsert.run({
      visitId,
      variant: 'with-film',
      procedureCode: active.procedure_code,
      serviceCode: active.with_film_code,
      price: active.with_film_price,
      exceptionId: active.id,
      now: clock.now(),
    });
    return;
  }
  const entry = catalog.match(procedure.code, procedure.name);
  upsert.run({
    visitId,
    variant: 'no-film',
    procedureCode: procedure.code,
    serviceCode: entry?.noFilmCode ?? null,
    price: entry?.noFilmPrice ?? null,
    exceptionId: null,
    now: clock.now(),
  });
}

/**
 * What a visit is billed as now. A visit that never had an exception has no row: it is billed
 * no-film at the catalog's current no-film code.
 */
export function visitBilling(db: Db, catalog: ServiceCatalog, visitId: string): VisitBilling | null {
  const stored = db.prepare('SELECT * FROM visit_billing WHERE visit_id = ?').get(visitId) as StoredRow | undefined;
  if (stored) {
    return {
      visitId,
      variant: stored.variant,
      serviceCode: stored.service_code,
      price: stored.price,
      procedureCode: stored.procedure_code,
      exceptionId: stored.exception_id,
    };
  }
  const visit = db.prepare('SELECT procedure_code, procedure_name FROM visits WHERE id = ?').get(visitId) as
    | { procedure_code: string; procedure_name: string }
    | undefined;
  if (!visit) return null;
  const entry = catalog.match(visit.procedure_code, visit.procedure_name);
  return {
    visitId,
    variant: 'no-film',
    serviceCode: entry?.noFilmCode ?? null,
    price: entry?.noFilmPrice ?? null,
    procedureCode: visit.procedure_code,
    exceptionId: null,
  };
}
