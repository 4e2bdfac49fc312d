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
}

export interface Desk {
  readonly dispatch: Dispatch;
  readonly events: EventHub;
  readonly deskId: string;
  readonly dataDir: string;
  readonly settings: SettingsStore;
  readonly db: Db;
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
  const audit = createAuditLog(db, clock, deskId);
  const operators = createOperators(db, clock);

  settings.onChange((s) => events.emit('settings.changed', publicSettings(s)));

  const handlers: HandlerTable = {
    ...createFoundationHandlers({
      app: { name: 'Radiology Desk', version, deskId, dataDir, mode },
      settings,
      operators,
      audit,
    }),
  };

  const dispatch = createDispatcher({ handlers, operators, audit, deskId, logger });
  logger.info('desk started', { deskId, mode });

  return {
    dispatch,
    events,
    deskId,
    dataDir,
    settings,
    db,
    async close() {
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
