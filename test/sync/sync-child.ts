/**
 * The process the kill test kills: a sync service on a desk data folder, with the real clock,
 * running its background loop. Prints "ready" once started and "done" (then exits) when every
 * outbox row is verified. Usage: node --import tsx sync-child.ts <dataDir> <dicomwebUrl>
 */
import { join } from 'node:path';
import { openDatabase } from '../../electron/services/store/database';
import { systemClock } from '../../electron/services/clock';
import { silentLogger } from '../../electron/services/logger';
import { createSyncService } from '../../electron/services/sync/sync-service';
import { settingsSchema } from '../../shared/settings-schema';

const [dataDir, dicomwebUrl] = process.argv.slice(2) as [string, string];
const db = openDatabase(join(dataDir, 'desk.sqlite'));
const settings = settingsSchema.parse({ pacs: { dicomwebUrl, concurrency: 2 }, sync: { retentionDays: 3650 } });
const sync = createSyncService({
  db,
  clock: systemClock,
  logger: silentLogger,
  dataDir,
  settings: () => settings,
  // Small batches, so a kill finds requests in flight; short offline waits, should one happen.
  tuning: { batchMaxCount: 1, offlineBackoff: { baseMs: 100, capMs: 1000 } },
});
const total = (db.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n;
sync.start();
process.stdout.write('ready\n');
const timer = setInterval(() => {
  const s = sync.status();
  if (s.verified === total) {
    clearInterval(timer);
    process.stdout.write('done\n');
    void sync.stop().then(() => {
      db.close();
      process.exit(0);
    });
  }
}, 20);
