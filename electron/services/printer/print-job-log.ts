/** The `print_jobs` table: one row per job handed to the printer, and how it ended. */
import { randomUUID } from 'node:crypto';
import type { Db } from '../store/database';
import type { Clock } from '../clock';
import type { PaperState } from './printer-port';

export type PrintJobKind = 'slip' | 'test-page';

export interface PrintJobRecord {
  readonly id: string;
  readonly kind: PrintJobKind;
  readonly slipId: string | null;
  readonly portKind: string;
  readonly bytes: number;
  readonly status: 'sending' | 'printed' | 'failed';
  readonly errorCode: string | null;
  /** null while sending; false when no byte of the job left the desk. */
  readonly jobSent: boolean | null;
  readonly confirmed: boolean | null;
  readonly paper: PaperState | null;
  readonly startedAt: number;
  readonly finishedAt: number | null;
}

interface Row {
  id: string;
  kind: PrintJobKind;
  slip_id: string | null;
  port_kind: string;
  bytes: number;
  status: PrintJobRecord['status'];
  error_code: string | null;
  job_sent: number | null;
  confirmed: number | null;
  paper: PaperState | null;
  started_at: number;
  finished_at: number | null;
}

export function startPrintJob(db: Db, clock: Clock, job: { kind: PrintJobKind; slipId: string | null; portKind: string; bytes: number }): string {
  const id = randomUUID();
  db.prepare(
    `INSERT INTO print_jobs (id, kind, slip_id, port_kind, bytes, status, started_at) VALUES (?, ?, ?, ?, ?, 'sending', ?)`,
  ).run(id, job.kind, job.slipId, job.portKind, job.bytes, clock.now());
  return id;
}

export function finishPrintJob(
  db: Db,
  clock: Clock,
  id: string,
  outcome: { ok: true; confirmed: boolean; paper: PaperState } | { ok: false; errorCode: string; jobSent: boolean },
): void {
  if (outcome.ok) {
    db.prepare(`UPDATE print_jobs SET status = 'printed', job_sent = 1, confirmed = ?, paper = ?, finished_at = ? WHERE id = ?`).run(
      outcome.confirmed ? 1 : 0,
      outcome.paper,
      clock.now(),
      id,
    );
  } else {
    db.prepare(`UPDATE print_jobs SET status = 'failed', error_code = ?, job_sent = ?, finished_at = ? WHERE id = ?`).run(
      outcome.errorCode,
      outcome.jobSent ? 1 : 0,
      clock.now(),
      id,
    );
  }
}

export function listPrintJobs(db: Db, filter: { slipId?: string; limit?: number } = {}): PrintJobRecord[] {
  const rows = (
    filter.slipId === undefined
      ? db.prepare('SELECT * FROM print_jobs ORDER BY started_at DESC, rowid DESC LIMIT ?').all(filter.limit ?? 100)
      : db.prepare('SELECT * FROM print_jobs WHERE slip_id = ? ORDER BY started_at DESC, rowid DESC LIMIT ?').all(filter.slipId, filter.limit ?? 100)
  ) as Row[];
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    slipId: r.slip_id,
    portKind: r.port_kind,
    bytes: r.bytes,
    status: r.status,
    errorCode: r.error_code,
    jobSent: r.job_sent === null ? null : r.job_sent === 1,
    confirmed: r.confirmed === null ? null : r.confirmed === 1,
    paper: r.paper,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  }));
}
