/**
 * The ingest capability: export-folder watcher + C-STORE SCP feeding one pipeline, with start-up
 * reconciliation, live progress events and the quarantine's retry/export.
 *
 * Electron-free; compose() builds it with the desk's db, clock, logger and event sink. Settings are
 * read through a getter on every decision, so `afterImport` and `sendPolicy` changes apply at
 * once; folder and SCP changes apply on `applySettings()`.
 */
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Settings } from '../../../shared/settings-schema';
import type { IngestSummary } from '../../../shared/contract/ingest';
import { DeskError } from '../../../shared/errors';
import type { EventSink } from '../../core/handler-types';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { Db } from '../store/database';
import { receiptCounts } from '../store/ingest-records';
import { copyDurable, safeFileName } from './durable-fs';
import { createFolderWatcher, type FolderWatcher } from './folder-watcher';
import { createHeaderPool, type HeaderPool } from './header-pool';
import { ingestPaths, type IngestPaths } from './ingest-paths';
import { platformOpenWritersProbe, type OpenWritersProbe } from './open-writers';
import { createPipeline, type CrashPoint, type IngestOutcome, type IngestRequest, type Pipeline, type PipelineStage } from './pipeline';
import { reconcile, type ReconcileReport } from './reconcile';
import { createStoreScp, type StoreScp } from './store-scp';

export type { IngestOutcome } from './pipeline';

export interface IngestServiceDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly dataDir: string;
  readonly settings: () => Settings;
  readonly events: EventSink;
  /** Header worker pool size; 2 suits the clinic's 2-core machines. */
  readonly poolSize?: number;
  /** The built worker script in a bundled app; default: header-worker.ts via tsx. */
  readonly workerUrl?: URL;
  readonly openWritersProbe?: OpenWritersProbe;
  /** Time a header may take to check and parse before the file is quarantined (default 20 s). */
  readonly parseTimeoutMs?: number;
  /** Fault injection for crash tests (see CrashPoint). */
  readonly checkpoint?: (point: CrashPoint) => void;
}

export interface IngestService {
  /** Reconciles, then starts the watcher and (if enabled) the SCP. */
  start(): Promise<ReconcileReport>;
  stop(): Promise<void>;
  /** Runs one file through the pipeline (the watcher and the SCP call this too). */
  ingestFile(file: string, source?: 'folder' | 'scp', name?: string): Promise<IngestOutcome>;
  summary(): IngestSummary;
  retryQuarantined(id: string): Promise<IngestOutcome>;
  exportQuarantined(id: string, toDir: string): Promise<string>;
  /** Restarts the watcher and the SCP with the current settings. */
  applySettings(): Promise<void>;
  /** Resolves when nothing is waiting or in the pipeline (tests, benches, demo). */
  idle(): Promise<void>;
  readonly paths: IngestPaths;
  /** Port the SCP listens on, when running. */
  readonly scpPort: number | null;
}

export function createIngestService(deps: IngestServiceDeps): IngestService {
  const { db, clock, logger, settings, events } = deps;
  const paths = ingestPaths(deps.dataDir);
  const probe = deps.openWritersProbe ?? platformOpenWritersProbe();
  let pool: HeaderPool | null = null;
  let pipeline: Pipeline | null = null;
  let watcher: FolderWatcher | null = null;
  let scp: StoreScp | null = null;
  /** Restarts of the inputs, one after another: two quick settings changes must not interleave. */
  let restarts: Promise<void> = Promise.resolve();
  let scpPort: number | null = null;
  let active = 0;
  const perPath = new Map<string, Promise<IngestOutcome>>();
  const failures = new Map<string, number>();

  const summary = (): IngestSummary => ({ ...receiptCounts(db), inProgress: active + (watcher?.waiting ?? 0) });

  const notify = (req: IngestRequest, stage: PipelineStage | 'waiting', extra: { studyInstanceUID?: string; reason?: IngestOutcomeReason }) => {
    events.emit('ingest.progress', {
      stage,
      source: req.source,
      name: req.name,
      studyInstanceUID: extra.studyInstanceUID ?? null,
      reason: extra.reason ?? null,
      counts: summary(),
    });
    if (stage === 'accepted' && extra.studyInstanceUID) events.emit('studies.changed', { studyInstanceUIDs: [extra.studyInstanceUID] });
  };

  const watchFolders = () => {
    const s = settings().ingest;
    return s.watchFolders.length > 0 ? s.watchFolders : [paths.export];
  };

  /** Serialises work on one path; a later call sees what the earlier one left. */
  const runRequest = (req: IngestRequest): Promise<IngestOutcome> => {
    const key = path.resolve(req.path);
    const prev = perPath.get(key) ?? Promise.resolve(null);
    active++;
    const next = prev
      .catch(() => null)
      .then(async () => {
        if (!pipeline) return { outcome: 'failed', code: 'ESTOPPED' } as const;
        return pipeline.run(req);
      })
      .catch((e: unknown): IngestOutcome => {
        logger.error('ingest failed', { code: (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.name : 'unknown') });
        notify(req, 'failed', {});
        return { outcome: 'failed', code: (e as NodeJS.ErrnoException).code ?? 'EINTERNAL' };
      })
      .finally(() => {
        active--;
        if (perPath.get(key) === next) perPath.delete(key);
      });
    perPath.set(key, next);
    return next;
  };

  const onStable = (file: string) => {
    const req: IngestRequest = { path: file, source: 'folder', name: path.basename(file), after: 'settings' };
    void runRequest(req).then((o) => {
      if (o.outcome === 'changed') watcher?.track(file);
      else if (o.outcome === 'failed') {
        // Transient (permissions, disk): try again a few times, then leave it for the next start.
        const n = (failures.get(file) ?? 0) + 1;
        failures.set(file, n);
        if (n <= 3) watcher?.track(file);
      } else failures.delete(file);
    });
  };

  const startInputs = async () => {
    const s = settings().ingest;
    const folders = watchFolders();
    for (const f of folders) await fsp.mkdir(f, { recursive: true }).catch(() => undefined);
    const w = createFolderWatcher({
      folders,
      usePolling: s.usePolling,
      stableMs: s.stableMs,
      excluded: [paths.store, paths.quarantine, paths.done, path.dirname(paths.spool)],
      probe,
      logger,
      onStable,
      onSeen: (file) => notify({ path: file, source: 'folder', name: path.basename(file), after: 'settings' }, 'waiting', {}),
    });
    watcher = w;
    await w.start();
    if (s.scp.enabled) {
      const server = createStoreScp({
        aet: s.scp.aet,
        port: s.scp.port,
        spoolDir: paths.spool,
        logger,
        ingest: async (file, callingAet) => {
          const o = await runRequest({ path: file, source: 'scp', name: callingAet || 'C-STORE', after: 'delete' });
          if (o.outcome === 'accepted' || o.outcome === 'duplicate') return 'stored';
          if (o.outcome === 'quarantined') return 'rejected';
          return 'failed';
        },
      });
      scp = server;
      try {
        scpPort = await server.start();
      } catch (e) {
        // A busy port must not keep the desk from starting; the folder path still works.
        logger.error('scp could not listen', { port: s.scp.port, code: (e as NodeJS.ErrnoException).code ?? 'unknown' });
        scp = null;
        await server.stop().catch(() => undefined);
      }
    }
  };

  const stopInputs = async () => {
    const w = watcher;
    const s = scp;
    watcher = null;
    scp = null;
    scpPort = null;
    await Promise.all([w?.stop(), s?.stop()]);
  };

  return {
    paths,
    get scpPort() {
      return scpPort;
    },
    async start() {
      for (const d of [paths.store, paths.incoming, paths.quarantine, paths.done, paths.spool]) await fsp.mkdir(d, { recursive: true });
      await fsp.mkdir(paths.export, { recursive: true });
      const report = await reconcile(db, paths, logger);
      pool = createHeaderPool({ size: deps.poolSize ?? 2, workerUrl: deps.workerUrl, parseTimeoutMs: deps.parseTimeoutMs, logger });
      pool.warm();
      pipeline = createPipeline({ db, clock, logger, pool, paths, settings, notify, checkpoint: deps.checkpoint });
      for (const f of report.spooled) void runRequest({ path: f, source: 'scp', name: 'C-STORE', after: 'delete' });
      for (const f of report.orphans) void runRequest({ path: f, source: 'folder', name: 'recovered', after: 'delete' });
      await startInputs();
      return report;
    },
    async stop() {
      await stopInputs();
      await Promise.all([...perPath.values()].map((p) => p.catch(() => null)));
      const p = pool;
      pool = null;
      pipeline = null;
      await p?.close();
    },
    ingestFile(file, source = 'folder', name) {
      return runRequest({ path: file, source, name: name ?? path.basename(file), after: source === 'scp' ? 'delete' : 'settings' });
    },
    summary,
    async retryQuarantined(id) {
      const row = db.prepare('SELECT file_path, original_name, source FROM quarantine WHERE id = ?').get(id) as
        | { file_path: string; original_name: string; source: 'folder' | 'scp' }
        | undefined;
      if (!row) throw new DeskError('NOT_FOUND', { what: id });
      return runRequest({ path: path.join(paths.quarantine, row.file_path), source: row.source, name: row.original_name, after: 'keep', retryOf: id });
    },
    async exportQuarantined(id, toDir) {
      const row = db.prepare('SELECT file_path, original_name FROM quarantine WHERE id = ?').get(id) as { file_path: string; original_name: string } | undefined;
      if (!row) throw new DeskError('NOT_FOUND', { what: id });
      if (!path.isAbsolute(toDir)) throw new DeskError('VALIDATION', { field: 'toDir', detail: 'absolute folder path required' }, { field: 'toDir' });
      const st = await fsp.stat(toDir).catch(() => null);
      if (!st?.isDirectory()) throw new DeskError('VALIDATION', { field: 'toDir', detail: 'folder does not exist' }, { field: 'toDir' });
      const target = path.join(toDir, `${id.slice(0, 8)}-${safeFileName(row.original_name)}`);
      await copyDurable(path.join(paths.quarantine, row.file_path), target);
      return target;
    },
    applySettings() {
      const next = restarts.then(async () => {
        await stopInputs();
        if (pipeline) await startInputs();
      });
      restarts = next.catch(() => undefined);
      return next;
    },
    idle() {
      return new Promise<void>((resolve) => {
        const check = () => {
          if (active === 0 && (watcher?.waiting ?? 0) === 0) resolve();
          else setTimeout(check, 25);
        };
        check();
      });
    },
  };
}

type IngestOutcomeReason = Extract<IngestOutcome, { outcome: 'quarantined' }>['reason'];
