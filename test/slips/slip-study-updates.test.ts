/**
 * A slip printed before its images existed learns of them: attaching (or reconciling) a study
 * into a visit with a live slip enqueues a later `slip` record — same slip id and token hash, a
 * new record id, the study added — in the attach's own transaction. Through the whole desk
 * (compose → dispatch, the real ingest watching its folder, real SQLite, a capture printer); no
 * clinic server is configured, so every record stays in the outbox to be read here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVisitsDesk, type VisitsDesk } from '../visits/visits-harness';
import { waitFor } from '../visits/wait';
import { dcmtkAvailable, makeDx, type DxFile } from '../support/dicom-fixtures';
import { requirePart } from '../support/real-parts';
import { startPrinterCapture, type PrinterCapture } from '../support/printer-capture';
import { enqueueSlipStudyUpdates } from '../../electron/services/slips/slip-study-updates';
import { recordPayloadSchemas } from '../../shared/records';
import { insertVisit, outboxRecords, PORTAL } from './slip-fixtures';

const haveDcmtk = requirePart('dcmtk', dcmtkAvailable(), 'apt-get install dcmtk');

describe.runIf(haveDcmtk)('slip study updates', () => {
  let t: VisitsDesk;
  let capture: PrinterCapture;

  beforeAll(async () => {
    capture = await startPrinterCapture();
    t = await startVisitsDesk({ ingest: { stableMs: 200 }, portal: { baseUrl: PORTAL }, printer: { interface: capture.uri } });
  });
  afterAll(async () => {
    await t?.close();
    await capture?.close();
  });

  const walkIn = (name: string) => t.call('visits.create', { patientName: name, birthDate: '19790415', sex: 'F', procedure: { code: 'XQ.NGUC.T', name: 'X-quang ngực thẳng' } });
  const slipRecordsOf = (slipId: string) => outboxRecords(t.desk.db, 'slip').filter((r) => r.payload.slipId === slipId);
  const allSlipRecords = () => outboxRecords(t.desk.db, 'slip').length;
  /** A modality image in the watch folder, ingested and waiting for a visit. */
  async function arrived(opts: Parameters<typeof makeDx>[1] = {}): Promise<DxFile> {
    const dx = makeDx(t.exportDir, { rows: 64, columns: 64, patientName: 'NGUYEN^THI^LAN', ...opts });
    await waitFor(() => t.desk.db.prepare('SELECT 1 FROM instances WHERE sop_instance_uid = ?').get(dx.sopInstanceUID), 'the image to be ingested');
    return dx;
  }
  async function print(visitId: string): Promise<string> {
    const printed = await t.call('slips.print', { visitId });
    await capture.nextClosed();
    return printed.slipId;
  }

  it('attach after print: a new slip record with the study, same token, new record id; nothing twice', async () => {
    const visit = await walkIn('Nguyễn Thị Lan');
    const slipId = await print(visit.id);
    const [issued] = slipRecordsOf(slipId);
    expect(issued!.payload.studyInstanceUIDs).toEqual([]);

    const dx = await arrived();
    await t.call('visits.attach', { visitId: visit.id, studyInstanceUIDs: [dx.studyInstanceUID] });

    const records = slipRecordsOf(slipId);
    expect(records).toHaveLength(2);
    const update = records[1]!;
    expect(update.id).not.toBe(issued!.id);
    expect(update.payload).toEqual({ ...issued!.payload, studyInstanceUIDs: [dx.studyInstanceUID], revision: 1 });
    // What the server will accept (shared/records.ts is its parser too).
    expect(recordPayloadSchemas.slip.safeParse(update.payload).success).toBe(true);

    // A second image of the same study reaches the visit by the automatic match: no new study, no record.
    const before = allSlipRecords();
    const second = await arrived({ studyInstanceUID: dx.studyInstanceUID, seriesInstanceUID: dx.seriesInstanceUID, patientID: dx.patientID, accessionNumber: dx.accessionNumber });
    await waitFor(() => (t.desk.db.prepare('SELECT send_path FROM instances WHERE sop_instance_uid = ?').get(second.sopInstanceUID) as { send_path: string | null }).send_path, 'the late image to join the visit');
    expect(allSlipRecords()).toBe(before);
    expect(t.desk.db.transaction(() => enqueueSlipStudyUpdates(t.desk.db, t.clock, visit.id))()).toEqual([]);
  });

  it('a study moved to another visit, or detached, leaves the slip: the whole list, the next revision', async () => {
    const a = await walkIn('Lê Thị Mai');
    const b = await walkIn('Phạm Văn Hùng');
    const dx = await arrived({ patientName: 'LE^THI^MAI' });
    await t.call('visits.attach', { visitId: a.id, studyInstanceUIDs: [dx.studyInstanceUID] });
    const slipA = await print(a.id);
    const slipB = await print(b.id);
    // Wrong patient, noticed before sending: the study goes to B, and A's page must stop showing it.
    await t.call('visits.attach', { visitId: b.id, studyInstanceUIDs: [dx.studyInstanceUID] });
    await t.call('visits.detach', { studyInstanceUIDs: [dx.studyInstanceUID] });
    const history = (slipId: string) => slipRecordsOf(slipId).map((r) => [r.payload.revision, r.payload.studyInstanceUIDs]);
    expect(history(slipA)).toEqual([[0, [dx.studyInstanceUID]], [1, []]]);
    expect(history(slipB)).toEqual([[0, []], [1, [dx.studyInstanceUID]], [2, []]]);
  });

  it('a visit without a slip gets no slip record', async () => {
    const visit = await walkIn('Trần Văn Bình');
    const before = allSlipRecords();
    const dx = await arrived({ patientName: 'TRAN^VAN^BINH' });
    await t.call('visits.attach', { visitId: visit.id, studyInstanceUIDs: [dx.studyInstanceUID] });
    expect(allSlipRecords()).toBe(before);
  });

  it('a revoked slip is not updated', async () => {
    const visit = await walkIn('Lê Thị Hồng');
    const slipId = await print(visit.id);
    await t.call('slips.revoke', { slipId, reason: 'in nhầm người' });
    const dx = await arrived({ patientName: 'LE^THI^HONG' });
    await t.call('visits.attach', { visitId: visit.id, studyInstanceUIDs: [dx.studyInstanceUID] });
    expect(slipRecordsOf(slipId)).toHaveLength(1);
  });

  it('an expired slip is not updated', async () => {
    const visit = await walkIn('Phạm Văn Hùng');
    const slipId = await print(visit.id);
    const { expiresAt } = (await t.call('slips.list', { visitId: visit.id })).items[0]!;
    t.clock.set(expiresAt);
    try {
      const dx = await arrived({ patientName: 'PHAM^VAN^HUNG' });
      await t.call('visits.attach', { visitId: visit.id, studyInstanceUIDs: [dx.studyInstanceUID] });
      expect(slipRecordsOf(slipId)).toHaveLength(1);
    } finally {
      t.clock.set(Date.UTC(2026, 0, 15, 8, 0, 0));
    }
  });

  it('reconcile: the walk-in slip gains the worklist visit’s studies', async () => {
    const order = insertVisit(t.desk.db, { patientName: 'HOÀNG THỊ MAI', patientID: 'BN-MAI-01' });
    const dx = await arrived({ patientName: 'HOANG^THI^MAI', patientID: 'BN-MAI-01' });
    await t.call('visits.attach', { visitId: order.id, studyInstanceUIDs: [dx.studyInstanceUID] });

    const visit = await walkIn('Hoàng Thị Mai');
    const slipId = await print(visit.id);
    await t.call('visits.reconcile', { fromVisitId: visit.id, toVisitId: order.id });

    const records = slipRecordsOf(slipId);
    expect(records).toHaveLength(2);
    expect(records[1]!.payload).toMatchObject({ slipId, tokenHash: records[0]!.payload.tokenHash, studyInstanceUIDs: [dx.studyInstanceUID] });
  });
});
