/**
 * The desk side of the records outbox: capabilities enqueue records inside their own transaction,
 * so a record exists exactly when the thing it describes does.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../store/database';
import type { Clock } from '../clock';

export type RecordKind = 'slip' | 'token-revocation' | 'film-exception' | 'film-void' | 'audit';

export interface RecordStatus {
  readonly id: string;
  readonly status: 'pending' | 'delivered' | 'rejected';
  readonly deliveredAt: number | null;
}

/** Adds a record; call inside the caller's transaction. Returns the record's UUID. */
export function enqueueRecord(db: Db, clock: Clock, kind: RecordKind, payload: unknown, id: string = randomUUID()): string {
  db.prepare('INSERT INTO records_outbox (id, kind, payload, created_at) VALUES (?, ?, ?, ?)').run(
    id,
    kind,
    JSON.stringify(payload),
    clock.now(),
  );
  return id;
}

export function recordStatus(db: Db, id: string): RecordStatus | null {
  const row = db.prepare('SELECT id, status, delivered_at FROM records_outbox WHERE id = ?').get(id) as
    | { id: string; status: RecordStatus['status']; delivered_at: number | null }
    | undefined;
  return row ? { id: row.id, status: row.status, deliveredAt: row.delivered_at } : null;
}
