/**
 * The few static files (CSS, the viewer script), read once and served from memory. Their URLs
 * carry a content hash, so browsers may cache them for a long time; they hold no patient data.
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';

const TYPES: Record<string, string> = { css: 'text/css; charset=utf-8', js: 'text/javascript; charset=utf-8' };

export interface StaticAsset {
  readonly name: string;
  readonly url: string;
  readonly body: Buffer;
  readonly type: string;
  readonly etag: string;
}

export interface StaticAssets {
  url(name: 'result.css' | 'result.js' | 'admin.css'): string;
  get(name: string): StaticAsset | undefined;
  send(res: ServerResponse, asset: StaticAsset, ifNoneMatch: string | undefined): void;
}

export function loadStaticAssets(dir = new URL('../static/', import.meta.url)): StaticAssets {
  const assets = new Map<string, StaticAsset>();
  for (const name of ['result.css', 'result.js', 'admin.css']) {
    const body = readFileSync(new URL(name, dir));
    const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
    assets.set(name, { name, url: `/static/${name}?v=${hash}`, body, type: TYPES[name.split('.').pop() as string] as string, etag: `"${hash}"` });
  }
  return {
    url: (name) => (assets.get(name) as StaticAsset).url,
    get: (name) => assets.get(name),
    send(res, a, ifNoneMatch) {
      res.setHeader('Cache-Control', 'public, max-age=86400');
      res.setHeader('ETag', a.etag);
      if (ifNoneMatch === a.etag) {
        res.writeHead(304);
        res.end();
        return;
      }
      res.writeHead(200, { 'Content-Type': a.type, 'Content-Length': a.body.length });
      res.end(a.body);
    },
  };
}
