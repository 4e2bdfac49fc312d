/**
 * A desk's ingest in its own process, for the kill -9 test: watches `<dataDir>/export` and runs
 * until killed. CRASH_AT=<point>:<n> makes it SIGKILL itself the n-th time the pipeline reaches
 * that durable step (electron/services/ingest/pipeline.ts CrashPoint), so each window between
 * two steps is hit for certain, not by luck. AFTER_IMPORT sets `ingest.afterImport` (default move).
 *
 * Usage: node --import tsx test/ingest/ingest-child.ts <dataDir>
 */
import path from 'node:path';
import { systemClock } from '../../electron/services/clock';
import { createIngestService } from '../../electron/services/ingest/ingest-service';
import type { CrashPoint } from '../../electron/services/ingest/pipeline';
import { silentLogger } from '../../electron/services/logger';
import { openDatabase } from '../../electron/services/store/database';
import { makeSettings } from './harness';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: ingest-child.ts <dataDir>');
const [crashPoint, crashAfter] = (process.env.CRASH_AT ?? '').split(':');
let hits = 0;

const db = openDatabase(path.join(dataDir, 'desk.sqlite'));
const afterImport = (process.env.AFTER_IMPORT ?? 'move') as 'move' | 'delete' | 'leave';
const settings = makeSettings({ stableMs: 200, afterImport });
const svc = createIngestService({
  db,
  clock: systemClock,
  logger: silentLogger,
  dataDir,
  settings: () => settings,
  events: { emit() {} },
  checkpoint(point: CrashPoint) {
    if (point === crashPoint && ++hits >= Number(crashAfter)) process.kill(process.pid, 'SIGKILL');
  },
});
await svc.start();
process.stdout.write('started\n');
process.on('SIGTERM', () => {
  void svc.stop().then(() => {
    db.close();
    process.exit(0);
  });
});
