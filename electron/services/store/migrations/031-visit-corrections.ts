/**
 * What attaching images to a visit adds to the image store (issue 6):
 *
 * - `instances.send_path`: the corrected copy to upload instead of `file_path` (relative to the
 *   same store folder). `file_path` stays the original as received, kept for audit. The sync's
 *   `sendPathFor(row)` prefers `send_path`, and a purge removes both files. `send_size` is that
 *   copy's size in bytes (`size` stays the original's), for the sender's framing check.
 * - `instances.desk_made`: rows the desk made itself after an image reached the PACS — a
 *   'correction' (same pixels, new SOPInstanceUID, identity from the visit) or a
 *   'rejection-note' (IHE IOCM Key Object Selection, 113038, for the instances it replaces).
 *   `instances.source` keeps how the acquisition arrived ('folder' / 'scp').
 * - `instances.replaced_by`: set on an instance that reached the PACS under the wrong identity,
 *   pointing at its correction. Views list only rows where it is NULL and `desk_made` is not
 *   'rejection-note'.
 * - `studies.replaced_by` / `series.replaced_by`: a study whose images moved to a new
 *   StudyInstanceUID because they changed patient after reaching the PACS (it keeps the replaced
 *   instances and the note), and where each of its series went — so an image of the old study
 *   that arrives later follows its series.
 *
 * The trigger keeps one invariant whoever writes the outbox row: an image arriving into a study
 * that is already attached to a visit waits ('held', study not released) until the visits
 * service has written its corrected copy and releases the study again. Without it, a released
 * study's new image would go to the PACS under the modality's identity.
 */
import type { Migration } from '../database';

export const visitCorrections: Migration = {
  version: 31,
  name: 'visit-corrections',
  up(db) {
    db.exec(`
      ALTER TABLE instances ADD COLUMN send_path TEXT;
      ALTER TABLE instances ADD COLUMN send_size INTEGER;
      ALTER TABLE instances ADD COLUMN desk_made TEXT CHECK (desk_made IN ('correction', 'rejection-note'));
      ALTER TABLE instances ADD COLUMN replaced_by INTEGER REFERENCES instances (id);
      ALTER TABLE studies ADD COLUMN replaced_by TEXT;
      ALTER TABLE series ADD COLUMN replaced_by TEXT;

      CREATE UNIQUE INDEX visits_number ON visits (visit_number);
      CREATE INDEX visits_study_uid ON visits (study_instance_uid);

      CREATE TRIGGER visits_new_instance_waits_for_correction
      AFTER INSERT ON outbox
      WHEN NEW.status IN ('held', 'pending')
        AND EXISTS (SELECT 1 FROM instances i JOIN studies s ON s.study_uid = i.study_uid
                     WHERE i.id = NEW.instance_id AND s.visit_id IS NOT NULL
                       AND i.send_path IS NULL AND i.desk_made IS NULL)
      BEGIN
        UPDATE outbox SET status = 'held' WHERE instance_id = NEW.instance_id;
        UPDATE studies SET released_at = NULL
         WHERE study_uid = (SELECT study_uid FROM instances WHERE id = NEW.instance_id);
      END;
    `);
  },
};
