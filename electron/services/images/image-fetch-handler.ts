/**
 * The image bytes as a Fetch-API handler, `Request → Response`: what Electron's
 * `protocol.handle('desk-image', …)` wants (electron/main/image-protocol.ts registers it). Written
 * here, Electron-free, so it is tested in plain Node.
 *
 *   desk-image://instances/{id}?v={rev}     the served Part-10 bytes (the corrected copy once
 *                                           attached), streamed from disk; `v` optional
 *   desk-image://instances/{id}/thumbnail   a small PNG of the image
 *
 * Caching follows instance-headers.ts, as on the bridge route.
 *
 * Only the desk's own window can issue these requests (navigation and new windows are denied), so
 * no token is needed on this path; the id is opaque all the same.
 */
import { Readable } from 'node:stream';
import type { Db } from '../store/database';
import { isDeskError } from '../../../shared/errors';
import { etagOf, instanceHeaders, notModified, parseInstanceId, versionOf } from './instance-headers';
import { locateInstance, openInstanceBytes } from './open-instance-bytes';
import { thumbnailResponse } from './thumbnail-response';
import { createThumbnailer, type Thumbnailer } from './thumbnailer';
import type { Logger } from '../logger';

export const IMAGE_SCHEME = 'desk-image';

export interface ImageFetchDeps {
  db: Db;
  dataDir: string;
  logger: Logger;
  thumbnailer?: Thumbnailer;
}

export function createImageFetchHandler({ db, dataDir, logger, thumbnailer }: ImageFetchDeps): (request: Request) => Promise<Response> {
  const thumbs = thumbnailer ?? createThumbnailer({ dataDir, logger });
  return async (request) => {
    const url = new URL(request.url);
    const match = url.protocol === `${IMAGE_SCHEME}:` && url.hostname === 'instances' ? /^\/([^/]+)(\/thumbnail)?$/.exec(url.pathname) : null;
    const id = match ? parseInstanceId(match[1] ?? '') : null;
    if (id === null) return text(404, 'Không tìm thấy ảnh / Image not found');
    if (request.method !== 'GET' && request.method !== 'HEAD') return text(405, 'GET');
    try {
      const file = locateInstance(db, dataDir, id);
      if (match?.[2]) return await thumbnailResponse(request, file, thumbs);
      const version = versionOf(url.searchParams, file);
      if (version === 'stale') return text(404, 'Ảnh đã đổi, hãy tải lại / Image changed, reload it');
      const headers = { ...instanceHeaders(file, version), 'Access-Control-Allow-Origin': '*' };
      if (notModified(request.headers.get('if-none-match'), file)) return new Response(null, { status: 304, headers: { ETag: etagOf(file) } });
      if (request.method === 'HEAD') return new Response(null, { status: 200, headers });
      const bytes = openInstanceBytes(file);
      return new Response(Readable.toWeb(bytes.stream) as ReadableStream<Uint8Array>, { status: 200, headers });
    } catch (e) {
      if (!isDeskError(e)) throw e;
      return e.code === 'NOT_FOUND' ? text(404, 'Không tìm thấy ảnh / Image not found') : text(410, e.toShape().message);
    }
  };
}

function text(status: number, body: string): Response {
  return new Response(body + '\n', { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });
}
