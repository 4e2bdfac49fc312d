/**
 * Ingest bookkeeping for restart safety: which source file (path, size, mtime) became which
 * receipt, written in the same transaction as the instance or quarantine row. After a crash
 * between that commit and moving the source out of the export folder, the desk finishes the
 * move instead of receiving the file a second time. Also: the quarantine's hash, size and
 * technical detail, and indexes the inbox and the summary read on every arrival.
 */
import type { Migration } from '../database';

export const ingestSources: Migration = {
  version: 11,
  name: 'ingest-sources',
  up(db) {
    db.exec(`
      CREATE TABLE ingest_sources (
        source_path  TEXT NOT NULL,
        size         INTEGER NOT NULL,
        mtime_ms     INTEGER NOT NULL,
        receipt_id   INTEGER NOT NULL REFERENCES receipts (id),
        PRIMARY KEY (source_path, size, mtime_ms)
      );

      ALTER TABLE quarantine ADD COLUMN sha256 TEXT NOT NULL DEFAULT '';
      ALTER TABLE quarantine ADD COLUMN size INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE quarantine ADD COLUMN source TEXT NOT NULL DEFAULT 'folder';
      -- Technical detail (offset, tag, length); never patient-identifying text.
      ALTER TABLE quarantine ADD COLUMN detail TEXT NOT NULL DEFAULT '';

      CREATE INDEX receipts_outcome ON receipts (outcome);
      CREATE INDEX receipts_quarantine ON receipts (quarantine_id);
      CREATE INDEX quarantine_received ON quarantine (received_at DESC);
      CREATE INDEX instances_series ON instances (series_uid);
    `);
  },
};
