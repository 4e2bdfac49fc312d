/** The image bytes over both transports: the bridge route (real socket) and the protocol handler. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { startBridge, type Bridge } from '../../bridge/bridge-server';
import { startTestDesk, type TestDesk } from '../../../test/support/desk';
import { silentLogger } from '../logger';
import { createImageRoute } from './image-route';
import { createImageFetchHandler } from './image-fetch-handler';
import { storeInstance, type StoredInstance } from './stored-instance.fixture';

describe('image bytes', () => {
  let t: TestDesk;
  let bridge: Bridge;
  let a: StoredInstance;
  let gone: StoredInstance;

  beforeAll(async () => {
    t = await startTestDesk();
    a = storeInstance(t.desk.db, t.dataDir, { bytes: Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), Buffer.alloc(300_000, 7)]) });
    gone = storeInstance(t.desk.db, t.dataDir);
    rmSync(gone.filePath);
    bridge = await startBridge({ desk: t.desk, routes: [createImageRoute({ db: t.desk.db, dataDir: t.dataDir, logger: silentLogger })] });
  });
  afterAll(async () => {
    await bridge.close();
    await t.close();
  });

  const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
    fetch(`${bridge.url}${path}`, { method, headers: { Authorization: `Bearer ${bridge.token}`, ...headers } });

  it('streams the stored bytes with a DICOM media type and private caching', async () => {
    const res = await get(`/files/instances/${a.instanceId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/dicom; transfer-syntax=1.2.840.10008.1.2.1');
    expect(res.headers.get('cache-control')).toMatch(/^private, max-age=\d+/);
    expect(Number(res.headers.get('content-length'))).toBe(a.bytes.length);
    expect(Buffer.from(await res.arrayBuffer()).equals(a.bytes)).toBe(true);
  });

  it('needs the run token', async () => {
    const res = await fetch(`${bridge.url}/files/instances/${a.instanceId}`);
    expect(res.status).toBe(401);
  });

  it('answers 304 to a matching ETag and headers only to HEAD', async () => {
    const first = await get(`/files/instances/${a.instanceId}`, {}, 'HEAD');
    expect(first.status).toBe(200);
    expect(await first.text()).toBe('');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
    const again = await get(`/files/instances/${a.instanceId}`, { 'If-None-Match': etag });
    expect(again.status).toBe(304);
  });

  it('says 404 for unknown or malformed ids and 410 when the file is gone', async () => {
    expect((await get('/files/instances/999999')).status).toBe(404);
    expect((await get('/files/instances/..%2Fdesk.sqlite')).status).toBe(404);
    expect((await get('/files/instances/01')).status).toBe(404);
    const res = await get(`/files/instances/${gone.instanceId}`);
    expect(res.status).toBe(410);
    expect(await res.text()).toContain('no longer in the desk store');
  });

  it('serves the same bytes through the desk-image: protocol handler', async () => {
    const handle = createImageFetchHandler({ db: t.desk.db, dataDir: t.dataDir, logger: silentLogger });
    const res = await handle(new Request(`desk-image://instances/${a.instanceId}`));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/dicom');
    expect(Buffer.from(await res.arrayBuffer()).equals(a.bytes)).toBe(true);
    expect((await handle(new Request('desk-image://instances/abc'))).status).toBe(404);
    expect((await handle(new Request('desk-image://other/1'))).status).toBe(404);
    expect((await handle(new Request(`desk-image://instances/${gone.instanceId}`))).status).toBe(410);
  });
});
