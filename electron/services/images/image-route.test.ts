/** The image bytes over both transports: the bridge route (real socket) and the protocol handler. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBridge, type Bridge } from '../../bridge/bridge-server';
import { startTestDesk, type TestDesk } from '../../../test/support/desk';
import { silentLogger } from '../logger';
import { storeDirOf } from './store-dir';
import { createImageRoute } from './image-route';
import { createImageFetchHandler } from './image-fetch-handler';
import { imageRevision } from './image-revision';
import { storeInstance, type StoredInstance } from './stored-instance.fixture';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

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
    const res = await get(`/files/instances/${a.instanceId}?v=${imageRevision(sha256(a.bytes), null)}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/dicom; transfer-syntax=1.2.840.10008.1.2.1');
    expect(res.headers.get('cache-control')).toMatch(/^private, max-age=\d+, immutable$/);
    expect(Number(res.headers.get('content-length'))).toBe(a.bytes.length);
    expect(Buffer.from(await res.arrayBuffer()).equals(a.bytes)).toBe(true);
  });

  it('has the browser revalidate a URL without a revision, and refuses a revision it no longer serves', async () => {
    const bare = await get(`/files/instances/${a.instanceId}`);
    expect(bare.status).toBe(200);
    expect(bare.headers.get('cache-control')).toBe('private, no-cache');
    expect(Buffer.from(await bare.arrayBuffer()).equals(a.bytes)).toBe(true);
    const stale = await get(`/files/instances/${a.instanceId}?v=0123456789abcdef`);
    expect(stale.status).toBe(404);
    expect(stale.headers.get('cache-control')).toBe('no-store');
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

  it('serves the corrected copy once there is one, under a new revision and ETag', async () => {
    const c = storeInstance(t.desk.db, t.dataDir, { bytes: Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), Buffer.from('as received')]) });
    const head = async (v?: string) => get(`/files/instances/${c.instanceId}${v === undefined ? '' : `?v=${v}`}`, {}, 'HEAD');
    const before = await head();
    const oldRevision = imageRevision(sha256(c.bytes), null);
    expect(before.headers.get('etag')).toBe(`"${sha256(c.bytes)}"`);

    // What attaching to a visit leaves (visits/study-correction.ts): a copy under corrected/, named by the row.
    const copy = Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), Buffer.from('corrected copy, longer')]);
    const rel = 'corrected/4b1a2f0e-copy.dcm';
    mkdirSync(join(storeDirOf(t.dataDir), 'corrected'), { recursive: true });
    writeFileSync(join(storeDirOf(t.dataDir), rel), copy);
    t.desk.db.prepare('UPDATE instances SET send_path = ?, send_size = ? WHERE id = ?').run(rel, copy.length, c.instanceId);

    const newRevision = imageRevision(sha256(c.bytes), rel);
    expect(newRevision).toMatch(/^[0-9a-f]{16}$/);
    expect(newRevision).not.toBe(oldRevision);
    const res = await get(`/files/instances/${c.instanceId}?v=${newRevision}`);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(copy)).toBe(true);
    expect(res.headers.get('etag')).toMatch(/^"[0-9a-f]{64}"$/);
    expect(res.headers.get('etag')).not.toBe(before.headers.get('etag'));
    expect(res.headers.get('cache-control')).toMatch(/immutable$/);
    // The old URL names bytes no longer served; the old ETag no longer validates.
    expect((await head(oldRevision)).status).toBe(404);
    expect((await get(`/files/instances/${c.instanceId}`, { 'If-None-Match': before.headers.get('etag')! })).status).toBe(200);

    // The copy gone but still recorded (damaged store): missing, not the original in its place.
    rmSync(join(storeDirOf(t.dataDir), rel));
    expect((await head(newRevision)).status).toBe(410);
  });

  it('serves the same bytes through the desk-image: protocol handler', async () => {
    const handle = createImageFetchHandler({ db: t.desk.db, dataDir: t.dataDir, logger: silentLogger });
    const res = await handle(new Request(`desk-image://instances/${a.instanceId}?v=${imageRevision(sha256(a.bytes), null)}`));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toMatch(/immutable$/);
    expect(res.headers.get('content-type')).toContain('application/dicom');
    expect(Buffer.from(await res.arrayBuffer()).equals(a.bytes)).toBe(true);
    expect((await handle(new Request('desk-image://instances/abc'))).status).toBe(404);
    expect((await handle(new Request('desk-image://other/1'))).status).toBe(404);
    expect((await handle(new Request(`desk-image://instances/${gone.instanceId}`))).status).toBe(410);
    expect((await handle(new Request(`desk-image://instances/${a.instanceId}?v=0123456789abcdef`))).status).toBe(404);
  });
});
