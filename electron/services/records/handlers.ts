/** Handlers for the records slice: how far the records outbox has got to the clinic server. */
import type { Db } from '../store/database';
import type { Handlers } from '../../core/handler-types';
import type { OutboxRecord } from '../../../shared/contract/records';
import type { RecordsSender } from './records-sender';

export interface RecordsHandlerDeps {
  db: Db;
  sender: RecordsSender;
}

interface Row {
  id: string;
  kind: OutboxRecord['kind'];
  status: OutboxRecord['status'];
  attempts: number;
  created_at: number;
  delivered_at: number | null;
  last_error: string | null;
}

export function createRecordsHandlers({ db, sender }: RecordsHandlerDeps): Handlers<'records.status' | 'records.list' | 'records.sendNow'> {
  const all = db.prepare('SELECT * FROM records_outbox ORDER BY created_at DESC, rowid DESC LIMIT ?');
  const byStatus = db.prepare('SELECT * FROM records_outbox WHERE status = ? ORDER BY created_at DESC, rowid DESC LIMIT ?');
  return {
    'records.status': () => sender.state(),
    'records.list': ({ status, limit }) => ({
      items: ((status ? byStatus.all(status, limit) : all.all(limit)) as Row[]).map((r) => ({
        id: r.id,
        kind: r.kind,
        status: r.status,
        attempts: r.attempts,
        createdAt: r.created_at,
        deliveredAt: r.delivered_at,
        lastError: r.last_error,
      })),
    }),
    'records.sendNow': () => sender.sendNow(),
  };
}
