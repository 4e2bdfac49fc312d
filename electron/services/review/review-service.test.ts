/** Image QA through dispatch, on a real SQLite desk: decisions, reasons, audit, and the send gate. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestDesk, type TestDesk } from '../../../test/support/desk';
import { storeInstance } from '../images/stored-instance.fixture';
import { qaSendableSql } from './qa-gate';

describe('images.review', () => {
  let t: TestDesk;
  beforeEach(async () => {
    t = await startTestDesk();
  });
  afterEach(async () => {
    await t.close();
  });

  /** The rows an outbox claim that respects the gate would take. */
  const claimable = (requireQa: boolean) =>
    (
      t.desk.db
        .prepare(`SELECT o.instance_id AS id FROM outbox o JOIN instances i ON i.id = o.instance_id WHERE o.status = 'pending' AND ${qaSendableSql(requireQa)} ORDER BY id`)
        .all() as { id: number }[]
    ).map((r) => r.id);

  it('refuses a rejection without an IOCM reason, and a reason on an acceptance', async () => {
    const a = storeInstance(t.desk.db, t.dataDir);
    const noReason = await t.raw('images.review', { instanceId: a.instanceId, decision: 'rejected' });
    expect(noReason).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'reason' } });
    const oddReason = await t.raw('images.review', { instanceId: a.instanceId, decision: 'rejected', reason: '999999' });
    expect(oddReason).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'reason' } });
    const acceptedWithReason = await t.raw('images.review', { instanceId: a.instanceId, decision: 'accepted', reason: '113001' });
    expect(acceptedWithReason).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'reason' } });
    const both = await t.raw('images.review', { instanceId: a.instanceId, sopInstanceUID: a.sopInstanceUID, decision: 'accepted' });
    expect(both).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect((await t.raw('images.review', { instanceId: 4242, decision: 'accepted' })).ok).toBe(false);
  });

  it('records a rejection with its reason and who decided, audited against the patient', async () => {
    const a = storeInstance(t.desk.db, t.dataDir, { patientID: 'BN-77' });
    const b = storeInstance(t.desk.db, t.dataDir, { studyInstanceUID: a.studyInstanceUID, seriesInstanceUID: a.seriesInstanceUID, patientID: 'BN-77' });
    const seen: unknown[] = [];
    t.desk.events.subscribe((name, payload) => (name === 'images.reviewed' || name === 'studies.changed') && seen.push({ name, payload }));

    const out = await t.call('images.review', { sopInstanceUID: a.sopInstanceUID, decision: 'rejected', reason: '113037' });
    expect(out).toMatchObject({ studyInstanceUID: a.studyInstanceUID, accepted: 0, rejected: 1, unreviewed: 1, requireQa: false, qaComplete: true });
    const images = out.series.flatMap((x) => x.images);
    const item = images.find((i) => i.instanceId === a.instanceId)!;
    expect(item).toMatchObject({ decision: 'rejected', reason: '113037', reviewedBy: t.admin.operatorId, reviewedAt: t.clock.now() });
    expect(images.find((i) => i.instanceId === b.instanceId)).toMatchObject({ decision: null, reason: null });
    expect(seen).toEqual([
      { name: 'images.reviewed', payload: { studyInstanceUID: a.studyInstanceUID, instanceId: a.instanceId, decision: 'rejected' } },
      { name: 'studies.changed', payload: { studyInstanceUIDs: [a.studyInstanceUID] } },
    ]);

    const audit = await t.call('audit.list', { action: 'images.review' });
    expect(audit.items[0]).toMatchObject({
      outcome: 'ok',
      patientID: 'BN-77',
      studyInstanceUID: a.studyInstanceUID,
      detail: { instanceId: a.instanceId, decision: 'rejected', reason: '113037', previous: null },
    });

    // Changing one's mind before sending is allowed; the reason goes with the rejection.
    const back = await t.call('images.review', { instanceId: a.instanceId, decision: 'accepted' });
    expect(back.series[0]!.images.find((i) => i.instanceId === a.instanceId)).toMatchObject({ decision: 'accepted', reason: null });
  });

  it('keeps a rejected image out of the claim, and the database refuses to lease it anyway', async () => {
    const a = storeInstance(t.desk.db, t.dataDir, { outboxStatus: 'pending' });
    const b = storeInstance(t.desk.db, t.dataDir, { studyInstanceUID: a.studyInstanceUID, outboxStatus: 'pending' });
    expect(claimable(false)).toEqual([a.instanceId, b.instanceId]);
    await t.call('images.review', { instanceId: a.instanceId, decision: 'rejected', reason: '113001' });
    expect(claimable(false)).toEqual([b.instanceId]);
    expect(() => t.desk.db.prepare(`UPDATE outbox SET status = 'sending' WHERE instance_id = ?`).run(a.instanceId)).toThrow(/QA_REJECTED/);
    t.desk.db.prepare(`UPDATE outbox SET status = 'sending' WHERE instance_id = ?`).run(b.instanceId);
  });

  it('with review.requireQa holds a study until every image is accepted or rejected', async () => {
    await t.call('settings.update', { review: { requireQa: true } });
    const a = storeInstance(t.desk.db, t.dataDir, { outboxStatus: 'pending' });
    const b = storeInstance(t.desk.db, t.dataDir, { studyInstanceUID: a.studyInstanceUID, outboxStatus: 'pending' });
    const other = storeInstance(t.desk.db, t.dataDir, { outboxStatus: 'pending' });
    await t.call('images.review', { instanceId: other.instanceId, decision: 'accepted' });
    expect(claimable(true)).toEqual([other.instanceId]);

    const half = await t.call('images.review', { instanceId: a.instanceId, decision: 'accepted' });
    expect(half).toMatchObject({ requireQa: true, qaComplete: false, unreviewed: 1 });
    expect(claimable(true)).toEqual([other.instanceId]);

    const done = await t.call('images.review', { instanceId: b.instanceId, decision: 'rejected', reason: '113038' });
    expect(done).toMatchObject({ qaComplete: true, accepted: 1, rejected: 1, unreviewed: 0 });
    expect(claimable(true)).toEqual([a.instanceId, other.instanceId]);
    const listed = await t.call('images.list', { studyInstanceUIDs: [other.studyInstanceUID, a.studyInstanceUID, '1.2.3'] });
    expect(listed.items.map((x) => [x.studyInstanceUID, x.qaComplete])).toEqual([
      [other.studyInstanceUID, true],
      [a.studyInstanceUID, true],
    ]);
  });

  it('counts and lists only the images views show: not a replaced original, not a rejection note', async () => {
    await t.call('settings.update', { review: { requireQa: true } });
    // After a post-send correction in the same study: the original (replaced, never reviewed here),
    // its correction, and the rejection note the desk made for the PACS.
    const original = storeInstance(t.desk.db, t.dataDir, { outboxStatus: 'verified' });
    const correction = storeInstance(t.desk.db, t.dataDir, { studyInstanceUID: original.studyInstanceUID, seriesInstanceUID: original.seriesInstanceUID, outboxStatus: 'pending' });
    const note = storeInstance(t.desk.db, t.dataDir, { studyInstanceUID: original.studyInstanceUID, outboxStatus: 'pending' });
    t.desk.db.prepare(`UPDATE instances SET replaced_by = ? WHERE id = ?`).run(correction.instanceId, original.instanceId);
    t.desk.db.prepare(`UPDATE instances SET desk_made = 'correction' WHERE id = ?`).run(correction.instanceId);
    t.desk.db.prepare(`UPDATE instances SET desk_made = 'rejection-note' WHERE id = ?`).run(note.instanceId);

    const before = await t.call('images.list', { studyInstanceUIDs: [original.studyInstanceUID] });
    expect(before.items[0]!.series.flatMap((x) => x.images.map((i) => i.instanceId))).toEqual([correction.instanceId]);
    expect(before.items[0]).toMatchObject({ unreviewed: 1, qaComplete: false });
    expect(claimable(true)).toEqual([]);
    expect((await t.call('studies.list', {})).items.find((x) => x.studyInstanceUID === original.studyInstanceUID)?.state).toBe('needs-review');

    await t.call('images.review', { instanceId: correction.instanceId, decision: 'accepted' });
    expect(claimable(true)).toEqual([correction.instanceId, note.instanceId]);
    expect((await t.call('studies.list', {})).items.find((x) => x.studyInstanceUID === original.studyInstanceUID)?.state).not.toBe('needs-review');
  });

  it('says so when every image of a study is rejected: nothing will be sent', async () => {
    const a = storeInstance(t.desk.db, t.dataDir, { outboxStatus: 'pending' });
    const b = storeInstance(t.desk.db, t.dataDir, { studyInstanceUID: a.studyInstanceUID, outboxStatus: 'pending' });
    const state = async () => (await t.call('studies.list', {})).items.find((x) => x.studyInstanceUID === a.studyInstanceUID)?.state;
    await t.call('images.review', { instanceId: a.instanceId, decision: 'rejected', reason: '113001' });
    expect(await state()).toBe('sending');
    await t.call('images.review', { instanceId: b.instanceId, decision: 'rejected', reason: '113037' });
    expect(await state()).toBe('all-rejected');
    expect(claimable(false)).toEqual([]);
    await t.call('images.review', { instanceId: b.instanceId, decision: 'accepted' });
    expect(await state()).toBe('sending');
  });

  it('refuses to change the decision of an image already on its way to the PACS', async () => {
    const a = storeInstance(t.desk.db, t.dataDir, { outboxStatus: 'sent' });
    const r = await t.raw('images.review', { instanceId: a.instanceId, decision: 'rejected', reason: '113001' });
    expect(r).toMatchObject({ ok: false, error: { code: 'REVIEW_ALREADY_SENT' } });
    // Confirming that a sent image was fine changes nothing that left the desk.
    expect((await t.raw('images.review', { instanceId: a.instanceId, decision: 'accepted' })).ok).toBe(true);
    const audit = await t.call('audit.list', { action: 'images.review' });
    expect(audit.items.map((i) => i.outcome)).toEqual(['ok', 'error']);
    expect(audit.items[1]!.detail).toMatchObject({ instanceId: a.instanceId, error: 'REVIEW_ALREADY_SENT' });
  });

  it('lists a study’s images by series and instance number, with their opaque ids', async () => {
    const a = storeInstance(t.desk.db, t.dataDir);
    const b = storeInstance(t.desk.db, t.dataDir, { studyInstanceUID: a.studyInstanceUID, seriesInstanceUID: a.seriesInstanceUID });
    t.desk.db.prepare(`UPDATE instances SET instance_number = '10' WHERE id = ?`).run(a.instanceId);
    t.desk.db.prepare(`UPDATE instances SET instance_number = '9', view_position = 'LL' WHERE id = ?`).run(b.instanceId);
    const { items } = await t.call('images.list', { studyInstanceUIDs: [a.studyInstanceUID] });
    expect(items[0]!.series).toHaveLength(1);
    expect(items[0]!.series[0]!.images.map((i) => [i.instanceId, i.instanceNumber, i.viewPosition])).toEqual([
      [b.instanceId, '9', 'LL'],
      [a.instanceId, '10', ''],
    ]);
    expect(items[0]).toMatchObject({ unreviewed: 2, accepted: 0, rejected: 0 });
  });
});
