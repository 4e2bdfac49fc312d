/**
 * The film-exception register and the X-ray service catalog (clinic notice §5 and the KHNV/TCKT
 * re-listing of services without film cost).
 *
 * The register is append-only, like the audit log: an exception, its film lines, its void and its
 * later approval are each a row that is never updated or deleted (triggers refuse it), so the
 * history KHNV reviews and finance bills from cannot be rewritten at the desk. A correction is a
 * void plus a new record pointing at the old one. Each row snapshots the visit's identity and the
 * catalog's codes and prices at the time, so the register reads the same after a visit is
 * reconciled or a price changes, and it does not depend on the visit row staying.
 *
 * `visit_billing` is derived state (the service a visit is billed as), recomputed from the active
 * exceptions whenever one is recorded or voided; it is the only mutable film table.
 */
import type { Migration } from '../database';

/** Realistic starting catalog (whole VND): the no-film price is the re-listed one. Edited in settings. */
const SEED: ReadonlyArray<readonly [string, string, string, number, string, number]> = [
  ['XQ.NGUC.T', 'X-quang ngực thẳng', 'XQ.NGUC.T.KP', 100_000, 'XQ.NGUC.T.CP', 135_000],
  ['XQ.NGUC.N', 'X-quang ngực nghiêng', 'XQ.NGUC.N.KP', 100_000, 'XQ.NGUC.N.CP', 135_000],
  ['XQ.CSC.TN', 'X-quang cột sống cổ thẳng nghiêng', 'XQ.CSC.TN.KP', 170_000, 'XQ.CSC.TN.CP', 230_000],
  ['XQ.CSTL.TN', 'X-quang cột sống thắt lưng thẳng nghiêng', 'XQ.CSTL.TN.KP', 180_000, 'XQ.CSTL.TN.CP', 250_000],
  ['XQ.GOI.TN', 'X-quang khớp gối thẳng nghiêng', 'XQ.GOI.TN.KP', 160_000, 'XQ.GOI.TN.CP', 220_000],
  ['XQ.BUNG', 'X-quang bụng không chuẩn bị', 'XQ.BUNG.KP', 110_000, 'XQ.BUNG.CP', 145_000],
  ['XQ.SO.TN', 'X-quang sọ thẳng nghiêng', 'XQ.SO.TN.KP', 170_000, 'XQ.SO.TN.CP', 230_000],
  ['XQ.XOANG', 'X-quang xoang (tư thế Blondeau)', 'XQ.XOANG.KP', 100_000, 'XQ.XOANG.CP', 135_000],
];

const appendOnly = (table: string) => `
  CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
    BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END;
  CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
    BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END;
`;

export const film: Migration = {
  version: 50,
  name: 'film',
  up(db) {
    db.exec(`
      CREATE TABLE service_catalog (
        -- The requested procedure code a visit carries (visits.procedure_code).
        procedure_code   TEXT PRIMARY KEY,
        name             TEXT NOT NULL,
        no_film_code     TEXT NOT NULL,
        no_film_price    INTEGER NOT NULL CHECK (no_film_price >= 0),
        with_film_code   TEXT NOT NULL,
        with_film_price  INTEGER NOT NULL CHECK (with_film_price >= 0),
        active           INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        updated_at       INTEGER NOT NULL
      );

      CREATE TABLE film_exceptions (
        id                   TEXT PRIMARY KEY,        -- UUID; also its records-outbox id
        recorded_at          INTEGER NOT NULL,
        desk_id              TEXT NOT NULL,
        operator_id          TEXT,
        operator_name        TEXT NOT NULL,
        -- The visit as it was when the film was issued (no foreign key: see the file comment).
        visit_id             TEXT NOT NULL,
        visit_number         TEXT NOT NULL,
        patient_id           TEXT NOT NULL,
        patient_name         TEXT NOT NULL,
        accession_number     TEXT NOT NULL,
        procedure_code       TEXT NOT NULL,
        procedure_name       TEXT NOT NULL,
        case_kind            TEXT NOT NULL CHECK (case_kind IN ('CONTRACT', 'PATIENT_REQUEST', 'SPECIAL')),
        study_uids           TEXT NOT NULL,           -- JSON array of StudyInstanceUID
        contract_name        TEXT,
        contract_number      TEXT,
        request_reference    TEXT,
        charge_acknowledged  INTEGER,
        description          TEXT,
        proposed_by          TEXT,
        approved_by          TEXT,
        approval_reference   TEXT,
        approval_date        TEXT,
        pending_approval     INTEGER NOT NULL DEFAULT 0 CHECK (pending_approval IN (0, 1)),
        replaces_id          TEXT REFERENCES film_exceptions (id),
        -- Catalog entry in force when recorded; all NULL when the procedure was not in the catalog.
        billing_procedure    TEXT,
        billing_name         TEXT,
        no_film_code         TEXT,
        no_film_price        INTEGER,
        with_film_code       TEXT,
        with_film_price      INTEGER,
        -- The notice's per-case requirements, enforced here as well as in the input schema.
        CHECK (case_kind <> 'CONTRACT' OR (coalesce(contract_name, '') <> '' AND coalesce(contract_number, '') <> '')),
        CHECK (case_kind <> 'PATIENT_REQUEST' OR (coalesce(request_reference, '') <> '' AND charge_acknowledged = 1)),
        CHECK (case_kind <> 'SPECIAL' OR (coalesce(description, '') <> '' AND coalesce(proposed_by, '') <> '' AND (
                 pending_approval = 1 OR (coalesce(approved_by, '') <> '' AND coalesce(approval_reference, '') <> ''
                                          AND coalesce(approval_date, '') <> '')))),
        CHECK (pending_approval = 0 OR case_kind = 'SPECIAL')
      );
      CREATE INDEX film_exceptions_recorded ON film_exceptions (recorded_at);
      CREATE INDEX film_exceptions_visit ON film_exceptions (visit_id);
      -- A record is corrected at most once; the correction chain stays linear.
      CREATE UNIQUE INDEX film_exceptions_replaces ON film_exceptions (replaces_id) WHERE replaces_id IS NOT NULL;

      CREATE TABLE film_exception_films (
        exception_id  TEXT NOT NULL REFERENCES film_exceptions (id),
        line          INTEGER NOT NULL,
        size          TEXT NOT NULL CHECK (size IN ('35x43', '35x35', '24x30', '18x24')),
        count         INTEGER NOT NULL CHECK (count BETWEEN 1 AND 50),
        PRIMARY KEY (exception_id, line)
      );

      CREATE TABLE film_voids (
        id             TEXT PRIMARY KEY,              -- UUID; its records-outbox id
        exception_id   TEXT NOT NULL UNIQUE REFERENCES film_exceptions (id),
        reason         TEXT NOT NULL CHECK (reason <> ''),
        voided_at      INTEGER NOT NULL,
        desk_id        TEXT NOT NULL,
        operator_id    TEXT,
        operator_name  TEXT NOT NULL
      );

      -- A pending special case completed later; an approval given with the record lives on the record.
      CREATE TABLE film_approvals (
        id                  TEXT PRIMARY KEY,         -- UUID; its records-outbox id
        exception_id        TEXT NOT NULL UNIQUE REFERENCES film_exceptions (id),
        approved_by         TEXT NOT NULL CHECK (approved_by <> ''),
        approval_reference  TEXT NOT NULL CHECK (approval_reference <> ''),
        approval_date       TEXT NOT NULL CHECK (approval_date <> ''),
        recorded_at         INTEGER NOT NULL,
        desk_id             TEXT NOT NULL,
        operator_id         TEXT,
        operator_name       TEXT NOT NULL
      );

      ${appendOnly('film_exceptions')}
      ${appendOnly('film_exception_films')}
      ${appendOnly('film_voids')}
      ${appendOnly('film_approvals')}

      CREATE TABLE visit_billing (
        visit_id        TEXT PRIMARY KEY,
        variant         TEXT NOT NULL CHECK (variant IN ('no-film', 'with-film')),
        procedure_code  TEXT NOT NULL,
        service_code    TEXT,
        price           INTEGER,
        exception_id    TEXT REFERENCES film_exceptions (id),
        updated_at      INTEGER NOT NULL
      );
    `);
    const insert = db.prepare(
      `INSERT INTO service_catalog (procedure_code, name, no_film_code, no_film_price, with_film_code, with_film_price, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, 0)`,
    );
    for (const row of SEED) insert.run(...row);
  },
};
