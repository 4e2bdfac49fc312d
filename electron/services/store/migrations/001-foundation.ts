/** Operators and the append-only, hash-chained audit log. */
import type { Migration } from '../database';

export const foundation: Migration = {
  version: 1,
  name: 'foundation',
  up(db) {
    db.exec(`
      CREATE TABLE operators (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL,
        role        TEXT NOT NULL CHECK (role IN ('technician', 'admin')),
        pin_hash    TEXT,
        created_at  INTEGER NOT NULL,
        disabled    INTEGER NOT NULL DEFAULT 0
      );

      -- Each row's hash covers its own fields and the previous row's hash, so editing or
      -- removing any row breaks every link after it (audit.verify finds the first one).
      CREATE TABLE audit_log (
        seq          INTEGER PRIMARY KEY,
        at           INTEGER NOT NULL,
        operator_id  TEXT,
        desk_id      TEXT NOT NULL,
        action       TEXT NOT NULL,
        outcome      TEXT NOT NULL CHECK (outcome IN ('ok', 'error')),
        patient_id   TEXT,
        study_uid    TEXT,
        detail       TEXT NOT NULL,
        prev_hash    TEXT NOT NULL,
        hash         TEXT NOT NULL
      );
      CREATE INDEX audit_log_at ON audit_log (at);
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    `);
  },
};
