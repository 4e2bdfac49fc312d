/**
 * The bridge's image route (browser mode and the e2e tests):
 *
 *   GET|HEAD /files/instances/{id}?v={rev}     the served Part-10 bytes (the corrected copy once
 *                                              attached), streamed from disk; `v` optional
 *   GET|HEAD /files/instances/{id}/thumbnail   a small PNG of the image (thumbnailer.ts)
 *
 * `{id}` is the desk's internal instance id, `{rev}` its revision (image-revision.ts; caching
 * rules in instance-headers.ts). The bridge has already checked the run's token
 * (cookie or Bearer) before calling here. The viewer loads it as `wadouri:` + this URL.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BridgeRoute } from '../../bridge/bridge-server';
import type { Db } from '../store/database';
import type { Logger } from '../logger';
import { isDeskError } from '../../../shared/errors';
import { instanceHeaders, notModified, parseInstanceId, versionOf, type Version } from './instance-headers';
import { locateInstance, openInstanceBytes, type InstanceFile } from './open-instance-bytes';
import { createThumbnailer, type Thumbnailer } from './thumbnailer';
import { sendThumbnail } from './thumbnail-response';

export const IMAGE_ROUTE = /^\/files\/instances\/([^/]+)(\/thumbnail)?$/;

export interface ImageRouteDeps {
  db: Db;
  dataDir: string;
  logger: Logger;
  /** Default: one made for this data folder. */
  thumbnailer?: Thumbnailer;
}

export function createImageRoute({ db, dataDir, logger, thumbnailer }: ImageRouteDeps): BridgeRoute {
  const thumbs = thumbnailer ?? createThumbnailer({ dataDir, logger });
  return {
    match: IMAGE_ROUTE,
    async handle(req, res, params) {
      const id = parseInstanceId(params[1] ?? '');
      if (id === null) return plain(res, 404, 'Không tìm thấy ảnh / Image not found');
      try {
        const file = locateInstance(db, dataDir, id);
        if (params[2]) return await sendThumbnail(req, res, file, thumbs);
        const version = versionOf(new URL(req.url ?? '/', 'http://desk').searchParams, file);
        if (version === 'stale') return plain(res, 404, 'Ảnh đã đổi, hãy tải lại / Image changed, reload it');
        if (notModified(req.headers['if-none-match'], file)) {
          const { 'Content-Length': _length, 'Content-Type': _type, ...rest } = instanceHeaders(file, version);
          res.writeHead(304, rest);
          return void res.end();
        }
        if (req.method === 'HEAD') {
          res.writeHead(200, instanceHeaders(file, version));
          return void res.end();
        }
        await streamInstance(req, res, file, version, logger);
      } catch (e) {
        if (!isDeskError(e)) throw e;
        if (e.code === 'NOT_FOUND') return plain(res, 404, 'Không tìm thấy ảnh / Image not found');
        return plain(res, 410, `${e.toShape().message}`);
      }
    },
  };
}

async function streamInstance(req: IncomingMessage, res: ServerResponse, file: InstanceFile, version: Exclude<Version, 'stale'>, logger: Logger): Promise<void> {
  const bytes = openInstanceBytes(file);
  res.writeHead(200, instanceHeaders(bytes, version));
  await new Promise<void>((done) => {
    const finish = () => done();
    bytes.stream.on('error', (e) => {
      logger.warn('image stream failed', { instanceId: file.instanceId, error: e.message });
      res.destroy();
      finish();
    });
    res.on('close', () => {
      bytes.stream.destroy();
      finish();
    });
    req.on('aborted', () => bytes.stream.destroy());
    bytes.stream.pipe(res);
  });
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text + '\n');
}
