/**
 * Every view and download of a result is recorded: when, which token (by its hash; pages and logs
 * show only a prefix), and what. The admin pages count these per slip.
 */
import type { Clock } from '../../../electron/services/clock';
import type { Queryable } from '../db/sql';

export type AccessEvent =
  | 'link-opened'
  | 'page-view'
  | 'pending-view'
  | 'image-view'
  | 'image-download'
  | 'dicom-download'
  | 'birth-year-ok'
  | 'birth-year-wrong'
  | 'birth-year-locked';

export async function recordAccess(sql: Queryable, clock: Clock, tokenHash: string, event: AccessEvent, detail: Record<string, string | number> = {}): Promise<void> {
  await sql.query('INSERT INTO access_log (at, token_hash, event, detail) VALUES ($1, $2, $3, $4)', [clock.now(), tokenHash, event, JSON.stringify(detail)]);
}
