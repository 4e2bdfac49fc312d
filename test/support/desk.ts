/**
 * A whole desk for tests: compose() on a temp data folder with a manual clock and an in-memory
 * log, plus the default admin as the caller.
 */
import { compose, type Desk } from '../../electron/compose';
import { manualClock } from '../../electron/services/clock';
import { memoryLogger } from '../../electron/services/logger';
import type { Caller, DispatchResult } from '../../electron/core/dispatch';
import type { MethodName, MethodOutput } from '../../shared/contract';
import { tempDir } from './temp-dir';

export interface TestDesk {
  desk: Desk;
  dataDir: string;
  clock: ReturnType<typeof manualClock>;
  logger: ReturnType<typeof memoryLogger>;
  admin: Caller;
  /** Calls as the default admin and throws on an error result, for concise tests. */
  call<M extends MethodName>(method: M, input?: unknown, caller?: Caller): Promise<MethodOutput<M>>;
  /** Calls and returns the raw result, for tests about errors. */
  raw(method: string, input?: unknown, caller?: Caller): Promise<DispatchResult>;
  close(): Promise<void>;
}

export async function startTestDesk(opts: { dataDir?: string; keep?: boolean } = {}): Promise<TestDesk> {
  const dir = opts.dataDir ? { path: opts.dataDir, remove() {} } : tempDir('raddesk-desk-');
  const clock = manualClock();
  const logger = memoryLogger();
  const desk = await compose({ dataDir: dir.path, mode: 'test', version: '0.0.0-test', clock, logger, background: false });
  const first = await desk.dispatch('operators.list', {});
  if (!first.ok) throw new Error('operators.list failed');
  const admin: Caller = { operatorId: first.value.items.find((o) => o.role === 'admin')!.id };
  return {
    desk,
    dataDir: dir.path,
    clock,
    logger,
    admin,
    async call(method, input = {}, caller = admin) {
      const r = await desk.dispatch(method, input, caller);
      if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
      return r.value;
    },
    raw: (method, input = {}, caller = admin) => desk.dispatch(method, input, caller),
    async close() {
      await desk.close();
      if (!opts.keep) dir.remove();
    },
  };
}
