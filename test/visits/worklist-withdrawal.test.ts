/**
 * Orders cancelled on the RIS/HIS, through the whole desk against Orthanc's worklist plugin (which
 * reads its folder of .wl files on every C-FIND): removing an order's file is what a cancellation
 * looks like from the desk. A withdrawn order with no images is hidden and refused as a target;
 * one with images stays listed, marked; a returning order is restored; automatic matching never
 * picks a withdrawn order; a failed refresh withdraws nothing; an order the query did not ask about
 * (other station, other modality, other day) is left alone. Tests run in order on one desk.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, orthancAvailable, requireOrHave, startOrthanc, type OrthancHandle } from '../support/orthanc';
import { makeDx } from '../support/dicom-fixtures';
import { dcmtkAvailable } from './dcmtk';
import { startVisitsDesk, type VisitsDesk } from './visits-harness';
import { writeWorklistFile, type WorklistFileEntry } from './worklist-files';
import { waitFor } from './wait';

const DAY = '20260115'; // the manual clock's day

const ORDERS = {
  cancelled: { accessionNumber: 'ACC-HUY', patientID: 'BN-3001', patientName: 'Lê Thị Hủy', procedureMeaning: 'X-quang ngực thẳng', date: DAY, time: '080000' },
  imaged: { accessionNumber: 'ACC-ANH', patientID: 'BN-3002', patientName: 'Trần Văn Ảnh', procedureMeaning: 'X-quang khớp gối', date: DAY, time: '081500' },
  matched: { accessionNumber: 'ACC-KHOP', patientID: 'BN-3003', patientName: 'Phạm Thị Khớp', procedureMeaning: 'X-quang bụng', date: DAY, time: '083000' },
  steady: { accessionNumber: 'ACC-BEN', patientID: 'BN-3004', patientName: 'Đỗ Văn Bền', procedureMeaning: 'X-quang cột sống', date: DAY, time: '084500' },
  room2: { accessionNumber: 'ACC-PHONG2', patientID: 'BN-3005', patientName: 'Võ Thị Hai', procedureMeaning: 'X-quang cổ tay', date: DAY, time: '090000', stationAET: 'DX_ROOM2' },
} satisfies Record<string, WorklistFileEntry>;
type OrderName = keyof typeof ORDERS;

let orthanc: OrthancHandle;
let t: VisitsDesk;
const files = new Map<OrderName, string>();

const haveParts = requireOrHave('Orthanc', orthancAvailable()) && dcmtkAvailable();

const put = (name: OrderName) => files.set(name, writeWorklistFile(orthanc.worklistDir, ORDERS[name]));
const cancel = (name: OrderName) => rmSync(files.get(name)!);

/** The cached visit of an order, withdrawn or not. */
async function visitOf(name: OrderName) {
  const all = (await t.call('visits.list', { text: ORDERS[name].accessionNumber, includeWithdrawn: true })).items;
  expect(all).toHaveLength(1);
  return all[0]!;
}
const listedIds = async () => (await t.call('visits.list', {})).items.map((i) => i.id);
const studyVisit = (uid: string) => t.desk.db.prepare('SELECT visit_id FROM studies WHERE study_uid = ?').pluck().get(uid) as string | null | undefined;
const outboxStatus = (sop: string) =>
  t.desk.db.prepare('SELECT o.status FROM instances i JOIN outbox o ON o.instance_id = i.id WHERE i.sop_instance_uid = ?').pluck().get(sop) as string | undefined;

beforeAll(async () => {
  if (!haveParts) return;
  orthanc = await startOrthanc();
  for (const name of Object.keys(ORDERS) as OrderName[]) put(name);
  t = await startVisitsDesk({
    ingest: { stableMs: 200 },
    sync: { sendPolicy: 'on-attach' },
    worklist: { host: '127.0.0.1', port: orthanc.dicomPort, calledAet: orthanc.aet, callingAet: 'RADDESK', modality: 'DX', stationAet: '' },
  });
  expect(await t.call('visits.refresh')).toMatchObject({ fetched: 5, created: 5, withdrawn: 0 });
});

afterAll(async () => {
  await t?.close();
  await orthanc?.stop();
});

describe.skipIf(!haveParts)('orders cancelled on the worklist', () => {
  it('a cancelled order without images is hidden and refused as a target; back on the worklist, it is listed again', async () => {
    const visit = await visitOf('cancelled');
    expect(visit.withdrawnAt).toBeNull();
    cancel('cancelled');
    t.clock.advance(60_000);
    expect(await t.call('visits.refresh')).toMatchObject({ fetched: 4, created: 0, updated: 0, withdrawn: 1 });
    expect(await listedIds()).not.toContain(visit.id);
    expect((await visitOf('cancelled')).withdrawnAt).toBe(t.clock.now());
    expect((await t.call('visits.get', { id: visit.id })).withdrawnAt).toBe(t.clock.now());
    // Counts only in the log: nothing that names the patient or the order.
    const line = t.logger.lines.filter((l) => l.includes('"worklist refreshed"')).at(-1)!;
    expect(JSON.parse(line)).toMatchObject({ fetched: 4, created: 0, updated: 0, withdrawn: 1, attached: 0 });
    expect(t.logger.lines.join('\n')).not.toMatch(/BN-3001|ACC-HUY|Hủy/);

    const dx = makeDx(t.exportDir, { rows: 32, columns: 32, accessionNumber: 'MOD-1', patientID: 'X1', patientName: 'CHUA RO' });
    await waitFor(() => outboxStatus(dx.sopInstanceUID), 'the image to be ingested');
    for (const m of ['visits.attach', 'visits.previewAttach'] as const) {
      const r = await t.raw(m, { visitId: visit.id, studyInstanceUIDs: [dx.studyInstanceUID] });
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      expect(r.error.code).toBe('VISIT_WITHDRAWN');
      expect(r.error.messages).toEqual({ vi: 'Lượt khám đã bị hủy trên worklist', en: 'The order was cancelled on the worklist' });
    }
    expect(studyVisit(dx.studyInstanceUID)).toBeNull();

    // Still absent: not withdrawn twice, its time kept.
    const at = t.clock.now();
    t.clock.advance(60_000);
    expect(await t.call('visits.refresh')).toMatchObject({ withdrawn: 0 });
    expect((await visitOf('cancelled')).withdrawnAt).toBe(at);

    put('cancelled');
    expect(await t.call('visits.refresh')).toMatchObject({ fetched: 5, created: 0, updated: 1, withdrawn: 0 });
    expect((await visitOf('cancelled')).withdrawnAt).toBeNull();
    expect(await listedIds()).toContain(visit.id);
    await t.call('visits.attach', { visitId: visit.id, studyInstanceUIDs: [dx.studyInstanceUID] });
    expect(studyVisit(dx.studyInstanceUID)).toBe(visit.id);
  });

  it('automatic matching never picks a cancelled order, and does once it is back', async () => {
    const visit = await visitOf('matched');
    cancel('matched');
    expect(await t.call('visits.refresh')).toMatchObject({ withdrawn: 1 });
    const dx = makeDx(t.exportDir, { rows: 32, columns: 32, accessionNumber: ORDERS.matched.accessionNumber, patientID: ORDERS.matched.patientID, patientName: 'PHAM THI KHOP' });
    await waitFor(() => outboxStatus(dx.sopInstanceUID), 'the image to be ingested');
    // A refresh matches every unattached study again: still nothing to attach it to.
    expect(await t.call('visits.refresh')).toMatchObject({ withdrawn: 0, attached: 0 });
    expect(studyVisit(dx.studyInstanceUID)).toBeNull();
    expect(outboxStatus(dx.sopInstanceUID)).toBe('held');
    expect((await t.call('visits.suggest', { studyInstanceUID: dx.studyInstanceUID })).items.map((s) => s.id)).not.toContain(visit.id);

    put('matched');
    expect(await t.call('visits.refresh')).toMatchObject({ updated: 1, attached: 1 });
    expect(studyVisit(dx.studyInstanceUID)).toBe(visit.id);
  });

  it('a cancelled order that already has images stays listed, marked; a new study with its accession waits for the operator', async () => {
    const visit = await visitOf('imaged');
    const first = makeDx(t.exportDir, { rows: 32, columns: 32, accessionNumber: ORDERS.imaged.accessionNumber, patientID: ORDERS.imaged.patientID, patientName: 'TRAN VAN ANH' });
    await waitFor(() => studyVisit(first.studyInstanceUID) === visit.id, 'the automatic attach');
    cancel('imaged');
    expect(await t.call('visits.refresh')).toMatchObject({ withdrawn: 1 });
    const listed = (await t.call('visits.list', {})).items.find((i) => i.id === visit.id);
    expect(listed).toMatchObject({ studyCount: 1, withdrawnAt: t.clock.now() });
    expect((await t.call('visits.get', { id: visit.id })).withdrawnAt).toBe(t.clock.now());

    const second = makeDx(t.exportDir, { rows: 32, columns: 32, accessionNumber: ORDERS.imaged.accessionNumber, patientID: ORDERS.imaged.patientID, patientName: 'TRAN VAN ANH' });
    await waitFor(() => outboxStatus(second.sopInstanceUID), 'the second study to be ingested');
    expect(await t.call('visits.refresh')).toMatchObject({ attached: 0 });
    expect(studyVisit(second.studyInstanceUID)).toBeNull();
    // The operator still sees it as a candidate, and decides.
    const suggested = (await t.call('visits.suggest', { studyInstanceUID: second.studyInstanceUID })).items.find((s) => s.id === visit.id);
    expect(suggested).toMatchObject({ reason: 'accession' });
    expect(suggested!.withdrawnAt).not.toBeNull();
  });

  it('a refresh that fails withdraws nothing', async () => {
    const visit = await visitOf('steady');
    cancel('steady');
    const closed = await freePort();
    await t.call('settings.update', { worklist: { port: closed } });
    try {
      const r = await t.raw('visits.refresh', {});
      expect(r.ok === false && r.error.code).toBe('WORKLIST_UNREACHABLE');
      expect((await visitOf('steady')).withdrawnAt).toBeNull();
      expect(await listedIds()).toContain(visit.id);
    } finally {
      await t.call('settings.update', { worklist: { port: orthanc.dicomPort } });
    }
    // The same removal, answered: withdrawn.
    expect(await t.call('visits.refresh')).toMatchObject({ withdrawn: 1 });
    expect(await listedIds()).not.toContain(visit.id);
  });

  it('an order the query did not ask about (other station, modality or day) is left alone', async () => {
    const room2 = await visitOf('room2');
    // On the worklist now: the two restored orders (DX_ROOM1) and room 2's.
    await t.call('settings.update', { worklist: { stationAet: 'DX_ROOM1' } });
    expect(await t.call('visits.refresh')).toMatchObject({ fetched: 2, withdrawn: 0 });
    expect((await visitOf('room2')).withdrawnAt).toBeNull();

    await t.call('settings.update', { worklist: { stationAet: '', modality: 'CR' } });
    expect(await t.call('visits.refresh')).toMatchObject({ fetched: 0, withdrawn: 0 });
    await t.call('settings.update', { worklist: { modality: 'DX' } });

    t.clock.advance(24 * 3_600_000);
    expect(await t.call('visits.refresh')).toMatchObject({ fetched: 0, withdrawn: 0 });
    const yesterday = (await t.call('visits.list', { date: '2026-01-15', includeWithdrawn: true })).items;
    expect(yesterday.find((v) => v.id === room2.id)?.withdrawnAt).toBeNull();
    expect(yesterday.filter((v) => v.withdrawnAt !== null).map((v) => v.accessionNumber).sort()).toEqual(['ACC-ANH', 'ACC-BEN']);
  });
});
