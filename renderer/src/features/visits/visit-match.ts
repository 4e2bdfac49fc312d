/**
 * What a barcode scan means in a visit search: scanners type the code and press Enter, and the
 * code is a visit number, an AccessionNumber or a PatientID. An exact match on one of those picks
 * the visit; otherwise a search with a single result picks that one; anything else waits for the
 * operator to choose (never guess between two patients).
 */
import type { VisitSummary } from '../../../../shared/contract/visits';

type Searchable = Pick<VisitSummary, 'id' | 'visitNumber' | 'accessionNumber' | 'patientID'>;

export function pickOnEnter<V extends Searchable>(typed: string, results: readonly V[]): V | null {
  const code = typed.trim().toLowerCase();
  if (code === '') return null;
  const exact = results.filter((v) => [v.visitNumber, v.accessionNumber, v.patientID].some((k) => k !== '' && k.toLowerCase() === code));
  if (exact.length === 1) return exact[0] ?? null;
  if (exact.length > 1) return null;
  return results.length === 1 ? (results[0] ?? null) : null;
}
