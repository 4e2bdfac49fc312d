/**
 * Offline and restart: with no server or PACS configured, every record, void and approval is kept
 * and waits in the records outbox; all of it is there after the desk is closed and reopened, and
 * after a process killed mid-life (SIGKILL, no close) is followed by a fresh start.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestDesk } from '../support/desk';
import { tempDir } from '../support/temp-dir';
import { completeForms, insertVisit } from './film-fixtures';

const dirs: { remove(): void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

function outboxRows(db: import('../../electron/services/store/database').Db) {
  return db.prepare("SELECT id, kind, status FROM records_outbox WHERE kind LIKE 'film-%' ORDER BY created_at, id").all() as {
    id: string;
    kind: string;
    status: string;
  }[];
}

describe('film register across restarts, offline', () => {
  it('keeps every record, void, approval and outbox entry after close and reopen', async () => {
    const dir = tempDir('raddesk-film-');
    dirs.push(dir);
    const first = await startTestDesk({ dataDir: dir.path });
    expect(first.desk.settings.get().server.url).toBe('');
    const made: string[] = [];
    for (let i = 0; i < 4; i++) {
      for (const kind of ['CONTRACT', 'PATIENT_REQUEST', 'SPECIAL'] as const) {
        const visit = insertVisit(first.desk.db, { patientName: 'HUỲNH THÚC KHÁNG' });
        first.clock.advance(60_000);
        const form = completeForms(visit.id)[kind];
        const input =
          kind === 'SPECIAL' && i === 0
            ? { ...form, approvedBy: undefined, approvalReference: undefined, approvalDate: undefined, pendingApproval: true }
            : form;
        made.push((await first.call('film.record', input)).id);
      }
    }
    await first.call('film.void', { id: made[1]!, reason: 'Ghi trùng' });
    await first.call('film.approve', { id: made[2]!, approvedBy: 'BGĐ', approvalReference: '3/QĐ', approvalDate: '2026-01-15' });
    const listBefore = await first.call('film.list', {});
    const reportBefore = await first.call('film.report', { from: '2026-01-01', to: '2026-01-31' });
    const outboxBefore = outboxRows(first.desk.db);
    await first.close();

    const second = await startTestDesk({ dataDir: dir.path });
    const listAfter = await second.call('film.list', {});
    expect(listAfter.items.map((i) => i.id).sort()).toEqual([...made].sort());
    expect(listAfter).toEqual(listBefore);
    expect(await second.call('film.report', { from: '2026-01-01', to: '2026-01-31' })).toEqual(reportBefore);
    // 12 records + 1 void + 1 approval, none delivered: there is no server.
    expect(outboxRows(second.desk.db)).toEqual(outboxBefore);
    expect(outboxBefore).toHaveLength(14);
    expect(outboxBefore.every((r) => r.status === 'pending')).toBe(true);
    expect(listAfter.items.find((i) => i.id === made[1])!.void?.reason).toBe('Ghi trùng');
    expect(listAfter.items.find((i) => i.id === made[2])!.approval?.later).toBe(true);
    await second.close();
  });

  it('keeps what a killed process had recorded', async () => {
    const dir = tempDir('raddesk-film-kill-');
    dirs.push(dir);
    const script = fileURLToPath(new URL('./record-and-die.ts', import.meta.url));
    const child = spawnSync(process.execPath, ['--import', 'tsx', script, dir.path], { encoding: 'utf8', timeout: 60_000 });
    expect(child.signal, child.stderr).toBe('SIGKILL');
    const ids = JSON.parse(child.stdout.trim()) as string[];
    expect(ids).toHaveLength(3);

    const desk = await startTestDesk({ dataDir: dir.path });
    const list = await desk.call('film.list', {});
    expect(list.items.map((i) => i.id).sort()).toEqual([...ids].sort());
    expect(list.items.every((i) => i.patientName === 'ĐOÀN THỊ ĐIỂM' && i.server?.status === 'pending')).toBe(true);
    expect(outboxRows(desk.desk.db).map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(desk.desk.db.pragma('integrity_check', { simple: true })).toBe('ok');
    await desk.close();
  });
});
