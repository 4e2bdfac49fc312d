/**
 * Identifiers the desk issues itself. A visit number is for people (read aloud, written on the
 * slip): the local date and a counter. A walk-in's temporary PatientID and AccessionNumber go into
 * DICOM and may reach the PACS before reconciliation, so they carry random letters as well — two
 * desks of one clinic must never issue the same one (a shared temporary ID would merge patients).
 */
import { randomInt } from 'node:crypto';
import type { Db } from '../store/database';
import { localDicomDate } from './local-day';

/** Crockford base32: no I, L, O, U, so a code read aloud or retyped stays unambiguous. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function randomCode(length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s;
}

/** `20260115-007`: the next number of the local day. Call inside the transaction that inserts the visit. */
export function nextVisitNumber(db: Db, now: number): string {
  const day = localDicomDate(now);
  const row = db
    .prepare(`SELECT MAX(CAST(substr(visit_number, 10) AS INTEGER)) AS n FROM visits WHERE visit_number LIKE ? || '-%'`)
    .get(day) as { n: number | null };
  return `${day}-${String((row.n ?? 0) + 1).padStart(3, '0')}`;
}

/** `TMP-20260115-7KQ2XD` (LO, 19 characters): flagged temporary until the walk-in is reconciled. */
export function temporaryPatientID(now: number): string {
  return `TMP-${localDicomDate(now)}-${randomCode(6)}`;
}

/** `W2601157KQ2XD` (SH allows 16): the desk acts as order placer for a walk-in. */
export function walkInAccessionNumber(now: number): string {
  return `W${localDicomDate(now).slice(2)}${randomCode(6)}`;
}
