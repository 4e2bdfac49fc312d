/**
 * A whole desk for the visits tests: like test/support/desk.ts, but with its background work on
 * (the ingest watcher feeding studies.changed → visits.matchStudy, as in the app), a manual clock
 * on 2026-01-15 and the default admin as the caller.
 */
import { join } from 'node:path';
import { compose, type Desk } from '../../electron/compose';
import { manualClock } from '../../electron/services/clock';
import { memoryLogger } from '../../electron/services/logger';
import type { Caller, DispatchResult } from '../../electron/core/dispatch';
import type { MethodName, MethodOutput } from '../../shared/contract';
import { tempDir } from '../support/temp-dir';

export interface VisitsDesk {
  desk: Desk;
  dataDir: string;
  exportDir: string;
  clock: ReturnType<typeof manualClock>;
  logger: ReturnType<typeof memoryLogger>;
  call<M extends MethodName>(method: M, input?: unknown): Promise<MethodOutput<M>>;
  raw(method: string, input?: unknown): Promise<DispatchResult>;
  close(): Promise<void>;
}

export async function startVisitsDesk(settings: Record<string, unknown>): Promise<VisitsDesk> {
  const dir = tempDir('raddesk-visits-');
  const clock = manualClock();
  const logger = memoryLogger();
  const desk = await compose({ dataDir: dir.path, mode: 'test', version: '0.0.0-test', clock, logger, background: false });
  const first = await desk.dispatch('operators.list', {});
  if (!first.ok) throw new Error('operators.list failed');
  const admin: Caller = { operatorId: first.value.items.find((o) => o.role === 'admin')!.id };
  const update = await desk.dispatch('settings.update', settings, admin);
  if (!update.ok) throw new Error(`settings.update: ${update.error.message}`);
  await desk.close();
  // Again with the settings in place and the background on (the watcher reads them at start).
  const live = await compose({ dataDir: dir.path, mode: 'test', version: '0.0.0-test', clock, logger, background: true });
  return {
    desk: live,
    dataDir: dir.path,
    exportDir: join(dir.path, 'export'),
    clock,
    logger,
    async call(method, input = {}) {
      const r = await live.dispatch(method, input, admin);
      if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
      return r.value;
    },
    raw: (method, input = {}) => live.dispatch(method, input, admin),
    async close() {
      await live.close();
      dir.remove();
    },
  };
}
