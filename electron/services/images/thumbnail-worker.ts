/**
 * Worker-thread entry for thumbnails: decoding a 15 MB image (or running a WASM codec on it) takes
 * tens to hundreds of milliseconds, which must never stall the desk's main thread (ingest, IPC).
 *
 * Protocol: { id, path } in; { id, png } or { id, error } out.
 */
import { parentPort } from 'node:worker_threads';
import { makeThumbnail } from './thumbnail-job';

const port = parentPort;
if (!port) throw new Error('thumbnail-worker must run in a worker thread');

port.on('message', (msg: { id: number; path: string }) => {
  makeThumbnail(msg.path).then(
    (png) => port.postMessage({ id: msg.id, png }),
    (e: unknown) => port.postMessage({ id: msg.id, error: e instanceof Error ? e.message : String(e) }),
  );
});
