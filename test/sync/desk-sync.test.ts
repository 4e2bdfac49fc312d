/**
 * The whole desk as the harness drives it: compose() with its background loops, files dropped into
 * the export folder, the contract's settings.update / studies.release / sync.status / sync.list /
 * pacs.test — and Orthanc's contents compared with the files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compose, type Desk } from '../../electron/compose';
import { memoryLogger } from '../../electron/services/logger';
import type { Caller } from '../../electron/core/dispatch';
import type { MethodName, MethodOutput } from '../../shared/contract';
import { orthancAvailable, requireOrHave, startOrthanc, type OrthancHandle } from '../support/orthanc';
import { tempDir } from '../support/temp-dir';
import { makeStudy, type DxFile } from '../support/dicom-fixtures';
import { md5 } from './seed';

const HAVE_ORTHANC = requireOrHave('Orthanc with the DICOMweb plugin', orthancAvailable());

describe.skipIf(!HAVE_ORTHANC)('desk → PACS through the contract', () => {
  let orthanc: OrthancHandle;
  let tmp: ReturnType<typeof tempDir>;
  let desk: Desk;
  let admin: Caller;

  async function call<M extends MethodName>(method: M, input: unknown = {}): Promise<MethodOutput<M>> {
    const r = await desk.dispatch(method, input, admin);
    if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
    return r.value;
  }
  async function until<T>(probe: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
    const end = Date.now() + 60_000;
    for (;;) {
      const v = await probe();
      if (ok(v)) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const drop = (files: readonly DxFile[]) => {
    for (const f of files) copyFileSync(f.path, join(desk.dataDir, 'export', `${f.sopInstanceUID}.dcm`));
  };

  beforeAll(async () => {
    orthanc = await startOrthanc();
    tmp = tempDir('raddesk-desk-sync-');
    desk = await compose({ dataDir: join(tmp.path, 'desk'), mode: 'test', version: '0.0.0-test', logger: memoryLogger(), background: true });
    const ops = await desk.dispatch('operators.list', {});
    if (!ops.ok) throw new Error('operators.list failed');
    admin = { operatorId: ops.value.items.find((o) => o.role === 'admin')!.id };
  });
  afterAll(async () => {
    await desk?.close();
    await orthanc?.stop();
    tmp?.remove();
  });

  it('not configured: the status says so, in both languages', async () => {
    const st = await call('sync.status');
    expect(st).toMatchObject({ online: false, connection: 'unconfigured', lastError: { code: 'PACS_NOT_CONFIGURED', vi: 'Chưa cấu hình PACS', en: 'PACS not configured' } });
    const r = await desk.dispatch('pacs.test', {}, admin);
    expect(r).toMatchObject({ ok: false, error: { code: 'PACS_NOT_CONFIGURED' } });
  });

  it('immediately: dropped files go to the PACS with no operator action', async () => {
    await call('settings.update', { pacs: { dicomwebUrl: orthanc.dicomwebUrl }, sync: { sendPolicy: 'immediately' }, ingest: { stableMs: 200 } });
    expect(await call('pacs.test')).toMatchObject({ ok: true, url: orthanc.dicomwebUrl });
    const files = makeStudy(join(tmp.path, 'a'), { views: 4, rows: 64, columns: 64 });
    drop(files);
    await until(() => call('sync.status'), (s) => s.verified === 4, 'four verified');
    for (const f of files) expect(md5(await orthanc.instanceFile(f.sopInstanceUID))).toBe(md5(readFileSync(f.path)));
  });

  it('on-attach: a study waits held until studies.release, which is audited', async () => {
    await call('settings.update', { sync: { sendPolicy: 'on-attach' } });
    const files = makeStudy(join(tmp.path, 'b'), { views: 3, rows: 64, columns: 64 });
    const study = files[0]!.studyInstanceUID;
    drop(files);
    await until(() => call('sync.status'), (s) => s.held === 3, 'three held');
    expect((await orthanc.sopInstanceUIDs()).filter((u) => files.some((f) => f.sopInstanceUID === u))).toEqual([]);

    const bad = await desk.dispatch('studies.release', { studyInstanceUIDs: ['1.2.3.404'] }, admin);
    expect(bad).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await call('studies.release', { studyInstanceUIDs: [study] })).toEqual({ released: [study], instances: 3 });
    await until(() => call('sync.status'), (s) => s.verified === 7 && s.held === 0, 'seven verified');

    const list = await call('sync.list', { limit: 10 });
    const item = list.items.find((i) => i.studyInstanceUID === study);
    expect(item).toMatchObject({ total: 3, progress: 1, counts: { verified: 3 }, lastError: null, patientID: files[0]!.patientID });
    expect(item!.releasedAt).not.toBeNull();
    const audit = await call('audit.list', { action: 'studies.release' });
    expect(audit.items.find((a) => a.outcome === 'ok')).toMatchObject({ studyInstanceUID: study, patientID: files[0]!.patientID });
    expect(await call('sync.retry', {})).toEqual({ reset: 0 });
    expect(new Set(await orthanc.sopInstanceUIDs()).size).toBe(7);
  });

  it('a wrong URL is reported plainly by pacs.test without touching the saved settings', async () => {
    const r = await desk.dispatch('pacs.test', { dicomwebUrl: orthanc.httpUrl + '/app' }, admin);
    expect(r).toMatchObject({ ok: false, error: { code: 'PACS_NOT_DICOMWEB', messages: { en: `${orthanc.httpUrl}/app is not a DICOMweb endpoint` } } });
    expect((await call('settings.get')).pacs.dicomwebUrl).toBe(orthanc.dicomwebUrl);
  });
});
