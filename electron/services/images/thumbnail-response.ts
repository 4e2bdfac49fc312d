/**
 * A thumbnail as an HTTP answer, for the bridge route and (as a Fetch Response) for the Electron
 * protocol. Like the image it comes from, it never changes: cacheable, privately.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { InstanceFile } from './open-instance-bytes';
import { IMAGE_CACHE_CONTROL } from './instance-headers';
import type { Thumbnailer } from './thumbnailer';

export function thumbnailHeaders(file: InstanceFile, png: Buffer | null): Record<string, string> {
  return {
    'Content-Type': 'image/png',
    ...(png ? { 'Content-Length': String(png.length) } : {}),
    'Cache-Control': IMAGE_CACHE_CONTROL,
    ETag: `"t-${file.sha256}"`,
    'X-Content-Type-Options': 'nosniff',
  };
}

/** Answers 200 with the PNG, 304 when the browser has it, 415 when the image cannot be decoded. */
export async function sendThumbnail(req: IncomingMessage, res: ServerResponse, file: InstanceFile, thumbs: Thumbnailer): Promise<void> {
  if (req.headers['if-none-match'] === `"t-${file.sha256}"`) {
    res.writeHead(304, { ETag: `"t-${file.sha256}"`, 'Cache-Control': IMAGE_CACHE_CONTROL });
    return void res.end();
  }
  let png: Buffer;
  try {
    png = await thumbs.get(file);
  } catch {
    res.writeHead(415, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
    return void res.end('Không tạo được ảnh thu nhỏ / No thumbnail for this image\n');
  }
  res.writeHead(200, thumbnailHeaders(file, png));
  res.end(req.method === 'HEAD' ? undefined : png);
}

export async function thumbnailResponse(request: Request, file: InstanceFile, thumbs: Thumbnailer): Promise<Response> {
  if (request.headers.get('if-none-match') === `"t-${file.sha256}"`) return new Response(null, { status: 304 });
  try {
    const png = await thumbs.get(file);
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(png), { status: 200, headers: thumbnailHeaders(file, png) });
  } catch {
    return new Response('No thumbnail\n', { status: 415, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  }
}
