/**
 * Sync bookkeeping the outbox of 010-ingest does not hold: how often QIDO failed to find an
 * instance after the PACS acknowledged it (a PACS that indexes late gets a few chances before the
 * instance is sent again), and when the local copy was purged.
 */
import type { Migration } from '../database';

export const sync: Migration = {
  version: 21,
  name: 'sync',
  up(db) {
    db.exec(`
      ALTER TABLE outbox ADD COLUMN verify_misses INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE outbox ADD COLUMN purged_at INTEGER;
      -- Leases are looked up by owner when renewed and when a dead run's rows are taken back.
      CREATE INDEX outbox_lease ON outbox (status, lease_owner);
    `);
  },
};
