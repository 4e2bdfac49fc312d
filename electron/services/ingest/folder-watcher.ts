/**
 * Watches the export folders (chokidar 5, recursive, optional polling for network shares) and
 * hands over a file only once it is complete:
 *
 *   seen ──▶ waiting ──(size+mtime unchanged for stableMs)──▶ probe writers ──(none)──▶ stable
 *              ▲  │ size or mtime changed                          │ still open for writing
 *              │  ▼                                                ▼
 *              └──┴──────────────── restart the stability clock ◀──┘
 *
 * Temporary names (`.tmp`, `.part`, `~…`, dotfiles…) are never taken: copiers write under such a
 * name and rename when done, and the rename shows up as a new file. Symlinks are not followed
 * and symlinked files are not taken (a link inside the folder could point anywhere; a real file
 * in the folder is taken under its own path).
 *
 * File-system events are a hint, not a guarantee: a file created while chokidar is still setting
 * up (between its scan and its watch), an overflowing inotify queue or a network share that
 * drops notifications would otherwise leave a file in the folder forever. So the folders are
 * also listed once the watcher is ready and then every `rescanMs`; a file listed there that is
 * neither waiting nor already handed over is tracked like any new one.
 */
import fsp from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { watch, type FSWatcher } from 'chokidar';
import type { Logger } from '../logger';
import type { OpenWritersProbe } from './open-writers';

/** Names copiers and editors use for files still being written, and OS clutter. */
export function isTemporaryName(fileName: string): boolean {
  const n = fileName.toLowerCase();
  return (
    n.startsWith('.') ||
    n.startsWith('~') ||
    n.endsWith('~') ||
    /\.(tmp|temp|part|partial|crdownload|download|filepart|swp|lock|!sync|copying)$/.test(n) ||
    n === 'thumbs.db' ||
    n === 'desktop.ini'
  );
}

export interface FolderWatcherOptions {
  readonly folders: readonly string[];
  readonly usePolling: boolean;
  readonly stableMs: number;
  /** Paths never to take (the desk's own folders, should a watch folder contain them). */
  readonly excluded: readonly string[];
  readonly probe: OpenWritersProbe;
  readonly logger: Logger;
  onStable(file: string): void;
  /** A new file appeared and is being watched until stable. */
  onSeen?(file: string): void;
  /** How often the folders are listed for files no event announced (default 60 s). */
  readonly rescanMs?: number;
  /** Fault injection for tests: file events for which this is true are lost, as if never sent. */
  readonly loseEvent?: (file: string) => boolean;
}

export interface FolderWatcher {
  /** Resolves when the initial scan is done (existing files are being tracked). */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Puts a file back to waiting (it changed while being read). */
  track(file: string): void;
  /** Files seen and not yet handed over. */
  readonly waiting: number;
}

interface Candidate {
  size: number;
  mtimeMs: number;
  ino: number;
  since: number;
}

const identity = (st: { ino: number; size: number; mtimeMs: number }) => `${st.ino}:${st.size}:${st.mtimeMs}`;

export function createFolderWatcher(opts: FolderWatcherOptions): FolderWatcher {
  const pollMs = Math.max(50, Math.min(500, Math.floor(opts.stableMs / 4)));
  const candidates = new Map<string, Candidate>();
  /**
   * Files handed over, by path → inode, size and mtime: a rescan skips them while they are still
   * the same file (afterImport `leave`), and takes a new file under a reused name.
   */
  const handed = new Map<string, string>();
  const excluded = opts.excluded.map((p) => path.resolve(p) + path.sep);
  let watcher: FSWatcher | null = null;
  let timer: NodeJS.Timeout | null = null;
  let rescanTimer: NodeJS.Timeout | null = null;
  let ticking = false;
  let stopped = false;
  /** Ends a start() still waiting for chokidar's first scan when stop() comes first. */
  let abortStart: (() => void) | null = null;

  const isExcluded = (p: string) => excluded.some((e) => (path.resolve(p) + path.sep).startsWith(e));

  const track = (file: string) => {
    if (stopped) return;
    if (isTemporaryName(path.basename(file)) || isExcluded(file)) return;
    if (candidates.has(file)) return;
    handed.delete(file);
    candidates.set(file, { size: -1, mtimeMs: -1, ino: -1, since: performance.now() });
    opts.onSeen?.(file);
  };

  const tick = async () => {
    if (ticking) return;
    ticking = true;
    try {
      const now = performance.now();
      const ripe: string[] = [];
      await Promise.all(
        [...candidates.entries()].map(async ([file, c]) => {
          let st;
          try {
            st = await fsp.lstat(file);
          } catch {
            candidates.delete(file);
            return;
          }
          if (!st.isFile()) {
            candidates.delete(file);
            return;
          }
          if (st.size !== c.size || st.mtimeMs !== c.mtimeMs || st.ino !== c.ino) {
            c.size = st.size;
            c.mtimeMs = st.mtimeMs;
            c.ino = st.ino;
            c.since = now;
            return;
          }
          if (now - c.since >= opts.stableMs) ripe.push(file);
        }),
      );
      if (ripe.length === 0) return;
      const busy = await opts.probe(ripe);
      for (const file of ripe) {
        const c = candidates.get(file);
        if (!c) continue;
        if (busy.has(file)) {
          c.since = performance.now();
          continue;
        }
        candidates.delete(file);
        handed.set(file, identity(c));
        opts.onStable(file);
      }
    } catch (e) {
      opts.logger.error('stability check failed', { error: e instanceof Error ? e.name : 'unknown' });
    } finally {
      ticking = false;
    }
  };

  /** Every regular file under the folders, as chokidar would see them (no dot-folders, no links). */
  const rescan = async () => {
    for (const folder of opts.folders) {
      let entries;
      try {
        entries = await fsp.readdir(folder, { recursive: true, withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of entries) {
        if (!e.isFile()) continue;
        const file = path.join(e.parentPath, e.name);
        if (path.relative(folder, e.parentPath).split(path.sep).some((seg) => seg.startsWith('.'))) continue;
        const was = handed.get(file);
        if (was !== undefined) {
          const st = await fsp.lstat(file).catch(() => null);
          if (st === null || identity(st) === was) continue;
        }
        track(file);
      }
    }
  };

  return {
    async start() {
      if (opts.folders.length === 0) return;
      const w = watch([...opts.folders], {
        persistent: true,
        ignoreInitial: false,
        followSymlinks: false,
        usePolling: opts.usePolling,
        interval: pollMs,
        binaryInterval: pollMs,
        depth: 32,
        ignorePermissionErrors: true,
        ignored: (p: string) => {
          const base = path.basename(p);
          // Dot-folders are skipped whole; other temp names are files only (cheap name test).
          return (base.startsWith('.') && !opts.folders.some((f) => path.resolve(f) === path.resolve(p))) || isExcluded(p);
        },
      });
      watcher = w;
      const heard = (p: string) => !opts.loseEvent?.(p);
      w.on('add', (p) => heard(p) && track(p));
      w.on('change', (p) => heard(p) && track(p));
      w.on('unlink', (p) => {
        candidates.delete(p);
        handed.delete(p);
      });
      w.on('error', (e) => opts.logger.warn('watch error', { error: e instanceof Error ? e.name : 'unknown' }));
      await new Promise<void>((resolve) => {
        abortStart = resolve;
        w.once('ready', () => resolve());
      });
      abortStart = null;
      if (stopped) return;
      await rescan();
      if (stopped) return;
      timer = setInterval(() => void tick(), pollMs);
      rescanTimer = setInterval(() => void rescan().catch(() => undefined), opts.rescanMs ?? 60_000);
    },
    async stop() {
      stopped = true;
      abortStart?.();
      if (timer) clearInterval(timer);
      if (rescanTimer) clearInterval(rescanTimer);
      timer = null;
      rescanTimer = null;
      const w = watcher;
      watcher = null;
      if (w) await w.close();
      candidates.clear();
      handed.clear();
    },
    track,
    get waiting() {
      return candidates.size;
    },
  };
}
