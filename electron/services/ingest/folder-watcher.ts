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
  since: number;
}

export function createFolderWatcher(opts: FolderWatcherOptions): FolderWatcher {
  const pollMs = Math.max(50, Math.min(500, Math.floor(opts.stableMs / 4)));
  const candidates = new Map<string, Candidate>();
  const excluded = opts.excluded.map((p) => path.resolve(p) + path.sep);
  let watcher: FSWatcher | null = null;
  let timer: NodeJS.Timeout | null = null;
  let ticking = false;

  const isExcluded = (p: string) => excluded.some((e) => (path.resolve(p) + path.sep).startsWith(e));

  const track = (file: string) => {
    if (isTemporaryName(path.basename(file)) || isExcluded(file)) return;
    if (candidates.has(file)) return;
    candidates.set(file, { size: -1, mtimeMs: -1, since: performance.now() });
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
          if (st.size !== c.size || st.mtimeMs !== c.mtimeMs) {
            c.size = st.size;
            c.mtimeMs = st.mtimeMs;
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
        opts.onStable(file);
      }
    } catch (e) {
      opts.logger.error('stability check failed', { error: e instanceof Error ? e.name : 'unknown' });
    } finally {
      ticking = false;
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
      w.on('add', (p) => track(p));
      w.on('change', (p) => track(p));
      w.on('unlink', (p) => candidates.delete(p));
      w.on('error', (e) => opts.logger.warn('watch error', { error: e instanceof Error ? e.name : 'unknown' }));
      await new Promise<void>((resolve) => w.once('ready', () => resolve()));
      timer = setInterval(() => void tick(), pollMs);
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      const w = watcher;
      watcher = null;
      if (w) await w.close();
      candidates.clear();
    },
    track,
    get waiting() {
      return candidates.size;
    },
  };
}
