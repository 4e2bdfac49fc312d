/**
 * Thumbnails of stored images, made once and kept: `<data>/thumbnails/<sha256>.png`, named by the
 * image's own SHA-256, so the same bytes always give the same file and a thumbnail never needs
 * invalidating. The first request decodes in a worker thread (one at a time: the desk has two
 * cores and the viewer's decoding matters more); later ones are a file read.
 *
 *   request ──▶ cached file? ──yes──▶ bytes
 *                   │ no
 *                   ▼
 *               same image in flight? ──yes──▶ wait for it
 *                   │ no
 *                   ▼
 *               worker (timeout) ──▶ write tmp, rename ──▶ bytes
 *
 * The worker stops after a short idle time and is started again on demand, so it needs no
 * lifecycle from the caller.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../logger';
import type { InstanceFile } from './open-instance-bytes';

export interface Thumbnailer {
  /** PNG bytes of the image's thumbnail; rejects when the image cannot be decoded. */
  get(file: InstanceFile): Promise<Buffer>;
}

export interface ThumbnailerOptions {
  dataDir: string;
  logger: Logger;
  /** Default: ./thumbnail-worker.ts beside this file (bundled builds pass the built .js). */
  workerUrl?: URL;
  timeoutMs?: number;
  idleMs?: number;
}

export function thumbnailDirOf(dataDir: string): string {
  return path.join(dataDir, 'thumbnails');
}

export function createThumbnailer(opts: ThumbnailerOptions): Thumbnailer {
  const dir = thumbnailDirOf(opts.dataDir);
  const url = opts.workerUrl ?? new URL('./thumbnail-worker.ts', import.meta.url);
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const idleMs = opts.idleMs ?? 10_000;
  const inFlight = new Map<string, Promise<Buffer>>();
  let worker: Worker | null = null;
  let idle: NodeJS.Timeout | null = null;
  let nextId = 1;
  let chain: Promise<unknown> = Promise.resolve();
  const waiting = new Map<number, { resolve(b: Buffer): void; reject(e: Error): void }>();

  function ensureWorker(): Worker {
    if (idle) clearTimeout(idle);
    idle = null;
    if (worker) return worker;
    const w = spawn(url);
    w.unref();
    w.on('message', (msg: { id: number; png?: Uint8Array; error?: string }) => {
      const job = waiting.get(msg.id);
      waiting.delete(msg.id);
      if (!job) return;
      if (msg.png) job.resolve(Buffer.from(msg.png));
      else job.reject(new Error(msg.error ?? 'thumbnail failed'));
    });
    const dead = (why: string) => {
      if (worker === w) worker = null;
      for (const [id, job] of waiting) {
        waiting.delete(id);
        job.reject(new Error(why));
      }
    };
    w.on('error', (e) => dead(e.message));
    w.on('exit', () => dead('thumbnail worker stopped'));
    worker = w;
    return w;
  }

  function scheduleIdleStop(): void {
    if (waiting.size > 0 || idle) return;
    idle = setTimeout(() => {
      idle = null;
      if (waiting.size === 0 && worker) void worker.terminate();
    }, idleMs);
    idle.unref();
  }

  function render(file: InstanceFile): Promise<Buffer> {
    // One job at a time through the worker, in request order.
    const run = chain.then(
      () =>
        new Promise<Buffer>((resolve, reject) => {
          const w = ensureWorker();
          const id = nextId++;
          const timer = setTimeout(() => {
            waiting.delete(id);
            void w.terminate();
            reject(new Error('thumbnail timed out'));
          }, timeoutMs);
          waiting.set(id, {
            resolve: (b) => (clearTimeout(timer), resolve(b)),
            reject: (e) => (clearTimeout(timer), reject(e)),
          });
          w.postMessage({ id, path: file.path });
        }),
    );
    chain = run.catch(() => {}).finally(scheduleIdleStop);
    return run;
  }

  return {
    get(file) {
      const target = path.join(dir, `${file.sha256}.png`);
      try {
        return Promise.resolve(readFileSync(target));
      } catch {
        // Not made yet.
      }
      let p = inFlight.get(file.sha256);
      if (!p) {
        p = render(file).then((png) => {
          mkdirSync(dir, { recursive: true });
          const tmp = path.join(dir, `.${randomBytes(6).toString('hex')}.tmp`);
          writeFileSync(tmp, png);
          renameSync(tmp, target);
          return png;
        });
        const done = () => inFlight.delete(file.sha256);
        p.then(done, (e: unknown) => {
          done();
          opts.logger.warn('thumbnail failed', { instanceId: file.instanceId, error: e instanceof Error ? e.message : String(e) });
        });
        inFlight.set(file.sha256, p);
      }
      return p;
    },
  };
}

/**
 * Bundled builds load the built `.js`; under tsx/vitest a `.ts` entry goes through tsx's ESM API
 * inside an eval worker (the same way as ingest's header pool: Node 20 cannot run `.ts` directly).
 */
function spawn(url: URL): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url);
  const req = createRequire(import.meta.url);
  const pkgFile = req.resolve('tsx/package.json');
  const pkg = req(pkgFile) as { exports: Record<string, { import: { default: string } }> };
  const api = pathToFileURL(path.join(path.dirname(pkgFile), pkg.exports['./esm/api']!.import.default)).href;
  const code = `import(${JSON.stringify(api)}).then((m) => m.tsImport(${JSON.stringify(url.href)}, ${JSON.stringify(import.meta.url)}));`;
  return new Worker(code, { eval: true });
}
