/**
 * Numbered schema migrations, applied in order, each in its own transaction and recorded in
 * `schema_migrations`. An advisory lock serialises two server processes starting at once against
 * the same PostgreSQL (the second waits, then finds the work done).
 */
import type { Sql } from './sql';

export interface Migration {
  /** Strictly increasing through the list. */
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** Arbitrary constant key for pg_advisory_xact_lock ("RDSV"). */
const LOCK_KEY = 0x52445356;

export async function migrate(sql: Sql, list: readonly Migration[], upTo = Number.POSITIVE_INFINITY): Promise<number[]> {
  list.forEach((m, i) => {
    const prev = list[i - 1];
    if (prev && m.version <= prev.version) throw new Error(`migration ${m.name} (${m.version}) is not after ${prev.name} (${prev.version})`);
  });
  await sql.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
  )`);
  const applied: number[] = [];
  for (const m of list.filter((x) => x.version <= upTo)) {
    const done = await sql.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
      const seen = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [m.version]);
      if (seen.length > 0) return false;
      // Multi-statement text goes through the simple protocol: split on the statement separator
      // we write migrations with (a line holding only ';'-terminated statements), run each.
      for (const stmt of splitStatements(m.sql)) await tx.query(stmt);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      return true;
    });
    if (done) applied.push(m.version);
  }
  return applied;
}

export async function schemaVersion(sql: Sql): Promise<number> {
  const rows = await sql.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
  return rows[0]?.v ?? 0;
}

/**
 * Splits migration text into statements at semicolons that end a line. Our migrations hold no
 * functions or string literals with `;\n` in them, which keeps this honest and small.
 */
export function splitStatements(text: string): string[] {
  return text
    .split(/;\s*\n/)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter((s) => s.length > 0)
    .map((s) => s.replace(/;\s*$/, ''));
}
