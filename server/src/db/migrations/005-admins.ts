/** Admin accounts (scrypt password hashes) and their sessions (hash of the session id, CSRF secret). */
import type { Migration } from '../migrate';

export const m005Admins: Migration = {
  version: 5,
  name: 'admins',
  sql: `
    CREATE TABLE admins (
      username       TEXT PRIMARY KEY CHECK (username ~ '^[A-Za-z0-9._-]{1,64}$'),
      password_hash  TEXT NOT NULL,
      created_at     BIGINT NOT NULL,
      updated_at     BIGINT NOT NULL
    );

    CREATE TABLE admin_sessions (
      id_hash     TEXT PRIMARY KEY CHECK (id_hash ~ '^[0-9a-f]{64}$'),
      username    TEXT NOT NULL REFERENCES admins (username) ON DELETE CASCADE,
      csrf        TEXT NOT NULL,
      created_at  BIGINT NOT NULL,
      expires_at  BIGINT NOT NULL
    );
  `,
};
