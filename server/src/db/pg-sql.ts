/** `Sql` over a PostgreSQL server (`DATABASE_URL`), through a `pg` connection pool. */
import pg from 'pg';
import type { Queryable, Row, Sql } from './sql';

const INT8_OID = 20;

/** Epoch-millisecond BIGINTs come back as numbers (pg's default is a string, to be safe past 2^53). */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

export function createPgSql(connectionString: string, opts: { max?: number } = {}): Sql {
  const pool = new pg.Pool({ connectionString, max: opts.max ?? 10, types });
  // An idle client losing its connection must not crash the server; the next query reconnects.
  pool.on('error', () => {});
  const run =
    (c: pg.Pool | pg.PoolClient): Queryable['query'] =>
    async <R = Row>(text: string, params: readonly unknown[] = []) =>
      (await c.query(text, params as unknown[])).rows as R[];

  return {
    kind: 'postgres',
    query: run(pool),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({ query: run(client) });
        await client.query('COMMIT');
        return result;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    },
    async exec(text) {
      await pool.query(text);
    },
    close: () => pool.end(),
  };
}
