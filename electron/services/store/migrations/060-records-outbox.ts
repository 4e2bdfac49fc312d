/**
 * Records for the clinic server (slips, token revocations, film exceptions, voids, audit) wait
 * here until the server acknowledges them. Each carries a desk-generated UUID so a repeated batch
 * changes nothing on the server.
 */
import type { Migration } from '../database';

export const recordsOutbox: Migration = {
  version: 60,
  name: 'records-outbox',
  up(db) {
    db.exec(`
      CREATE TABLE records_outbox (
        id            TEXT PRIMARY KEY,              -- UUID, the server's idempotency key
        kind          TEXT NOT NULL,
        payload       TEXT NOT NULL,                 -- JSON, validated by shared/records.ts
        created_at    INTEGER NOT NULL,
        status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'rejected')),
        attempts      INTEGER NOT NULL DEFAULT 0,
        available_at  INTEGER NOT NULL DEFAULT 0,
        last_error    TEXT,
        delivered_at  INTEGER
      );
      CREATE INDEX records_outbox_ready ON records_outbox (status, available_at);
    `);
  },
};
