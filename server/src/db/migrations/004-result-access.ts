/**
 * The patient side: sessions a token was exchanged for (only the hash of the session id is kept),
 * the opaque per-session image ids that stand for UIDs, the birth-year attempt counter per token,
 * the access log (every view and download), and the server's own security audit.
 */
import type { Migration } from '../migrate';

export const m004ResultAccess: Migration = {
  version: 4,
  name: 'result-access',
  sql: `
    CREATE TABLE result_sessions (
      id_hash     TEXT PRIMARY KEY CHECK (id_hash ~ '^[0-9a-f]{64}$'),
      token_hash  TEXT NOT NULL,
      created_at  BIGINT NOT NULL,
      expires_at  BIGINT NOT NULL,
      verified    BOOLEAN NOT NULL
    );

    CREATE INDEX result_sessions_expiry ON result_sessions (expires_at);

    CREATE TABLE session_images (
      session_hash  TEXT NOT NULL REFERENCES result_sessions (id_hash) ON DELETE CASCADE,
      image_id      TEXT NOT NULL CHECK (image_id ~ '^[A-Za-z0-9_-]{22}$'),
      ordinal       INTEGER NOT NULL,
      study_uid     TEXT NOT NULL,
      series_uid    TEXT NOT NULL,
      instance_uid  TEXT NOT NULL,
      PRIMARY KEY (session_hash, image_id),
      UNIQUE (session_hash, instance_uid)
    );

    CREATE TABLE token_attempts (
      token_hash    TEXT PRIMARY KEY,
      failures      INTEGER NOT NULL,
      locked_until  BIGINT,
      updated_at    BIGINT NOT NULL
    );

    CREATE TABLE access_log (
      id          BIGSERIAL PRIMARY KEY,
      at          BIGINT NOT NULL,
      token_hash  TEXT NOT NULL,
      event       TEXT NOT NULL,
      detail      JSONB NOT NULL DEFAULT '{}'
    );

    CREATE INDEX access_log_token ON access_log (token_hash, at);

    CREATE INDEX access_log_at ON access_log (at);

    CREATE TABLE server_audit (
      id      BIGSERIAL PRIMARY KEY,
      at      BIGINT NOT NULL,
      actor   TEXT NOT NULL,
      action  TEXT NOT NULL,
      detail  JSONB NOT NULL DEFAULT '{}'
    );
  `,
};
