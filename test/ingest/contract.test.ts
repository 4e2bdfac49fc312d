/**
 * The ingest slice through compose() and dispatch(), as the automation API and the renderer use
 * it: ingest.summary, studies.list / studies.get (with the audit record), quarantine.list /
 * retry / export, and the live events.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose, type Desk } from '../../electron/compose';
import type { Caller } from '../../electron/core/dispatch';
import { silentLogger } from '../../electron/services/logger';
import type { MethodName, MethodOutput } from '../../shared/contract';
import { dcmtkAvailable, makeDx, makeUnknownCharset, makeTextFile, newUid } from '../support/dicom-fixtures';
import { waitFor } from './harness';

const run = dcmtkAvailable();

describe.skipIf(!run)('ingest contract via dispatch', () => {
  let desk: Desk;
  let admin: Caller;
  let dataDir: string;
  const events: Array<{ name: string; payload: unknown }> = [];

  async function call<M extends MethodName>(method: M, input: unknown = {}): Promise<MethodOutput<M>> {
    const r = await desk.dispatch(method, input, admin);
    if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
    return r.value;
  }

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ingest-contract-'));
    desk = await compose({ dataDir, mode: 'test', version: '0.0.0-test', logger: silentLogger });
    desk.events.subscribe((name, payload) => events.push({ name, payload }));
    const ops = await desk.dispatch('operators.list', {});
    if (!ops.ok) throw new Error('operators.list');
    admin = { operatorId: ops.value.items.find((o) => o.role === 'admin')!.id };
    await call('settings.update', { ingest: { stableMs: 300 } });
  });
  afterAll(async () => {
    await desk.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const exportDir = () => path.join(dataDir, 'export');

  it('lists arrivals newest first, searches without accents, filters by date and state', async () => {
    const a = makeDx(exportDir(), { patientName: 'NGUYỄN VĂN AN', patientID: 'P-1', studyDate: '20260110' });
    await waitFor(async () => (await call('ingest.summary')).accepted === 1, 'first study');
    const b = makeDx(exportDir(), { patientName: 'TRẦN THỊ BÌNH', patientID: 'P-2', studyDate: '20260112' });
    await waitFor(async () => (await call('ingest.summary')).accepted === 2, 'second study');

    const all = await call('studies.list', {});
    expect(all.total).toBe(2);
    expect(all.items.map((s) => s.studyInstanceUID)).toEqual([b.studyInstanceUID, a.studyInstanceUID]);
    expect(all.items[0]).toMatchObject({ patientName: 'TRẦN THỊ BÌNH', patientID: 'P-2', studyDate: '20260112', modality: 'DX', instanceCount: 1, state: 'new' });

    expect((await call('studies.list', { text: 'tran thi binh' })).items.map((s) => s.patientID)).toEqual(['P-2']);
    expect((await call('studies.list', { text: 'NGUYEN' })).items.map((s) => s.patientID)).toEqual(['P-1']);
    expect((await call('studies.list', { dateFrom: '2026-01-11' })).items.map((s) => s.patientID)).toEqual(['P-2']);
    expect((await call('studies.list', { dateTo: '20260110' })).items.map((s) => s.patientID)).toEqual(['P-1']);
    expect((await call('studies.list', { state: 'new' })).total).toBe(2);
    expect((await call('studies.list', { state: 'in-pacs' })).total).toBe(0);
    const page = await call('studies.list', { limit: 1, offset: 1 });
    expect(page.total).toBe(2);
    expect(page.items.map((s) => s.patientID)).toEqual(['P-1']);
  });

  it('returns a study with its series and instances and audits the read', async () => {
    const study = newUid();
    const series = newUid();
    makeDx(exportDir(), { studyInstanceUID: study, seriesInstanceUID: series, patientName: 'LÊ VĂN CƯỜNG', patientID: 'P-3', instanceNumber: 1, viewPosition: 'PA' });
    makeDx(exportDir(), { studyInstanceUID: study, seriesInstanceUID: series, patientName: 'LÊ VĂN CƯỜNG', patientID: 'P-3', instanceNumber: 2, viewPosition: 'LL' });
    await waitFor(async () => (await call('studies.list', { text: 'cuong' })).items[0]?.instanceCount === 2, 'two views');
    const s = await call('studies.get', { studyInstanceUID: study });
    expect(s.patientName).toBe('LÊ VĂN CƯỜNG');
    expect(s.series).toHaveLength(1);
    expect(s.series[0]!.instances.map((i) => i.viewPosition)).toEqual(['PA', 'LL']);
    expect(s.series[0]!.instances[0]).toMatchObject({ rows: 256, columns: 256, source: 'folder', outboxStatus: 'held' });
    const audit = await call('audit.list', { action: 'studies.get' });
    expect(audit.items[0]).toMatchObject({ action: 'studies.get', outcome: 'ok', patientID: 'P-3', studyInstanceUID: study });
    const missing = await desk.dispatch('studies.get', { studyInstanceUID: '1.2.3' }, admin);
    expect(missing.ok).toBe(false);
  });

  it('lists the quarantine bilingually, retries and exports, and keeps received = accepted + duplicates + quarantined', async () => {
    makeTextFile(exportDir(), 'ghi-chu.dcm');
    makeUnknownCharset(exportDir());
    const before = await call('ingest.summary');
    await waitFor(async () => (await call('ingest.summary')).quarantined === before.quarantined + 2, 'two quarantined');
    const q = await call('quarantine.list', {});
    expect(q.items).toHaveLength(2);
    const text = q.items.find((i) => i.originalName === 'ghi-chu.dcm')!;
    expect(text.reason).toBe('NOT_DICOM');
    expect(text.message).toMatch(/^Không phải tệp DICOM.* \/ Not a DICOM file/);

    const retried = await call('quarantine.retry', { id: text.id });
    expect(retried).toEqual({ outcome: 'quarantined', reason: 'NOT_DICOM', studyInstanceUID: null });
    const after = await call('ingest.summary');
    expect(after.received).toBe(after.accepted + after.duplicates + after.quarantined);
    expect(after.received).toBe(before.received + 2);

    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'q-export-'));
    const exported = await call('quarantine.export', { id: text.id, toDir: out });
    expect(path.dirname(exported.path)).toBe(out);
    expect(fs.readFileSync(exported.path, 'utf8')).toContain('This is not a DICOM file');
    const bad = await desk.dispatch('quarantine.export', { id: text.id, toDir: 'relative/dir' }, admin);
    expect(bad.ok).toBe(false);
    fs.rmSync(out, { recursive: true, force: true });

    const stages = new Set(events.filter((e) => e.name === 'ingest.progress').map((e) => (e.payload as { stage: string }).stage));
    expect([...stages]).toEqual(expect.arrayContaining(['waiting', 'checking', 'accepted', 'quarantined']));
    expect(events.some((e) => e.name === 'studies.changed')).toBe(true);
  });
});
