/**
 * Lượt khám / Visits: the page, the attach dialog other pages open (the inbox: "Gán lượt khám"),
 * and the worklist's connection test for Settings.
 */
export { VisitsPage } from './visits-page';
export { AttachVisitDialog, type AttachVisitDialogProps, type AttachResult } from './attach-visit-dialog';
export { WorklistTestButton } from './worklist-test-button';
