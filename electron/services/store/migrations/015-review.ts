/**
 * Image QA: the technician's accept / reject decision on each instance, with the IOCM rejection
 * reason (PS3.16 CID 7011 "Rejected for Quality Reasons" 113001, "Rejected for Patient Safety
 * Reasons" 113037, "Incorrect Modality Worklist Entry" 113038).
 *
 * NULL decision = not reviewed yet. A rejected image is never sent: the sync claim query skips
 * `qa_decision = 'rejected'`, and the trigger below refuses to lease one anyway, so a claim query
 * that forgets the column fails loudly instead of sending an image the technician rejected.
 */
import type { Migration } from '../database';

export const review: Migration = {
  version: 15,
  name: 'review',
  up(db) {
    db.exec(`
      ALTER TABLE instances ADD COLUMN qa_decision TEXT CHECK (qa_decision IN ('accepted', 'rejected'));
      ALTER TABLE instances ADD COLUMN qa_reason TEXT CHECK (qa_reason IN ('113001', '113037', '113038'));
      -- When and by which operator (operators.id) the current decision was taken.
      ALTER TABLE instances ADD COLUMN qa_at INTEGER;
      ALTER TABLE instances ADD COLUMN qa_by TEXT;

      CREATE TRIGGER outbox_never_leases_rejected
      BEFORE UPDATE OF status ON outbox
      WHEN NEW.status = 'sending'
        AND EXISTS (SELECT 1 FROM instances WHERE id = NEW.instance_id AND qa_decision = 'rejected')
      BEGIN
        SELECT RAISE(ABORT, 'QA_REJECTED: a rejected instance is never sent');
      END;
    `);
  },
};
