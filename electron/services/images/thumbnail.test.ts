/**
 * Thumbnails from every transfer syntax ingest accepts, decoded with the real codecs: the lossless
 * ones must give exactly the native file's thumbnail; JPEG 2000 (decoded at a reduced resolution
 * level) must be close to it. Then the cache and the route, with the real worker thread.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { makeDx, type FixtureSyntax } from '../../../test/support/dicom-fixtures';
import { tempDir } from '../../../test/support/temp-dir';
import { startTestDesk, type TestDesk } from '../../../test/support/desk';
import { startBridge, type Bridge } from '../../bridge/bridge-server';
import { silentLogger } from '../logger';
import { makeThumbnail } from './thumbnail-job';
import { createImageRoute } from './image-route';
import { storeInstance } from './stored-instance.fixture';
import { thumbnailDirOf } from './thumbnailer';

const dir = tempDir('thumbs-');
const files = new Map<FixtureSyntax, string>();

beforeAll(() => {
  for (const syntax of ['explicit-le', 'implicit-le', 'explicit-be', 'deflated', 'jpeg-lossless', 'jpeg-ls', 'jpeg2000'] as const) {
    files.set(syntax, makeDx(dir.path, { rows: 300, columns: 240, seed: 42, syntax, fileName: `${syntax}.dcm` }).path);
  }
  // RLE Lossless (PS3.5 Annex G) by dcmtk, from the native file.
  execFileSync('dcmcrle', [files.get('explicit-le')!, join(dir.path, 'rle.dcm')]);
});
afterAll(() => dir.remove());

const png = (b: Buffer) => PNG.sync.read(b);

describe('thumbnails', () => {
  it('keeps the aspect ratio within 128 px and shows the bright corner marker', async () => {
    const img = png(await makeThumbnail(files.get('explicit-le')!));
    expect([img.width, img.height]).toEqual([102, 128]);
    // Top-left marker block is saturated (4095), the edge of the gradient beside the body is dark.
    expect(img.data[0]).toBeGreaterThan(240);
    expect(img.data[(64 * img.width + 2) * 4]).toBeLessThan(120);
  });

  it('gives the same picture from every lossless syntax, and nearly the same from JPEG 2000', async () => {
    const ref = png(await makeThumbnail(files.get('explicit-le')!));
    for (const s of ['implicit-le', 'explicit-be', 'deflated', 'jpeg-lossless', 'jpeg-ls'] as const) {
      const other = png(await makeThumbnail(files.get(s)!));
      expect(Buffer.from(other.data).equals(Buffer.from(ref.data)), s).toBe(true);
    }
    const rle = png(await makeThumbnail(join(dir.path, 'rle.dcm')));
    expect(Buffer.from(rle.data).equals(Buffer.from(ref.data)), 'rle').toBe(true);
    const j2k = png(await makeThumbnail(files.get('jpeg2000')!));
    expect([j2k.width, j2k.height]).toEqual([ref.width, ref.height]);
    let diff = 0;
    for (let i = 0; i < ref.data.length; i += 4) diff += Math.abs(ref.data[i]! - j2k.data[i]!);
    expect(diff / (ref.data.length / 4)).toBeLessThan(12);
  });

  it('refuses a file that is not DICOM', async () => {
    await expect(makeThumbnail(join(dir.path, 'nothing.dcm'))).rejects.toThrow();
  });
});

describe('thumbnail route', () => {
  let t: TestDesk;
  let bridge: Bridge;
  beforeAll(async () => {
    t = await startTestDesk();
    bridge = await startBridge({ desk: t.desk, routes: [createImageRoute({ db: t.desk.db, dataDir: t.dataDir, logger: silentLogger })] });
  });
  afterAll(async () => {
    await bridge.close();
    await t.close();
  });

  it('makes the PNG once in the worker, then serves it from the cache', async () => {
    const a = storeInstance(t.desk.db, t.dataDir, { bytes: readFileSync(files.get('jpeg-ls')!) });
    const url = `${bridge.url}/files/instances/${a.instanceId}/thumbnail`;
    const headers = { Authorization: `Bearer ${bridge.token}` };
    const first = await fetch(url, { headers });
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('image/png');
    expect(first.headers.get('cache-control')).toMatch(/^private/);
    const body = Buffer.from(await first.arrayBuffer());
    expect(png(body).width).toBe(102);
    expect(readdirSync(thumbnailDirOf(t.dataDir))).toEqual([`${JSON.parse(first.headers.get('etag')!.replace('t-', ''))}.png`]);
    const again = await fetch(url, { headers });
    expect(Buffer.from(await again.arrayBuffer()).equals(body)).toBe(true);
    expect((await fetch(url, { headers: { ...headers, 'If-None-Match': first.headers.get('etag')! } })).status).toBe(304);
  });

  it('answers 415 for an image it cannot decode, and keeps nothing', async () => {
    const bad = storeInstance(t.desk.db, t.dataDir, { bytes: Buffer.from('not dicom at all') });
    const res = await fetch(`${bridge.url}/files/instances/${bad.instanceId}/thumbnail`, { headers: { Authorization: `Bearer ${bridge.token}` } });
    expect(res.status).toBe(415);
    expect(existsSync(join(thumbnailDirOf(t.dataDir), 'x'))).toBe(false);
  });
});
