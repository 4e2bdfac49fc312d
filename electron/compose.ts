/**
 * Builds the whole desk from a config. The Electron main process, the loopback bridge and the
 * tests all call this; none of them wires services on its own.
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { openDatabase, type Db } from './services/store/database';
import { systemClock, type Clock } from './services/clock';
import { jsonLogger, type Logger } from './services/logger';
import { createSettingsStore, type SettingsStore, type SettingsStorage } from './services/settings/settings-store';
import { confSettingsStorage } from './services/settings/conf-storage';
import { createAuditLog } from './services/audit/audit-log';
import { createOperators } from './services/operators/operators';
import { createFoundationHandlers } from './services/foundation-handlers';
import { createIngestHandlers } from './services/ingest/handlers';
import { createIngestService } from './services/ingest/ingest-service';
import { createReviewHandlers } from './services/review/handlers';
import { createReviewService } from './services/review/review-service';
import { createFilmHandlers } from './services/film/handlers';
import { createSlips, createSlipsHandlers, BUNDLED_FONTS_DIR } from './services/slips';
import { createPrinterService } from './services/printer';
import { createVisits, createVisitsHandlers } from './services/visits';
import { createSyncHandlers, createSyncService } from './services/sync';
import { createRecordsSender } from './services/records/records-sender';
import { createRecordsHandlers } from './services/records/handlers';
import { createThumbnailer } from './services/images/thumbnailer';
import { createImageRoute } from './services/images/image-route';
import { createImageFetchHandler } from './services/images/image-fetch-handler';
import type { BridgeRoute } from './bridge/bridge-server';
import { createDispatcher, type Dispatch } from './core/dispatch';
import { createEventHub, type EventHub } from './core/events';
import type { HandlerTable } from './core/handler-types';
import { publicSettings } from '../shared/settings-schema';

export interface DeskConfig {
  dataDir: string;
  mode: 'electron' | 'browser' | 'test';
  version: string;
  clock?: Clock;
  logger?: Logger;
  /** electron-store inside Electron; conf (same file format) otherwise. */
  settingsStorage?: SettingsStorage;
  /** Start watchers and send loops. Tests that drive services step by step turn this off. */
  background?: boolean;
  /**
   * Built worker scripts, for a bundled app (electron-vite builds them as their own entries).
   * Default: the TypeScript sources beside the services, loaded through tsx (dev and tests).
   */
  workerUrls?: { ingestHeader?: URL; thumbnail?: URL };
  /** The Noto Sans TTFs slips are drawn with. Default: the repository's assets/fonts. */
  fontsDir?: string;
}

export interface Desk {
  readonly dispatch: Dispatch;
  readonly events: EventHub;
  readonly deskId: string;
  readonly dataDir: string;
  readonly settings: SettingsStore;
  readonly db: Db;
  /** Image bytes for the viewer: a bridge route (browser mode) and a fetch handler (Electron protocol). */
  readonly images: { readonly route: BridgeRoute; readonly fetch: (request: Request) => Promise<Response> };
  close(): Promise<void>;
}

export async function compose(config: DeskConfig): Promise<Desk> {
  const { dataDir, mode, version } = config;
  const clock = config.clock ?? systemClock;
  const logger = config.logger ?? jsonLogger();
  mkdirSync(dataDir, { recursive: true });
  const deskId = loadDeskId(dataDir);
  const db = openDatabase(join(dataDir, 'desk.sqlite'));
  const settings = createSettingsStore(config.settingsStorage ?? confSettingsStorage(dataDir));
  const events = createEventHub((e) => logger.warn('event listener failed', { error: String(e) }));
  // Every audited action queued a record for the clinic server (and slips and film records are
  // written by audited actions): wake the records sender, created below, after each one.
  let wakeRecords = () => {};
  const audit = createAuditLog(db, clock, deskId, () => wakeRecords());
  const operators = createOperators(db, clock);

  settings.onChange((s) => events.emit('settings.changed', publicSettings(s)));

  const ingest = createIngestService({ db, clock, logger, dataDir, settings: () => settings.get(), events, workerUrl: config.workerUrls?.ingestHeader });
  let ingestInputs = JSON.stringify(settings.get().ingest);
  settings.onChange((s) => {
    const next = JSON.stringify(s.ingest);
    if (next !== ingestInputs) void ingest.applySettings().catch((e: unknown) => logger.error('ingest restart failed', { error: String(e) }));
    ingestInputs = next;
  });

  // Attaching releases images for sending: wake the outbox worker (created below) at once.
  const visits = createVisits({ db, clock, logger, dataDir, settings: () => settings.get(), audit, events, onReleased: () => sync.nudge() });
  // Each accepted image: attach its study automatically, or bring it to the visit its study is attached to.
  events.subscribe((name, payload) => {
    if (name === 'studies.changed') for (const uid of (payload as { studyInstanceUIDs: string[] }).studyInstanceUIDs) void visits.matchStudy(uid);
  });

  // PACS sync: new images (studies.changed) and settings changes wake the outbox worker at once.
  const sync = createSyncService({ db, clock, logger, dataDir, settings: () => settings.get(), events });
  events.subscribe((name) => {
    if (name === 'studies.changed' || name === 'settings.changed') sync.nudge();
  });

  // Records outbox → clinic server: audited actions (above) and settings changes wake it; it polls otherwise.
  const records = createRecordsSender({ db, clock, logger, audit, target: () => settings.get().server, onState: (st) => events.emit('records.state', st), onSlipsRevoked: (revoked) => events.emit('slips.changed', { revoked }) });
  wakeRecords = () => records.kick();
  events.subscribe((name) => {
    if (name === 'settings.changed') records.kick();
  });

  const handlers: HandlerTable = {
    ...createFoundationHandlers({
      app: { name: 'Radiology Desk', version, deskId, dataDir, mode },
      settings,
      operators,
      audit,
    }),
    ...createIngestHandlers({ db, clock, ingest, requireQa: () => settings.get().review.requireQa }),
    ...createReviewHandlers({ review: createReviewService({ db, clock, requireQa: () => settings.get().review.requireQa }), events }),
    ...createFilmHandlers({ db, clock, logger, events, clinicName: () => settings.get().clinic.name }),
    ...createSlipsHandlers({ slips: createSlips({ db, clock, logger, settings, fontsDir: config.fontsDir ?? BUNDLED_FONTS_DIR, printer: createPrinterService({ db, clock, logger, settings }) }) }),
    ...createVisitsHandlers({ visits }),
    ...createSyncHandlers({ sync }),
    ...createRecordsHandlers({ db, sender: records }),
  };

  const dispatch = createDispatcher({ handlers, operators, audit, deskId, logger });
  // One thumbnailer (one worker, one cache) behind both transports' image paths.
  const thumbnailer = createThumbnailer({ dataDir, logger, workerUrl: config.workerUrls?.thumbnail });
  const images = {
    route: createImageRoute({ db, dataDir, logger, thumbnailer }),
    fetch: createImageFetchHandler({ db, dataDir, logger, thumbnailer }),
  };
  if (config.background !== false) {
    await ingest.start();
    visits.start();
    sync.start();
    records.start();
  }
  logger.info('desk started', { deskId, mode });

  return {
    dispatch,
    events,
    deskId,
    dataDir,
    settings,
    db,
    images,
    async close() {
      await ingest.stop();
      await visits.stop();
      await sync.stop();
      await records.stop();
      db.close();
    },
  };
}

/** A desk keeps one id for the life of its data folder; it tags every audit and server record. */
function loadDeskId(dataDir: string): string {
  const file = join(dataDir, 'desk.json');
  if (existsSync(file)) {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { deskId?: unknown };
    if (typeof parsed.deskId === 'string' && parsed.deskId) return parsed.deskId;
  }
  const deskId = randomUUID();
  writeFileSync(file, JSON.stringify({ deskId }, null, 2) + '\n');
  return deskId;
}
