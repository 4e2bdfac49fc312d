/**
 * Revocations made on the clinic server come back to the desk (records/revocation-pull.ts): an
 * admin there revokes a slip's token, and this desk's slip list must stop calling it valid.
 *
 * `slips.revoke_source` says who revoked a slip: NULL for this desk (every revocation before this
 * migration, and every one made here), 'server-admin' for one pulled from the server.
 * `records_cursors` keeps, durably, how far the desk has read a server feed — the server's
 * revocation number, never a time — so a restart neither misses nor re-applies anything.
 */
import type { Migration } from '../database';

export const serverRevocations: Migration = {
  version: 61,
  name: 'server-revocations',
  up(db) {
    db.exec(`
      ALTER TABLE slips ADD COLUMN revoke_source TEXT CHECK (revoke_source IS NULL OR revoke_source = 'server-admin');

      CREATE TABLE records_cursors (
        name        TEXT PRIMARY KEY,               -- which feed, on which server (and key)
        value       INTEGER NOT NULL CHECK (value >= 0),
        updated_at  INTEGER NOT NULL
      );
    `);
  },
};
