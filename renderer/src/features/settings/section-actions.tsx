/**
 * The checks a settings section offers under its fields: "Kiểm tra kết nối" for the PACS (with
 * the values in the form, saved or not) and for the worklist (C-ECHO with the saved settings),
 * and the printer's status with "In trang thử". A section without checks renders nothing.
 */
import { PrinterTestPanel } from '../slips/printer-test-panel';
import { PacsTestButton } from '../sync/pacs-test-button';
import { WorklistTestButton } from '../visits/worklist-test-button';
import { pacsOverrideFromDraft } from './pacs-override';
import type { Draft } from './settings-draft';
import '../visits/shared-ui.css';

/**
 * @param changed the dotted paths that differ from the saved settings (the form's unsaved edits):
 *   the worklist and printer checks use the saved settings, so they point those edits out.
 */
export function SectionActions({ section, draft, changed }: { section: string; draft: Draft; changed: readonly string[] }) {
  const unsaved = changed.some((path) => path.startsWith(`${section}.`));
  switch (section) {
    case 'pacs':
      return <PacsTestButton override={pacsOverrideFromDraft(draft)} />;
    case 'worklist':
      return <WorklistTestButton unsaved={unsaved} />;
    case 'printer':
      return <PrinterTestPanel unsaved={unsaved} />;
    default:
      return null;
  }
}
