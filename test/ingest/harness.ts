/**
 * An ingest service on a temp data folder with real SQLite, real workers and a real watcher, for
 * the integration tests: short stability time (300 ms) so tests stay quick, captured events.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import net from 'node:net';
import { systemClock, type Clock } from '../../electron/services/clock';
import { createIngestService, type IngestService, type IngestServiceDeps } from '../../electron/services/ingest/ingest-service';
import { memoryLogger } from '../../electron/services/logger';
import { openDatabase, type Db } from '../../electron/services/store/database';
import type { EventName, EventPayload } from '../../shared/contract';
import { settingsSchema, type Settings } from '../../shared/settings-schema';

export type IngestSettings = Partial<Settings['ingest']> & { sendPolicy?: Settings['sync']['sendPolicy'] };

export interface Harness {
  dataDir: string;
  db: Db;
  svc: IngestService;
  settings: Settings;
  exportDir: string;
  events: Array<{ name: EventName; payload: EventPayload<EventName>; at: number }>;
  logger: ReturnType<typeof memoryLogger>;
  /** Stops the service (keeps the data folder unless `remove`). */
  close(remove?: boolean): Promise<void>;
}

export function makeSettings(over: IngestSettings = {}): Settings {
  const { sendPolicy, ...ingest } = over;
  return settingsSchema.parse({ ingest: { stableMs: 300, ...ingest }, sync: sendPolicy ? { sendPolicy } : {} });
}

export async function startIngest(
  over: IngestSettings = {},
  opts: { dataDir?: string; clock?: Clock; deps?: Partial<IngestServiceDeps> } = {},
): Promise<Harness> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'ingest-'));
  const db = openDatabase(path.join(dataDir, 'desk.sqlite'));
  const settings = makeSettings(over);
  const events: Harness['events'] = [];
  const logger = memoryLogger();
  const svc = createIngestService({
    db,
    clock: opts.clock ?? systemClock,
    logger,
    dataDir,
    settings: () => h.settings,
    events: { emit: (name, payload) => events.push({ name, payload, at: performance.now() }) },
    ...opts.deps,
  });
  const h: Harness = {
    dataDir,
    db,
    svc,
    settings,
    exportDir: settings.ingest.watchFolders[0] ?? svc.paths.export,
    events,
    logger,
    async close(remove = true) {
      await svc.stop();
      db.close();
      if (remove) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  await svc.start();
  return h;
}

/** Polls until `cond` holds (tests wait for a state, never for a fixed time). */
export async function waitFor(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

export function count(db: Db, sql: string, ...params: unknown[]): number {
  return (db.prepare(sql).get(...params) as { n: number }).n;
}

/** Every regular file under `dir` (symlinks neither listed nor followed), relative, sorted. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    const abs = path.join(dir, rel);
    if (!fs.existsSync(abs)) return;
    for (const e of fs.readdirSync(abs, { withFileTypes: true })) {
      const r = rel ? path.join(rel, e.name) : e.name;
      if (e.isDirectory()) walk(r);
      else if (e.isFile()) out.push(r);
    }
  };
  walk('');
  return out.sort();
}

/** A free loopback port (settings require 1–65535, so port 0 cannot be configured directly). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
