/**
 * The top-level attributes a corrected copy takes from its visit (issue 6): identity always —
 * PatientName, PatientID, PatientBirthDate, PatientSex, AccessionNumber — so two identities are
 * never mixed in one image; the descriptive ones (StudyDescription, RequestedProcedureDescription,
 * ReferringPhysicianName) only when the visit has a value, so an order without a description
 * does not erase the modality's.
 */
import { TAGS, type NewValue } from '../dicom-edit';
import type { VisitRow } from './visit-store';

/**
 * DA holds a full date (PS3.5 §6.2). A visit that knows only the birth year keeps the image's
 * date when it falls in that year, and otherwise leaves the date empty rather than invent one.
 */
export function birthDateFor(visitBirthDate: string, imageBirthDate: string | null): string {
  if (visitBirthDate.length === 8) return visitBirthDate;
  if (visitBirthDate.length === 4 && imageBirthDate?.length === 8 && imageBirthDate.startsWith(visitBirthDate)) return imageBirthDate;
  return '';
}

export function visitValues(v: VisitRow, imageBirthDate: string | null): NewValue[] {
  const values: NewValue[] = [
    { tag: TAGS.PatientName, keyword: 'PatientName', vr: 'PN', value: v.patient_name },
    { tag: TAGS.PatientID, keyword: 'PatientID', vr: 'LO', value: v.patient_id },
    { tag: TAGS.PatientBirthDate, keyword: 'PatientBirthDate', vr: 'DA', value: birthDateFor(v.birth_date, imageBirthDate) },
    { tag: TAGS.PatientSex, keyword: 'PatientSex', vr: 'CS', value: v.sex },
    { tag: TAGS.AccessionNumber, keyword: 'AccessionNumber', vr: 'SH', value: v.accession_number },
  ];
  if (v.procedure_name !== '') {
    values.push({ tag: TAGS.StudyDescription, keyword: 'StudyDescription', vr: 'LO', value: v.procedure_name });
    values.push({ tag: TAGS.RequestedProcedureDescription, keyword: 'RequestedProcedureDescription', vr: 'LO', value: v.procedure_name });
  }
  if (v.referring_physician !== '') values.push({ tag: TAGS.ReferringPhysicianName, keyword: 'ReferringPhysicianName', vr: 'PN', value: v.referring_physician });
  return values;
}
