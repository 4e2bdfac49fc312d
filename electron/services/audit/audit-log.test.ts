import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../store/database';
import { manualClock } from '../clock';
import { createAuditLog } from './audit-log';
import { tempDir } from '../../../test/support/temp-dir';
import { recordPayloadSchemas } from '../../../shared/records';

describe('audit log', () => {
  it('chains records and verifies them', () => {
    const dir = tempDir();
    const db = openDatabase(join(dir.path, 'a.sqlite'));
    const log = createAuditLog(db, manualClock(), 'desk-1');
    for (let i = 0; i < 5; i++) log.append({ operatorId: 'op', action: 'x.y', outcome: 'ok', detail: { i } });
    expect(log.verify()).toEqual({ ok: true, checked: 5, firstBrokenSeq: null });
    expect(log.list({ limit: 2 }).map((r) => r.seq)).toEqual([5, 4]);
    db.close();
    dir.remove();
  });

  it('queues every record, with its hashes, for the clinic server in the same transaction', () => {
    const dir = tempDir();
    const db = openDatabase(join(dir.path, 'a.sqlite'));
    const rec = createAuditLog(db, manualClock(), 'desk-1').append({ operatorId: 'op', action: 'visits.attach', outcome: 'ok', patientID: 'BN1' });
    const rows = db.prepare("SELECT payload FROM records_outbox WHERE kind = 'audit'").all() as { payload: string }[];
    expect(rows.map((r) => JSON.parse(r.payload))).toEqual([expect.objectContaining({ seq: rec.seq, action: 'visits.attach', patientID: 'BN1', hash: expect.stringMatching(/^[0-9a-f]{64}$/) })]);
    // The server accepts exactly this shape.
    let woken = 0;
    createAuditLog(db, manualClock(), 'desk-1', () => woken++).append({ operatorId: 'op', action: 'slips.print', outcome: 'ok' });
    expect(woken).toBe(1);
    expect(recordPayloadSchemas.audit.safeParse(JSON.parse(rows[0]!.payload)).success).toBe(true);
    db.close();
    dir.remove();
  });

  it('rejects UPDATE and DELETE', () => {
    const dir = tempDir();
    const db = openDatabase(join(dir.path, 'a.sqlite'));
    createAuditLog(db, manualClock(), 'desk-1').append({ operatorId: null, action: 'a.b', outcome: 'ok' });
    expect(() => db.prepare("UPDATE audit_log SET action = 'z'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    db.close();
    dir.remove();
  });

  it('finds a byte flipped in the database file', () => {
    const dir = tempDir();
    const file = join(dir.path, 'a.sqlite');
    let db = openDatabase(file);
    const log = createAuditLog(db, manualClock(), 'desk-1');
    for (let i = 0; i < 3; i++) log.append({ operatorId: 'op', action: 'visits.attach', outcome: 'ok', detail: { marker: `MARK${i}X` } });
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();

    // Go around SQLite (and its triggers): change one byte of record 2's detail on disk.
    const bytes = readFileSync(file);
    const at = bytes.indexOf(Buffer.from('MARK1X'));
    expect(at).toBeGreaterThan(0);
    bytes[at + 4] = '7'.charCodeAt(0);
    writeFileSync(file, bytes);

    db = openDatabase(file);
    expect(createAuditLog(db, manualClock(), 'desk-1').verify()).toEqual({ ok: false, checked: 1, firstBrokenSeq: 2 });
    db.close();
    dir.remove();
  });
});
