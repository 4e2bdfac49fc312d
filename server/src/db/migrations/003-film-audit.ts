/**
 * The film-exception register rebuilt from the desks' records (shared/film-records.ts), and the
 * desks' audit records. Rows are keyed by the fact's own id (the film register uses it as the record
 * id too, but the server does not rely on that). Approvals and voids carry no foreign key to their exception: records of
 * different kinds may arrive in any order, and the report joins them when it reads.
 */
import type { Migration } from '../migrate';

export const m003FilmAudit: Migration = {
  version: 3,
  name: 'film-audit',
  sql: `
    CREATE TABLE film_exceptions (
      id           UUID PRIMARY KEY,
      record_id    UUID NOT NULL REFERENCES records (id),
      desk_id      TEXT NOT NULL REFERENCES desks (id),
      recorded_at  BIGINT NOT NULL,
      case_kind    TEXT NOT NULL CHECK (case_kind IN ('CONTRACT', 'PATIENT_REQUEST', 'SPECIAL')),
      payload      JSONB NOT NULL
    );

    CREATE INDEX film_exceptions_recorded ON film_exceptions (recorded_at);

    CREATE TABLE film_approvals (
      id            UUID PRIMARY KEY,
      record_id     UUID NOT NULL REFERENCES records (id),
      exception_id  UUID NOT NULL,
      recorded_at   BIGINT NOT NULL,
      payload       JSONB NOT NULL
    );

    CREATE INDEX film_approvals_exception ON film_approvals (exception_id);

    CREATE TABLE film_voids (
      id            UUID PRIMARY KEY,
      record_id     UUID NOT NULL REFERENCES records (id),
      exception_id  UUID NOT NULL,
      voided_at     BIGINT NOT NULL,
      payload       JSONB NOT NULL
    );

    CREATE INDEX film_voids_exception ON film_voids (exception_id);

    CREATE TABLE desk_audit (
      record_id  UUID PRIMARY KEY REFERENCES records (id),
      desk_id    TEXT NOT NULL REFERENCES desks (id),
      seq        BIGINT NOT NULL,
      at         BIGINT NOT NULL,
      action     TEXT NOT NULL,
      outcome    TEXT NOT NULL,
      payload    JSONB NOT NULL,
      UNIQUE (desk_id, seq)
    );
  `,
};
