/** An in-memory PGlite with the server's schema, up to a migration version (all by default). */
import { createPgliteSql } from '../../src/db/pglite-sql';
import { migrate } from '../../src/db/migrate';
import { serverMigrations } from '../../src/db/migrations';
import type { Sql } from '../../src/db/sql';

export async function memorySql(upTo = Number.POSITIVE_INFINITY): Promise<Sql> {
  const sql = await createPgliteSql();
  await migrate(sql, serverMigrations, upTo);
  return sql;
}

/** Runs `fn` and reports whether the database refused it (constraint, type, FK). */
export async function refused(fn: () => Promise<unknown>): Promise<boolean> {
  try {
    await fn();
    return false;
  } catch {
    return true;
  }
}
