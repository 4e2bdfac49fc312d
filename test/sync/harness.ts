/**
 * One sync service on a temp data folder with real SQLite, a manual clock and settings the test
 * can change, plus the events it emitted. Tests call `runOnce()` and move the clock: no sleeping
 * for backoff.
 */
import { join } from 'node:path';
import { openDatabase, type Db } from '../../electron/services/store/database';
import { manualClock } from '../../electron/services/clock';
import { memoryLogger } from '../../electron/services/logger';
import { createSyncService, type SyncService, type SyncTuning } from '../../electron/services/sync/sync-service';
import { settingsSchema, type Settings, type SettingsPatch } from '../../shared/settings-schema';
import { deepMerge } from '../../electron/services/settings/settings-store';
import type { SyncProgress, SyncStatus } from '../../shared/contract/sync';
import { tempDir } from '../support/temp-dir';

export interface SyncHarness {
  readonly dataDir: string;
  readonly db: Db;
  readonly clock: ReturnType<typeof manualClock>;
  readonly logger: ReturnType<typeof memoryLogger>;
  readonly sync: SyncService;
  readonly states: SyncStatus[];
  readonly progress: SyncProgress[];
  settings: Settings;
  patch(p: SettingsPatch): void;
  /** Outbox rows by status. */
  counts(): Record<string, number>;
  close(): Promise<void>;
}

export function syncHarness(pacs: SettingsPatch['pacs'], tuning: Partial<SyncTuning> = {}): SyncHarness {
  const dir = tempDir('raddesk-sync-');
  const db = openDatabase(join(dir.path, 'desk.sqlite'));
  const clock = manualClock();
  const logger = memoryLogger();
  const states: SyncStatus[] = [];
  const progress: SyncProgress[] = [];
  const h: SyncHarness = {
    dataDir: dir.path,
    db,
    clock,
    logger,
    states,
    progress,
    settings: settingsSchema.parse({ pacs }),
    patch(p) {
      h.settings = settingsSchema.parse(deepMerge(h.settings, p));
    },
    sync: createSyncService({
      db,
      clock,
      logger,
      dataDir: dir.path,
      settings: () => h.settings,
      tuning,
      events: {
        emit(name: 'sync.state' | 'sync.progress', payload: SyncStatus | SyncProgress) {
          if (name === 'sync.state') states.push(payload as SyncStatus);
          else progress.push(payload as SyncProgress);
        },
      },
    }),
    counts() {
      const out: Record<string, number> = {};
      for (const r of db.prepare('SELECT status, COUNT(*) AS n FROM outbox GROUP BY status').all() as { status: string; n: number }[]) out[r.status] = r.n;
      return out;
    },
    async close() {
      await h.sync.stop();
      db.close();
      dir.remove();
    },
  };
  return h;
}
