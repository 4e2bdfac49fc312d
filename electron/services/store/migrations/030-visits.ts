/**
 * Patient visits (from the Modality Worklist or entered at the desk) and the link from a study to
 * the visit it belongs to.
 */
import type { Migration } from '../database';

export const visits: Migration = {
  version: 30,
  name: 'visits',
  up(db) {
    db.exec(`
      CREATE TABLE visits (
        id                   TEXT PRIMARY KEY,
        visit_number         TEXT NOT NULL,
        source               TEXT NOT NULL CHECK (source IN ('worklist', 'walk-in')),
        patient_id           TEXT NOT NULL,
        -- A walk-in without a known PatientID gets a generated one, to be reconciled later.
        patient_id_temporary INTEGER NOT NULL DEFAULT 0,
        patient_name         TEXT NOT NULL,
        birth_date           TEXT NOT NULL DEFAULT '',   -- YYYYMMDD or YYYY
        sex                  TEXT NOT NULL DEFAULT '' CHECK (sex IN ('', 'M', 'F', 'O')),
        phone                TEXT NOT NULL DEFAULT '',
        accession_number     TEXT NOT NULL DEFAULT '',
        -- StudyInstanceUID the order asked for (worklist), matched against arriving images.
        study_instance_uid   TEXT NOT NULL DEFAULT '',
        procedure_code       TEXT NOT NULL DEFAULT '',
        procedure_name       TEXT NOT NULL DEFAULT '',
        referring_physician  TEXT NOT NULL DEFAULT '',
        payer                TEXT NOT NULL DEFAULT '' CHECK (payer IN ('', 'BHYT', 'SERVICE', 'CONTRACT')),
        contract_name        TEXT NOT NULL DEFAULT '',
        scheduled_at         INTEGER,
        station_aet          TEXT NOT NULL DEFAULT '',
        search_text          TEXT NOT NULL DEFAULT '',
        -- A walk-in reconciled to the real (worklist) visit points at it; its images moved there.
        reconciled_to        TEXT REFERENCES visits (id),
        created_at           INTEGER NOT NULL,
        updated_at           INTEGER NOT NULL
      );
      CREATE INDEX visits_scheduled ON visits (scheduled_at);
      CREATE INDEX visits_accession ON visits (accession_number);
      CREATE INDEX visits_patient ON visits (patient_id);

      ALTER TABLE studies ADD COLUMN visit_id TEXT REFERENCES visits (id);
      CREATE INDEX studies_visit ON studies (visit_id);
    `);
  },
};
