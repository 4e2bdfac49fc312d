/**
 * Result slips (the token behind each printed QR, by its hash only) and the log of every print
 * job sent to the thermal printer.
 */
import type { Migration } from '../database';

export const slips: Migration = {
  version: 40,
  name: 'slips',
  up(db) {
    db.exec(`
      -- One row per token ever issued. The raw token is never stored: only its SHA-256 (hex).
      -- 'expired' is not stored: a row is expired when expires_at <= now.
      --   active ──revoke (reason) / reprint──▶ revoked
      CREATE TABLE slips (
        id               TEXT PRIMARY KEY,                 -- UUID
        visit_id         TEXT NOT NULL REFERENCES visits (id),
        token_hash       TEXT NOT NULL UNIQUE,
        -- Short code printed beside the link, for people to quote; drawn from its own random
        -- bytes, so it says nothing about the token. Not a credential.
        lookup_code      TEXT NOT NULL UNIQUE,
        status           TEXT NOT NULL CHECK (status IN ('active', 'revoked')),
        require_birth_year INTEGER NOT NULL,
        created_at       INTEGER NOT NULL,
        expires_at       INTEGER NOT NULL,
        operator_id      TEXT,
        revoked_at       INTEGER,
        revoke_reason    TEXT,
        -- The slip printed in its place by a reprint.
        replaced_by      TEXT REFERENCES slips (id)
      );
      CREATE INDEX slips_visit ON slips (visit_id, created_at);

      -- Every job handed to the printer: 'sending' until the port answers, so a crash mid-job
      -- leaves a visible trace. job_sent = 0 means no byte of the job left the desk.
      CREATE TABLE print_jobs (
        id               TEXT PRIMARY KEY,                 -- UUID
        kind             TEXT NOT NULL CHECK (kind IN ('slip', 'test-page')),
        slip_id          TEXT REFERENCES slips (id),
        port_kind        TEXT NOT NULL,
        bytes            INTEGER NOT NULL,
        status           TEXT NOT NULL CHECK (status IN ('sending', 'printed', 'failed')),
        error_code       TEXT,
        job_sent         INTEGER,
        confirmed        INTEGER,
        paper            TEXT,
        started_at       INTEGER NOT NULL,
        finished_at      INTEGER
      );
      CREATE INDEX print_jobs_slip ON print_jobs (slip_id);
      CREATE INDEX print_jobs_started ON print_jobs (started_at);
    `);
  },
};
