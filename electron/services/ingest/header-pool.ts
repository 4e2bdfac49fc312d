/**
 * A small pool of header workers (worker_threads) with memory limits and a parse timeout.
 *
 * Sized for the clinic's 2-core machines: two workers keep one file parsing while another
 * copies, and leave the main thread free for the UI and the database. A worker that times out,
 * runs out of its heap or crashes is terminated and replaced; the file it held is answered as
 * PARSE_ERROR (the pipeline quarantines it) and the next job gets a fresh worker.
 *
 * Worker code is TypeScript: bundled builds pass the built `.js` URL; under tsx/vitest a `.ts`
 * entry is loaded through tsx's `tsImport` inside an eval worker (plain `new Worker(x.ts)`
 * fails on Node 20: "Unknown file extension .ts").
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { Logger } from '../logger';
import type { HeaderJob, HeaderJobResult } from './header-job';

export interface HeaderPoolOptions {
  readonly size?: number;
  /** Default: ./header-worker.ts beside this file. */
  readonly workerUrl?: URL;
  /** Time allowed for framing + parse (not the copy). */
  readonly parseTimeoutMs?: number;
  /** Time allowed for the whole job, copy included. */
  readonly jobTimeoutMs?: number;
  readonly resourceLimits?: ResourceLimits;
  readonly logger: Logger;
}

export interface HeaderPool {
  run(job: HeaderJob): Promise<HeaderJobResult>;
  /** Jobs queued or running. */
  readonly pending: number;
  /**
   * Starts every worker now instead of on its first job, so the first image after the desk
   * starts is not held up by a worker loading the parser.
   */
  warm(): void;
  close(): Promise<void>;
}

interface Slot {
  worker: Worker | null;
  busy: { id: number; resolve: (r: HeaderJobResult) => void; timer: NodeJS.Timeout; job: HeaderJob } | null;
}

export const DEFAULT_RESOURCE_LIMITS: ResourceLimits = { maxOldGenerationSizeMb: 192, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 };

/** tsx's ESM API entry, from its package.json `exports` (require.resolve would pick the CJS one). */
function tsxEsmApi(): string {
  const req = createRequire(import.meta.url);
  const pkgFile = req.resolve('tsx/package.json');
  const pkg = req(pkgFile) as { exports: Record<string, { import: { default: string } }> };
  return path.join(path.dirname(pkgFile), pkg.exports['./esm/api']!.import.default);
}

function spawn(url: URL, resourceLimits: ResourceLimits): Worker {
  if (url.pathname.endsWith('.ts')) {
    const tsxApi = pathToFileURL(tsxEsmApi()).href;
    const code = `import(${JSON.stringify(tsxApi)}).then((m) => m.tsImport(${JSON.stringify(url.href)}, ${JSON.stringify(import.meta.url)}));`;
    return new Worker(code, { eval: true, resourceLimits });
  }
  return new Worker(url, { resourceLimits });
}

export function createHeaderPool(opts: HeaderPoolOptions): HeaderPool {
  const size = opts.size ?? 2;
  const url = opts.workerUrl ?? new URL('./header-worker.ts', import.meta.url);
  const limits = opts.resourceLimits ?? DEFAULT_RESOURCE_LIMITS;
  const parseTimeoutMs = opts.parseTimeoutMs ?? 20_000;
  const jobTimeoutMs = opts.jobTimeoutMs ?? 300_000;
  const slots: Slot[] = Array.from({ length: size }, () => ({ worker: null, busy: null }));
  const queue: Array<{ job: HeaderJob; resolve: (r: HeaderJobResult) => void }> = [];
  let nextId = 1;
  let closed = false;

  const fail = (slot: Slot, detail: string) => {
    const busy = slot.busy;
    const w = slot.worker;
    slot.worker = null;
    slot.busy = null;
    if (w) void w.terminate();
    if (busy) {
      clearTimeout(busy.timer);
      opts.logger.warn('header worker replaced', { detail });
      busy.resolve({ kind: 'rejected', reason: 'PARSE_ERROR', detail, sha256: '', size: -1, mtimeMs: 0 });
    }
    pump();
  };

  const ensureWorker = (slot: Slot): Worker => {
    if (slot.worker) return slot.worker;
    const w = spawn(url, limits);
    slot.worker = w;
    w.unref();
    w.on('message', (m: { id: number; type: 'parsed' | 'done'; result?: HeaderJobResult }) => {
      const busy = slot.busy;
      if (!busy || busy.id !== m.id) return;
      if (m.type === 'parsed') {
        clearTimeout(busy.timer);
        busy.timer = setTimeout(() => fail(slot, `job took longer than ${Math.round(jobTimeoutMs / 1000)} s`), jobTimeoutMs);
        return;
      }
      clearTimeout(busy.timer);
      slot.busy = null;
      busy.resolve(m.result!);
      pump();
    });
    w.on('error', (e: Error & { code?: string }) => {
      if (slot.worker !== w) return;
      fail(slot, e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'parser ran out of memory' : 'parser crashed');
    });
    w.on('exit', () => {
      if (slot.worker === w && !closed) fail(slot, 'parser exited');
    });
    return w;
  };

  const pump = () => {
    if (closed) return;
    for (const slot of slots) {
      if (slot.busy) continue;
      const next = queue.shift();
      if (!next) return;
      const id = nextId++;
      const timer = setTimeout(() => fail(slot, `parse took longer than ${Math.round(parseTimeoutMs / 1000)} s`), parseTimeoutMs);
      slot.busy = { id, resolve: next.resolve, timer, job: next.job };
      ensureWorker(slot).postMessage({ id, job: next.job });
    }
  };

  return {
    run(job) {
      if (closed) return Promise.resolve({ kind: 'io-error', code: 'ECLOSED' });
      return new Promise((resolve) => {
        queue.push({ job, resolve });
        pump();
      });
    },
    get pending() {
      return queue.length + slots.filter((s) => s.busy).length;
    },
    warm() {
      if (closed) return;
      for (const s of slots) ensureWorker(s);
    },
    async close() {
      closed = true;
      for (const q of queue.splice(0)) q.resolve({ kind: 'io-error', code: 'ECLOSED' });
      await Promise.all(
        slots.map(async (s) => {
          if (s.busy) {
            clearTimeout(s.busy.timer);
            s.busy.resolve({ kind: 'io-error', code: 'ECLOSED' });
            s.busy = null;
          }
          const w = s.worker;
          s.worker = null;
          if (w) await w.terminate();
        }),
      );
    },
  };
}
