/**
 * Orders the RIS/HIS cancels leave the Modality Worklist: the desk's cache must notice, or a
 * technician could still put images under a cancelled order (visits/worklist-withdrawal.ts).
 *
 * - `visits.withdrawn_at`: set when a successful refresh no longer returns a cached worklist
 *   visit it asked about; back to NULL when a later answer brings the order back. Rows are never
 *   deleted: images may already be attached, and the audit trail names the visit.
 * - `visits.modality`: the Scheduled Procedure Step's Modality (0008,0060) as the answer gave it,
 *   so "asked about" can honour the query's modality filter as it honours the station's. Rows
 *   cached before this migration have '' (unknown) and are never withdrawn under a modality filter.
 */
import type { Migration } from '../database';

export const worklistWithdrawal: Migration = {
  version: 62,
  name: 'worklist-withdrawal',
  up(db) {
    db.exec(`
      ALTER TABLE visits ADD COLUMN withdrawn_at INTEGER;
      ALTER TABLE visits ADD COLUMN modality TEXT NOT NULL DEFAULT '';
    `);
  },
};
