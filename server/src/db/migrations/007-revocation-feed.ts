/**
 * Admin revocations flow back to the desk that issued the slip: every revocation gets a number
 * from an identity sequence, and a desk asks for "what was revoked on the server for my slips
 * after number N" (`GET /api/revocations`). A number, not a timestamp: clocks step and two
 * revocations can share a millisecond; a cursor on a number misses nothing and repeats nothing.
 * Existing rows are numbered too. (Commit order = number order for admin revocations: they take
 * an advisory lock around the insert — records/revocation-feed.ts.)
 */
import type { Migration } from '../migrate';

export const m007RevocationFeed: Migration = {
  version: 7,
  name: 'revocation-feed',
  sql: `
    ALTER TABLE token_revocations ADD COLUMN seq BIGINT GENERATED ALWAYS AS IDENTITY;

    CREATE UNIQUE INDEX token_revocations_seq ON token_revocations (seq);
  `,
};
