/**
 * The test's stand-in for the sync service (issue 6 allows it while sync is built in parallel —
 * today's sync checks each file against `instances.size`, the original's, so it refuses corrected
 * copies until it reads `send_size`): every pending outbox row is sent in one STOW-RS request
 * (PS3.18 §10.5) — the corrected copy (`send_path`) when there is one, else the original — and the
 * rows the response lists in ReferencedSOPSequence (0008,1199) are marked sent, as the sync would.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../../electron/services/store/database';

export async function stowPending(db: Db, dataDir: string, dicomwebUrl: string): Promise<string[]> {
  const rows = db
    .prepare(
      `SELECT o.instance_id AS id, i.sop_instance_uid AS sop, COALESCE(i.send_path, i.file_path) AS path
         FROM outbox o JOIN instances i ON i.id = o.instance_id WHERE o.status = 'pending' ORDER BY o.instance_id`,
    )
    .all() as { id: number; sop: string; path: string }[];
  if (rows.length === 0) return [];
  const boundary = `b${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const r of rows) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`, 'latin1'), readFileSync(join(dataDir, 'store', r.path)), Buffer.from('\r\n', 'latin1'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`, 'latin1'));
  const res = await fetch(`${dicomwebUrl}/studies`, {
    method: 'POST',
    headers: { 'content-type': `multipart/related; type="application/dicom"; boundary=${boundary}`, accept: 'application/dicom+json' },
    body: Buffer.concat(parts),
  });
  const json = (await res.json()) as Record<string, { Value?: Record<string, { Value?: string[] }>[] }>;
  if (res.status !== 200) throw new Error(`STOW-RS answered ${res.status}: ${JSON.stringify(json).slice(0, 300)}`);
  const stored = (json['00081199']?.Value ?? []).map((item) => item['00081155']?.Value?.[0] ?? '');
  const mark = db.prepare(`UPDATE outbox SET status = 'sent', sent_at = ? WHERE instance_id = ? AND status = 'pending'`);
  for (const r of rows) if (stored.includes(r.sop)) mark.run(Date.now(), r.id);
  return stored;
}
