/**
 * The local image store: studies, series, instances, what each received file became, the
 * quarantine, and the PACS outbox row each instance gets in the same transaction as its record.
 */
import type { Migration } from '../database';

export const ingest: Migration = {
  version: 10,
  name: 'ingest',
  up(db) {
    db.exec(`
      CREATE TABLE studies (
        study_uid           TEXT PRIMARY KEY,
        patient_id          TEXT NOT NULL DEFAULT '',
        patient_name        TEXT NOT NULL DEFAULT '',
        patient_birth_date  TEXT NOT NULL DEFAULT '',
        patient_sex         TEXT NOT NULL DEFAULT '',
        accession_number    TEXT NOT NULL DEFAULT '',
        study_date          TEXT NOT NULL DEFAULT '',
        study_time          TEXT NOT NULL DEFAULT '',
        study_description   TEXT NOT NULL DEFAULT '',
        modality            TEXT NOT NULL DEFAULT '',
        -- Accent- and case-folded name, PatientID and AccessionNumber, for the inbox search.
        search_text         TEXT NOT NULL DEFAULT '',
        -- Set when the study may go to the PACS (attached to a visit, released by hand, or
        -- sync.sendPolicy = immediately). Outbox rows wait in 'held' until then.
        released_at         INTEGER,
        first_received_at   INTEGER NOT NULL,
        last_received_at    INTEGER NOT NULL
      );
      CREATE INDEX studies_last_received ON studies (last_received_at DESC);

      CREATE TABLE series (
        series_uid          TEXT PRIMARY KEY,
        study_uid           TEXT NOT NULL REFERENCES studies (study_uid),
        modality            TEXT NOT NULL DEFAULT '',
        series_number       TEXT NOT NULL DEFAULT '',
        series_description  TEXT NOT NULL DEFAULT '',
        body_part_examined  TEXT NOT NULL DEFAULT ''
      );
      CREATE INDEX series_study ON series (study_uid);

      CREATE TABLE instances (
        id                  INTEGER PRIMARY KEY,
        sop_instance_uid    TEXT NOT NULL UNIQUE,
        sop_class_uid       TEXT NOT NULL,
        series_uid          TEXT NOT NULL REFERENCES series (series_uid),
        study_uid           TEXT NOT NULL REFERENCES studies (study_uid),
        instance_number     TEXT NOT NULL DEFAULT '',
        view_position       TEXT NOT NULL DEFAULT '',
        laterality          TEXT NOT NULL DEFAULT '',
        station_name        TEXT NOT NULL DEFAULT '',
        rows                INTEGER NOT NULL DEFAULT 0,
        columns             INTEGER NOT NULL DEFAULT 0,
        transfer_syntax_uid TEXT NOT NULL,
        -- Path relative to the store folder; the name is generated, never taken from DICOM values.
        file_path           TEXT NOT NULL,
        size                INTEGER NOT NULL,
        sha256              TEXT NOT NULL,
        source              TEXT NOT NULL CHECK (source IN ('folder', 'scp')),
        -- Original file name (folder) or calling AE (scp): shown to the operator, never used as a path.
        source_name         TEXT NOT NULL,
        received_at         INTEGER NOT NULL
      );
      CREATE INDEX instances_study ON instances (study_uid);

      -- One row per file or C-STORE the desk received: the ingest summary is counted from here.
      CREATE TABLE receipts (
        id                  INTEGER PRIMARY KEY,
        at                  INTEGER NOT NULL,
        source              TEXT NOT NULL,
        source_name         TEXT NOT NULL,
        outcome             TEXT NOT NULL CHECK (outcome IN ('accepted', 'duplicate', 'quarantined')),
        instance_id         INTEGER REFERENCES instances (id),
        quarantine_id       TEXT REFERENCES quarantine (id)
      );

      CREATE TABLE quarantine (
        id                  TEXT PRIMARY KEY,
        original_name       TEXT NOT NULL,
        -- Where the bytes are kept, relative to the quarantine folder; a sidecar JSON sits beside.
        file_path           TEXT NOT NULL,
        reason              TEXT NOT NULL,
        message_vi          TEXT NOT NULL,
        message_en          TEXT NOT NULL,
        received_at         INTEGER NOT NULL,
        -- For CONFLICT: the SOPInstanceUID already held with other bytes.
        sop_instance_uid    TEXT,
        resolved_at         INTEGER
      );

      -- PACS outbox: one row per instance, written in the same transaction as the instance.
      --   held ──release──▶ pending ──lease──▶ sending ──2xx listed──▶ sent ──QIDO──▶ verified ──▶ purged
      --                        ▲                   │ retryable (backoff)
      --                        └───────────────────┘
      --                                            └ permanent ──▶ failed (operator: retry)
      CREATE TABLE outbox (
        instance_id         INTEGER PRIMARY KEY REFERENCES instances (id),
        status              TEXT NOT NULL CHECK (status IN ('held', 'pending', 'sending', 'sent', 'verified', 'failed', 'purged')),
        attempts            INTEGER NOT NULL DEFAULT 0,
        available_at        INTEGER NOT NULL DEFAULT 0,
        lease_owner         TEXT,
        lease_until         INTEGER,
        last_error_code     TEXT,
        last_error          TEXT,
        sent_at             INTEGER,
        verified_at         INTEGER
      );
      CREATE INDEX outbox_ready ON outbox (status, available_at);
    `);
  },
};
