/**
 * `Sql` over PGlite, the embedded PostgreSQL: `npm run server` works on a fresh machine with no
 * database installed. One process owns the data folder (PGlite is single-user), which
 * `data-dir-lock.ts` enforces. PGlite runs one query at a time and queues the rest.
 */
import { PGlite } from '@electric-sql/pglite';
import type { Row, Sql } from './sql';

/** `dataDir` undefined → in memory (tests). */
export async function createPgliteSql(dataDir?: string): Promise<Sql> {
  const db = await PGlite.create(dataDir);
  return {
    kind: 'pglite',
    async query<R = Row>(text: string, params: readonly unknown[] = []) {
      return (await db.query<R>(text, params as unknown[])).rows;
    },
    transaction: (fn) =>
      db.transaction((tx) =>
        fn({ query: async <R = Row>(text: string, params: readonly unknown[] = []) => (await tx.query<R>(text, params as unknown[])).rows }),
      ),
    async exec(text) {
      await db.exec(text);
    },
    close: () => db.close(),
  };
}
