/**
 * Opens the configured store — PostgreSQL with DATABASE_URL, otherwise PGlite in the data folder —
 * and brings its schema up to date.
 */
import { join } from 'node:path';
import type { ServerConfig } from '../config';
import type { Sql } from './sql';
import { createPgSql } from './pg-sql';
import { createPgliteSql } from './pglite-sql';
import { lockDataDir } from './data-dir-lock';
import { migrate } from './migrate';
import { serverMigrations } from './migrations';

export async function openStore(config: Pick<ServerConfig, 'databaseUrl' | 'dataDir'>): Promise<Sql> {
  let sql: Sql;
  if (config.databaseUrl) {
    sql = createPgSql(config.databaseUrl);
  } else {
    const lock = lockDataDir(config.dataDir);
    try {
      const inner = await createPgliteSql(join(config.dataDir, 'pglite'));
      sql = { ...inner, close: async () => { try { await inner.close(); } finally { lock.release(); } } };
    } catch (e) {
      lock.release();
      throw e;
    }
  }
  try {
    await migrate(sql, serverMigrations);
  } catch (e) {
    await sql.close();
    throw e;
  }
  return sql;
}
