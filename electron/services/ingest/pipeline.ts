/**
 * One received file, start to finish, in the order issue 3 fixes:
 *
 *   source ─▶ already handled? ─yes─▶ finish the source (move/delete), no new receipt
 *      │ no
 *      ▼
 *   worker: framing pre-check ─▶ header parse ─▶ semantic checks ─▶ copy or link to .incoming (+SHA-256) ─▶ fsync
 *      │ rejected                                                      │ accepted
 *      ▼                                                               ▼
 *   quarantine: sidecar (fsync) ─▶ move file ─▶ row + receipt    same SOP held? ─same bytes─▶ duplicate receipt
 *                                                                      │ no          └other bytes─▶ quarantine CONFLICT
 *                                                                      ▼
 *                          journal ─▶ rename into store ─▶ fsync dir ─▶ ONE transaction: study, series,
 *                          instance, outbox row, receipt, source record ─▶ drop journal ─▶ finish the source
 *
 * The source leaves the export folder only after the commit. A crash anywhere leaves either the
 * journal (reconcile rolls the copy back; the source is still there) or the committed rows plus
 * the source record (reconcile finishes the move). Nothing is lost, nothing counted twice. A link
 * instead of a copy changes none of this: removing a link leaves the source's bytes as they were
 * (its mode is already owner-only, as every file the desk takes ends up).
 */
import { randomUUID } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Settings } from '../../../shared/settings-schema';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { Db } from '../store/database';
import {
  findInstanceBySop,
  findSourceReceipt,
  recordInstance,
  recordQuarantine,
  storedFileOfReceipt,
  updateQuarantineReason,
  type IngestSource,
  type SourceKey,
} from '../store/ingest-records';
import { fsyncDir, fsyncFile, moveDurable, safeFileName, sha256File, unshareFrom, writeFileDurable } from './durable-fs';
import type { HeaderPool } from './header-pool';
import type { IngestPaths } from './ingest-paths';
import { reasonMessages, type ReasonCode } from './reasons';

export interface IngestRequest {
  readonly path: string;
  readonly source: IngestSource;
  /** File name or calling AE: shown to the operator, never used as a path. */
  readonly name: string;
  /**
   * What happens to the source after the commit: `settings` = `ingest.afterImport` (export
   * folders); `delete` = it is the desk's own copy (C-STORE spool, recovered store file);
   * `keep` = a quarantined file being retried.
   */
  readonly after: 'settings' | 'delete' | 'keep';
  /** Quarantine id when retrying. */
  readonly retryOf?: string;
}

export type IngestOutcome =
  | { readonly outcome: 'accepted' | 'duplicate'; readonly receiptId: number; readonly sopInstanceUID: string; readonly studyInstanceUID: string }
  | { readonly outcome: 'quarantined'; readonly quarantineId: string; readonly reason: ReasonCode; readonly sopInstanceUID: string | null }
  | { readonly outcome: 'skipped'; readonly why: 'already-handled' | 'vanished' | 'not-a-file' }
  /** Changed while being read: back to waiting for stability. */
  | { readonly outcome: 'changed' }
  /** Could not be read or written (permissions, disk): not the file's fault; left in place. */
  | { readonly outcome: 'failed'; readonly code: string };

export type PipelineStage = 'checking' | 'accepted' | 'duplicate' | 'quarantined' | 'skipped' | 'failed';

export interface PipelineDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly pool: HeaderPool;
  readonly paths: IngestPaths;
  readonly settings: () => Settings;
  /** Progress per stage; `studyInstanceUID` once known. */
  notify(req: IngestRequest, stage: PipelineStage, extra: { studyInstanceUID?: string; reason?: ReasonCode }): void;
  /** Fault-injection hook for crash tests: called at each durable step. */
  checkpoint?(point: CrashPoint): void;
}

/** What happens to a source after its commit; `keep` requests (quarantine retries) leave it. */
type SourceFate = Settings['ingest']['afterImport'];

/** The durable steps between which a crash must lose and duplicate nothing. */
export type CrashPoint = 'copied' | 'renamed' | 'committed' | 'quarantine-sidecar' | 'quarantine-moved';

/** Sidecar JSON beside each quarantined file: enough to rebuild its row after a crash. */
export interface QuarantineSidecar {
  id: string;
  reason: ReasonCode;
  messages: { vi: string; en: string };
  detail: string;
  originalName: string;
  receivedAt: number;
  sha256: string;
  size: number;
  source: IngestSource;
  sopInstanceUID: string | null;
  sourcePath: string | null;
  sourceSize: number | null;
  sourceMtimeMs: number | null;
}

function dayPath(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}/${p(d.getMonth() + 1)}/${p(d.getDate())}`;
}

export function createPipeline(deps: PipelineDeps) {
  const { db, clock, logger, pool, paths } = deps;
  const checkpoint = (p: CrashPoint) => deps.checkpoint?.(p);

  /** What becomes of the source after its commit, decided once per file. */
  function fateOf(req: IngestRequest): SourceFate {
    if (req.after === 'keep') return 'leave';
    return req.after === 'delete' ? 'delete' : deps.settings().ingest.afterImport;
  }

  /**
   * `fate` is the one decided when the file was taken: a file taken by hard link leaves the export
   * folder even if `afterImport` became `leave` meanwhile. `stored` is its store file, when this
   * receipt accepted it: a source that stays in the export folder all the same (the move failed,
   * or a restart finds it under `leave`) must not keep a name on the store's bytes, which the
   * modality could rewrite, so the store file gets bytes of its own.
   */
  async function finishSource(req: IngestRequest, receiptId: number, fate: SourceFate, stored: string | null): Promise<void> {
    await applyFate(req, receiptId, fate);
    if (!stored) return;
    try {
      if (await unshareFrom(path.join(paths.store, stored), req.path)) logger.info('store file unshared from a source left in place', { receiptId });
    } catch (e) {
      logger.warn('store file not unshared', { receiptId, code: (e as NodeJS.ErrnoException).code ?? 'unknown' });
    }
  }

  async function applyFate(req: IngestRequest, receiptId: number, fate: SourceFate): Promise<void> {
    try {
      if (fate === 'leave') return;
      if (fate === 'delete') {
        await fsp.rm(req.path, { force: true });
        return;
      }
      const day = dayPath(clock.now()).replace(/\//g, '-');
      const dir = path.join(paths.done, day);
      await fsp.mkdir(dir, { recursive: true });
      const how = await moveDurable(req.path, path.join(dir, `${receiptId}-${safeFileName(req.name)}`));
      if (how === 'copied') await fsp.rm(req.path, { force: true });
    } catch (e) {
      // Left in the export folder; the source record makes the next start finish the job.
      logger.warn('source not moved after import', { receiptId, code: (e as NodeJS.ErrnoException).code ?? 'unknown' });
    }
  }

  async function quarantine(
    req: IngestRequest,
    key: SourceKey | null,
    reason: ReasonCode,
    detail: string,
    hashed: { sha256: string; size: number },
    sopInstanceUID: string | null,
  ): Promise<IngestOutcome> {
    const messages = reasonMessages(reason, detail);
    if (req.retryOf) {
      updateQuarantineReason(db, req.retryOf, reason, messages.vi, messages.en, detail, sopInstanceUID);
      deps.notify(req, 'quarantined', { reason });
      return { outcome: 'quarantined', quarantineId: req.retryOf, reason, sopInstanceUID };
    }
    const { sha256, size } = hashed.size >= 0 && hashed.sha256 ? hashed : await sha256File(req.path);
    const id = randomUUID();
    const receivedAt = clock.now();
    const sidecar: QuarantineSidecar = {
      id,
      reason,
      messages,
      detail,
      originalName: req.name,
      receivedAt,
      sha256,
      size,
      source: req.source,
      sopInstanceUID,
      sourcePath: key?.path ?? null,
      sourceSize: key?.size ?? null,
      sourceMtimeMs: key?.mtimeMs ?? null,
    };
    await fsp.mkdir(paths.quarantine, { recursive: true });
    await writeFileDurable(path.join(paths.quarantine, `${id}.json`), JSON.stringify(sidecar, null, 2));
    checkpoint('quarantine-sidecar');
    const how = await moveDurable(req.path, path.join(paths.quarantine, `${id}.dcm`));
    checkpoint('quarantine-moved');
    recordQuarantine(db, {
      id,
      originalName: req.name,
      filePath: `${id}.dcm`,
      reason,
      messageVi: messages.vi,
      messageEn: messages.en,
      detail,
      receivedAt,
      sopInstanceUID,
      sha256,
      size,
      source: req.source,
      sourceKey: key,
    });
    if (how === 'copied') await fsp.rm(req.path, { force: true });
    logger.info('file quarantined', { quarantineId: id, reason, sha256: sha256.slice(0, 12) });
    deps.notify(req, 'quarantined', { reason });
    return { outcome: 'quarantined', quarantineId: id, reason, sopInstanceUID };
  }

  async function run(req: IngestRequest): Promise<IngestOutcome> {
    let st;
    try {
      st = await fsp.lstat(req.path);
    } catch {
      deps.notify(req, 'skipped', {});
      return { outcome: 'skipped', why: 'vanished' };
    }
    if (!st.isFile()) {
      deps.notify(req, 'skipped', {});
      return { outcome: 'skipped', why: 'not-a-file' };
    }
    const sourcePath = path.resolve(req.path);
    if (!req.retryOf) {
      const done = findSourceReceipt(db, { path: sourcePath, size: st.size, mtimeMs: Math.floor(st.mtimeMs) });
      if (done !== null) {
        await finishSource(req, done, fateOf(req), storedFileOfReceipt(db, done));
        deps.notify(req, 'skipped', {});
        return { outcome: 'skipped', why: 'already-handled' };
      }
    }
    deps.notify(req, 'checking', {});
    await fsp.mkdir(paths.incoming, { recursive: true });
    const uuid = randomUUID();
    const part = path.join(paths.incoming, `${uuid}.part`);
    const fate = fateOf(req);
    const res = await pool.run({ file: req.path, copyTo: part, mayLink: fate !== 'leave' });

    if (res.kind === 'changed') {
      await fsp.rm(part, { force: true });
      return { outcome: 'changed' };
    }
    if (res.kind === 'io-error') {
      await fsp.rm(part, { force: true });
      if (res.code === 'ENOENT') {
        deps.notify(req, 'skipped', {});
        return { outcome: 'skipped', why: 'vanished' };
      }
      logger.warn('file could not be read', { code: res.code });
      deps.notify(req, 'failed', {});
      return { outcome: 'failed', code: res.code };
    }
    const key: SourceKey | null = req.retryOf ? null : { path: sourcePath, size: res.size >= 0 ? res.size : st.size, mtimeMs: res.size >= 0 ? res.mtimeMs : Math.floor(st.mtimeMs) };
    if (res.kind === 'rejected') {
      await fsp.rm(part, { force: true });
      return quarantine(req, key, res.reason, res.detail, res, null);
    }

    const h = res.header;
    const conflictDetail = 'SOPInstanceUID already received with other bytes';
    const existing = findInstanceBySop(db, h.sopInstanceUID);
    if (existing && existing.sha256 !== res.sha256) {
      await fsp.rm(part, { force: true });
      return quarantine(req, key, 'CONFLICT', conflictDetail, res, h.sopInstanceUID);
    }
    const receivedAt = clock.now();
    const base = {
      header: h,
      sha256: res.sha256,
      size: res.size,
      source: req.source,
      sourceName: req.name,
      receivedAt,
      sourceKey: key,
      sendImmediately: deps.settings().sync.sendPolicy === 'immediately',
      ...(req.retryOf ? { retryOf: req.retryOf } : {}),
    };
    if (existing) {
      await fsp.rm(part, { force: true });
      const r = recordInstance(db, { ...base, filePath: '' });
      if (r.kind === 'conflict') return quarantine(req, key, 'CONFLICT', conflictDetail, res, h.sopInstanceUID);
      await finishSource(req, r.receiptId, fate, null);
      deps.notify(req, 'duplicate', { studyInstanceUID: h.studyInstanceUID });
      return { outcome: 'duplicate', receiptId: r.receiptId, sopInstanceUID: h.sopInstanceUID, studyInstanceUID: h.studyInstanceUID };
    }

    checkpoint('copied');
    const rel = `${dayPath(receivedAt)}/${uuid}.dcm`;
    const abs = path.join(paths.store, rel);
    const journal = path.join(paths.incoming, `${uuid}.json`);
    await fsyncFile(part);
    await fsp.writeFile(journal, JSON.stringify({ rel, sourcePath: key?.path ?? null }));
    await fsp.mkdir(path.dirname(abs), { recursive: true });
    await fsp.rename(part, abs);
    await fsyncDir(path.dirname(abs));
    checkpoint('renamed');
    const r = recordInstance(db, { ...base, filePath: rel });
    if (r.kind !== 'accepted') {
      // Another copy of this SOP instance committed between our check and our transaction.
      await fsp.rm(abs, { force: true });
      await fsp.rm(journal, { force: true });
      if (r.kind === 'conflict') return quarantine(req, key, 'CONFLICT', conflictDetail, res, h.sopInstanceUID);
      await finishSource(req, r.receiptId, fate, null);
      deps.notify(req, 'duplicate', { studyInstanceUID: h.studyInstanceUID });
      return { outcome: 'duplicate', receiptId: r.receiptId, sopInstanceUID: h.sopInstanceUID, studyInstanceUID: h.studyInstanceUID };
    }
    checkpoint('committed');
    await fsp.rm(journal, { force: true });
    await finishSource(req, r.receiptId, fate, rel);
    deps.notify(req, 'accepted', { studyInstanceUID: h.studyInstanceUID });
    return { outcome: 'accepted', receiptId: r.receiptId, sopInstanceUID: h.sopInstanceUID, studyInstanceUID: h.studyInstanceUID };
  }

  return { run };
}

export type Pipeline = ReturnType<typeof createPipeline>;
