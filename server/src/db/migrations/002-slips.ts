/**
 * What the result page needs: each slip's token hash (never the token), the patient's display
 * fields, the studies, expiry; and every revocation (from a desk or an admin). A revocation is kept
 * in its own table keyed by token hash, so one that arrives before its slip still counts.
 */
import type { Migration } from '../migrate';

export const m002Slips: Migration = {
  version: 2,
  name: 'slips',
  sql: `
    CREATE TABLE slips (
      token_hash          TEXT PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
      desk_id             TEXT NOT NULL REFERENCES desks (id),
      record_id           UUID NOT NULL REFERENCES records (id),
      slip_id             TEXT NOT NULL,
      visit_id            TEXT NOT NULL,
      visit_number        TEXT NOT NULL,
      patient_name        TEXT NOT NULL,
      birth_year          TEXT CHECK (birth_year IS NULL OR birth_year ~ '^[0-9]{4}$'),
      sex                 TEXT NOT NULL CHECK (sex IN ('', 'M', 'F', 'O')),
      exams               JSONB NOT NULL,
      study_uids          JSONB NOT NULL,
      clinic_name         TEXT NOT NULL,
      lookup_code         TEXT NOT NULL,
      replaces            TEXT,
      require_birth_year  BOOLEAN NOT NULL,
      issued_at           BIGINT NOT NULL,
      expires_at          BIGINT NOT NULL,
      updated_at          BIGINT NOT NULL
    );

    CREATE INDEX slips_issued ON slips (issued_at);

    CREATE INDEX slips_desk_slip ON slips (desk_id, slip_id);

    CREATE TABLE token_revocations (
      token_hash  TEXT PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
      revoked_at  BIGINT NOT NULL,
      reason      TEXT NOT NULL,
      source      TEXT NOT NULL CHECK (source IN ('desk', 'admin')),
      actor       TEXT NOT NULL,
      record_id   UUID REFERENCES records (id)
    );
  `,
};
