/**
 * Tag coercion by byte patching: the public face of dicom-edit. Used by visits (attach, correct)
 * and nowhere else writes DICOM on the desk.
 */
export { readP10Structure, tagString, type P10Structure, type DicomElement, type DicomItem } from './p10-structure';
export {
  TAGS,
  planTopLevelEdit,
  applyTopLevelEdit,
  readTopLevelText,
  type NewValue,
  type PlannedChange,
  type EditPlan,
  type ModificationReason,
  type OriginalAttributesRecord,
} from './edit-p10';
export { redecodeCp1252AsUtf8, charsetTerms, UTF8_TERM } from './charset';
export { checkNewValue } from './value-rules';
export { newUid } from './new-uid';
