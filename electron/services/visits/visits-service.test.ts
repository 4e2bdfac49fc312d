/**
 * The refresh schedule: every `worklist.refreshMinutes`, only while a worklist host is set, never
 * after stop(), and a failed refresh leaves the cached list alone. The worklist SCU is replaced by
 * a recorder here (the real one is exercised against Orthanc in test/visits); time is faked.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../store/database';
import { manualClock } from '../clock';
import { memoryLogger } from '../logger';
import { createAuditLog } from '../audit/audit-log';
import { settingsSchema, type Settings } from '../../../shared/settings-schema';
import { DeskError } from '../../../shared/errors';
import { tempDir } from '../../../test/support/temp-dir';
import { createVisits } from './visits-service';
import type { WorklistScu } from './worklist-scu';

afterEach(() => {
  vi.useRealTimers();
});

function setup(scu: WorklistScu, worklist: Partial<Settings['worklist']>) {
  const dir = tempDir('visits-svc-');
  const db = openDatabase(join(dir.path, 'desk.sqlite'));
  const clock = manualClock();
  const logger = memoryLogger();
  let settings = settingsSchema.parse({ worklist });
  const visits = createVisits({ db, clock, logger, dataDir: dir.path, settings: () => settings, audit: createAuditLog(db, clock, 'desk'), scu });
  return {
    visits,
    logger,
    set(patch: Partial<Settings['worklist']>) {
      settings = { ...settings, worklist: { ...settings.worklist, ...patch } };
    },
    close() {
      db.close();
      dir.remove();
    },
  };
}

describe('worklist refresh schedule', () => {
  it('runs every refreshMinutes while a host is set, and not after stop()', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const find = vi.fn(async () => []);
    const s = setup({ find, echo: async () => 1 }, { host: '127.0.0.1', refreshMinutes: 5 });
    s.visits.start();
    await vi.advanceTimersByTimeAsync(4 * 60_000);
    expect(find).toHaveBeenCalledTimes(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(find).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(find).toHaveBeenCalledTimes(2);
    s.set({ host: '' });
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(find).toHaveBeenCalledTimes(2);
    s.set({ host: '127.0.0.1' });
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(find).toHaveBeenCalledTimes(3);
    await s.visits.stop();
    await vi.advanceTimersByTimeAsync(30 * 60_000);
    expect(find).toHaveBeenCalledTimes(3);
    s.close();
  });

  it('a failed refresh is logged by code and leaves the cached visits', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const s = setup({ find: async () => Promise.reject(new DeskError('WORKLIST_UNREACHABLE', { host: 'h', port: 1 })), echo: async () => 1 }, { host: 'h', refreshMinutes: 1 });
    const v = s.visits.create({ patientName: 'Nguyễn Văn An', birthDate: '1980', sex: 'M', procedure: 'X-quang' });
    s.visits.start();
    await vi.advanceTimersByTimeAsync(60_000);
    await s.visits.stop();
    expect(s.logger.lines.some((l) => l.includes('worklist refresh failed') && l.includes('WORKLIST_UNREACHABLE'))).toBe(true);
    // Nothing identifying in the log.
    expect(s.logger.lines.join('\n')).not.toContain('Nguyễn');
    expect(s.visits.list({ includeReconciled: false, includeWithdrawn: false, limit: 10 }).map((x) => x.id)).toEqual([v.id]);
    s.close();
  });
});
