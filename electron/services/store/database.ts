/**
 * The desk's SQLite database: one writer (this process), WAL, synchronous=FULL so a committed
 * transaction survives power loss, foreign keys on. Schema changes are numbered migrations
 * applied in order and recorded in `PRAGMA user_version`.
 */
import Database from 'better-sqlite3';
import { migrations } from './migrations';

export type Db = Database.Database;

export function openDatabase(file: string): Db {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

export interface Migration {
  /**
   * Strictly increasing through the list. Each capability owns a block of ten (foundation 1–9,
   * ingest 10–19, sync 20–29, visits 30–39, slips 40–49, film 50–59, records outbox 60–69) so
   * capabilities can add migrations without renumbering each other's.
   */
  readonly version: number;
  readonly name: string;
  up(db: Db): void;
}

/** Applies every migration newer than the database, each in its own transaction. */
export function migrate(db: Db, list: readonly Migration[] = migrations, upTo = Number.POSITIVE_INFINITY): void {
  list.forEach((m, i) => {
    const prev = list[i - 1];
    if (prev && m.version <= prev.version) throw new Error(`migration ${m.name} (${m.version}) is not after ${prev.name} (${prev.version})`);
  });
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const m of list.filter((x) => x.version > current && x.version <= upTo)) {
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}
