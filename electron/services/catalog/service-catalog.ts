/**
 * The X-ray service catalog: each service's no-film and with-film billing codes and prices (the
 * notice has KHNV re-list services without film cost and TCKT price them). A visit's requested
 * procedure picks its entry; a film exception bills the with-film variant.
 */
import type { Db } from '../store/database';
import type { Clock } from '../clock';
import type { CatalogEntry } from '../../../shared/film-views';

interface Row {
  procedure_code: string;
  name: string;
  no_film_code: string;
  no_film_price: number;
  with_film_code: string;
  with_film_price: number;
  active: number;
  updated_at: number;
}

const toEntry = (r: Row): CatalogEntry => ({
  procedureCode: r.procedure_code,
  name: r.name,
  noFilmCode: r.no_film_code,
  noFilmPrice: r.no_film_price,
  withFilmCode: r.with_film_code,
  withFilmPrice: r.with_film_price,
  active: r.active === 1,
  updatedAt: r.updated_at,
});

export type CatalogInput = Omit<CatalogEntry, 'updatedAt'>;

export interface ServiceCatalog {
  list(opts?: { includeInactive?: boolean }): CatalogEntry[];
  get(procedureCode: string): CatalogEntry | null;
  /** Adds or replaces one entry; returns it with the previous version (for the audit). */
  upsert(input: CatalogInput): { entry: CatalogEntry; previous: CatalogEntry | null };
  /**
   * The active entry for a visit's requested procedure: by procedure code (or either billing code,
   * for worklists that send the billing code itself), else by the Vietnamese name ignoring accents
   * and case (walk-ins typed by hand). null when nothing matches: the exception is still recorded,
   * and billed by hand.
   */
  match(procedureCode: string, procedureName: string): CatalogEntry | null;
}

/** Accent- and case-folded text ("X-quang Ngực thẳng" → "x-quang nguc thang"); đ has no decomposition. */
export function foldVietnamese(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

export function createServiceCatalog(db: Db, clock: Clock): ServiceCatalog {
  const byCode = db.prepare('SELECT * FROM service_catalog WHERE procedure_code = ?');
  const get = (code: string): CatalogEntry | null => {
    const r = byCode.get(code) as Row | undefined;
    return r ? toEntry(r) : null;
  };

  return {
    list({ includeInactive = false } = {}) {
      const rows = db
        .prepare(`SELECT * FROM service_catalog ${includeInactive ? '' : 'WHERE active = 1'} ORDER BY name COLLATE NOCASE, procedure_code`)
        .all() as Row[];
      return rows.map(toEntry);
    },
    get,
    upsert(input) {
      return db.transaction(() => {
        const previous = get(input.procedureCode);
        db.prepare(
          `INSERT INTO service_catalog (procedure_code, name, no_film_code, no_film_price, with_film_code, with_film_price, active, updated_at)
           VALUES (@procedureCode, @name, @noFilmCode, @noFilmPrice, @withFilmCode, @withFilmPrice, @active, @updatedAt)
           ON CONFLICT (procedure_code) DO UPDATE SET
             name = excluded.name, no_film_code = excluded.no_film_code, no_film_price = excluded.no_film_price,
             with_film_code = excluded.with_film_code, with_film_price = excluded.with_film_price,
             active = excluded.active, updated_at = excluded.updated_at`,
        ).run({ ...input, active: input.active ? 1 : 0, updatedAt: clock.now() });
        return { entry: get(input.procedureCode)!, previous };
      })();
    },
    match(procedureCode, procedureName) {
      const code = procedureCode.trim();
      if (code) {
        const r = db
          .prepare(
            `SELECT * FROM service_catalog WHERE active = 1 AND (procedure_code = @code OR no_film_code = @code OR with_film_code = @code)
             ORDER BY procedure_code = @code DESC LIMIT 1`,
          )
          .get({ code }) as Row | undefined;
        if (r) return toEntry(r);
      }
      const name = foldVietnamese(procedureName);
      if (!name) return null;
      const rows = db.prepare('SELECT * FROM service_catalog WHERE active = 1').all() as Row[];
      const found = rows.find((r) => foldVietnamese(r.name) === name);
      return found ? toEntry(found) : null;
    },
  };
}
