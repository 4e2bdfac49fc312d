/**
 * Migration 50 (film): applies on top of 40, creates the register, catalog and billing tables with
 * the seeded catalog, and makes the register append-only.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../electron/services/store/migrations';
import { migrate } from '../../electron/services/store/database';
import { tempDir } from '../support/temp-dir';

describe('migration 050-film', () => {
  it('creates the film tables, seeds the catalog and installs the append-only triggers', () => {
    const dir = tempDir();
    const db = new Database(join(dir.path, 'm.sqlite'));
    const film = migrations.find((m) => m.name === 'film')!;
    expect(film.version).toBe(50);
    const before = migrations[migrations.indexOf(film) - 1]!;
    migrate(db, migrations, before.version);
    const tables = () => (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name);
    expect(tables()).not.toContain('film_exceptions');
    migrate(db, migrations, 50);
    expect(tables()).toEqual(
      expect.arrayContaining(['service_catalog', 'film_exceptions', 'film_exception_films', 'film_voids', 'film_approvals', 'visit_billing']),
    );
    const chest = db.prepare("SELECT * FROM service_catalog WHERE procedure_code = 'XQ.NGUC.T'").get() as Record<string, unknown>;
    expect(chest).toMatchObject({ name: 'X-quang ngực thẳng', no_film_price: 100_000, with_film_price: 135_000, active: 1 });
    expect((db.prepare('SELECT count(*) AS n FROM service_catalog').get() as { n: number }).n).toBeGreaterThanOrEqual(6);
    const triggers = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as { name: string }[]).map((r) => r.name);
    for (const t of ['film_exceptions', 'film_exception_films', 'film_voids', 'film_approvals']) {
      expect(triggers).toEqual(expect.arrayContaining([`${t}_no_update`, `${t}_no_delete`]));
    }
    migrate(db);
    db.close();
    dir.remove();
  });
});
