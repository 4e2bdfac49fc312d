/**
 * Desks and the records they send. `records.id` is the desk-generated UUID: its primary key is the
 * idempotency guarantee (a repeated batch inserts nothing). Desks authenticate with an API key of
 * which only the SHA-256 is kept (the key is 256 random bits, so a fast hash is enough).
 */
import type { Migration } from '../migrate';

export const m001DesksRecords: Migration = {
  version: 1,
  name: 'desks-records',
  sql: `
    CREATE TABLE desks (
      id            TEXT PRIMARY KEY,
      name          TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 80),
      api_key_hash  TEXT NOT NULL UNIQUE CHECK (api_key_hash ~ '^[0-9a-f]{64}$'),
      created_at    BIGINT NOT NULL,
      last_seen_at  BIGINT
    );

    CREATE TABLE records (
      id           UUID PRIMARY KEY,
      desk_id      TEXT NOT NULL REFERENCES desks (id),
      kind         TEXT NOT NULL CHECK (kind IN ('slip', 'token-revocation', 'film-exception', 'film-void', 'audit')),
      payload      JSONB NOT NULL,
      received_at  BIGINT NOT NULL
    );

    CREATE INDEX records_desk_kind ON records (desk_id, kind, received_at);
  `,
};
