/**
 * A slip's study list is replaced by later desk records (a study corrected away from the visit
 * must leave the patient's page), so records carry a revision and the highest one wins.
 */
import type { Migration } from '../migrate';

export const m006SlipRevision: Migration = {
  version: 6,
  name: 'slip-revision',
  sql: `ALTER TABLE slips ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;`,
};
