import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openDatabase, type Db } from '../store/database';
import { tempDir } from '../../../test/support/temp-dir';
import { createOutboxStore } from './outbox-store';

function seed(db: Db, n: number, status = 'pending'): void {
  db.prepare(`INSERT INTO studies (study_uid, first_received_at, last_received_at) VALUES ('1.2.3', 0, 0)`).run();
  db.prepare(`INSERT INTO series (series_uid, study_uid) VALUES ('1.2.3.1', '1.2.3')`).run();
  for (let i = 1; i <= n; i++) {
    db.prepare(
      `INSERT INTO instances (id, sop_instance_uid, sop_class_uid, series_uid, study_uid, transfer_syntax_uid, file_path, size, sha256, source, source_name, received_at)
       VALUES (?, ?, '1.2.840.10008.5.1.4.1.1.1.1', '1.2.3.1', '1.2.3', '1.2.840.10008.1.2.1', ?, ?, 'x', 'folder', 'f', 0)`,
    ).run(i, `1.2.3.1.${i}`, `f${i}.dcm`, 1000 * i);
    db.prepare(`INSERT INTO outbox (instance_id, status, available_at) VALUES (?, ?, 0)`).run(i, status);
  }
}

describe('outbox store', () => {
  const dirs: ReturnType<typeof tempDir>[] = [];
  const open = () => {
    const d = tempDir('raddesk-outbox-');
    dirs.push(d);
    return openDatabase(join(d.path, 'desk.sqlite'));
  };
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

  it('never claims a rejected image; with requireQa a study waits until every image is reviewed', () => {
    const db = open();
    seed(db, 3);
    db.prepare(`UPDATE instances SET qa_decision = 'rejected', qa_reason = '113001' WHERE id = 1`).run();
    db.prepare(`UPDATE instances SET qa_decision = 'accepted' WHERE id = 2`).run();
    const s = createOutboxStore(db);
    // Instance 3 is unreviewed: the study is held back under requireQa.
    expect(s.claim('1:a', 10, 100, 16, 1e9, true)).toEqual([]);
    db.prepare(`UPDATE instances SET qa_decision = 'accepted' WHERE id = 3`).run();
    expect(s.claim('1:a', 10, 100, 16, 1e9, true).map((r) => r.instanceId)).toEqual([2, 3]);
    expect(s.claim('1:b', 10, 100, 16, 1e9, false)).toEqual([]);
    db.close();
  });

  it('claims ready rows once, within the batch byte limit (the first row always fits)', () => {
    const db = open();
    seed(db, 5);
    const s = createOutboxStore(db);
    expect(s.claim('1:a', 10, 100, 16, 3500).map((r) => r.instanceId)).toEqual([1, 2]);
    expect(s.claim('1:b', 10, 100, 16, 100).map((r) => r.instanceId)).toEqual([3]);
    expect(s.claim('1:b', 10, 100, 1, 1e9).map((r) => r.instanceId)).toEqual([4]);
    db.prepare(`UPDATE outbox SET available_at = 50 WHERE instance_id = 5`).run();
    expect(s.claim('1:b', 10, 100, 16, 1e9)).toEqual([]);
    expect(s.statusCounts()).toMatchObject({ counts: { sending: 4, pending: 1 }, bytesPending: 15_000, studiesWaiting: 1 });
    db.close();
  });

  it('takes back the leases of dead or expired runs, never those of a live run', () => {
    const db = open();
    seed(db, 4);
    const s = createOutboxStore(db);
    s.claim('100:dead', 0, 1000, 1, 1e9);
    s.claim('200:alive', 0, 1000, 1, 1e9);
    s.claim('300:expired', 0, 50, 1, 1e9);
    s.claim('me', 0, 10, 1, 1e9);
    const alive = (owner: string) => owner !== '100:dead';
    expect(s.recoverLeases('me', 60, alive)).toBe(2);
    const rows = db.prepare(`SELECT instance_id AS id, status, lease_owner AS owner FROM outbox ORDER BY instance_id`).all();
    expect(rows).toEqual([
      { id: 1, status: 'pending', owner: null },
      { id: 2, status: 'sending', owner: '200:alive' },
      { id: 3, status: 'pending', owner: null },
      // Our own lease, even expired, is ours to finish.
      { id: 4, status: 'sending', owner: 'me' },
    ]);
    // A verdict only lands on a row its writer still holds.
    s.markSent('me', [2], 70, 70);
    expect(db.prepare(`SELECT status FROM outbox WHERE instance_id = 2`).get()).toEqual({ status: 'sending' });
    db.close();
  });

  it('release, retry and promotion of released studies', () => {
    const db = open();
    seed(db, 3, 'held');
    const s = createOutboxStore(db);
    expect(s.promoteReleased(5)).toBe(0);
    expect(s.releaseStudies(['1.2.3'], 5)).toBe(3);
    expect(db.prepare(`SELECT released_at FROM studies`).get()).toEqual({ released_at: 5 });
    const [a, b] = s.claim('me', 5, 100, 2, 1e9);
    s.markFailed('me', a!.instanceId, { code: 'PACS_REJECTED', params: { detail: 'C000 cannot understand' } });
    s.markRetry('me', b!.instanceId, { code: 'PACS_REJECTED', params: { detail: 'A700 out of resources' } }, 500);
    expect(s.studies({ unresolvedOnly: true, limit: 5, offset: 0 }).items[0]).toMatchObject({
      counts: { failed: 1, pending: 2 },
      lastError: { code: 'PACS_REJECTED', params: { detail: 'C000 cannot understand' } },
      nextAttemptAt: 5,
    });
    expect(s.retry(10, [])).toBe(0);
    expect(s.retry(10)).toBe(2);
    expect(db.prepare(`SELECT status, attempts, available_at AS at FROM outbox ORDER BY instance_id`).all()).toEqual([
      { status: 'pending', attempts: 0, at: 10 },
      { status: 'pending', attempts: 1, at: 10 },
      { status: 'pending', attempts: 0, at: 5 },
    ]);
    db.close();
  });
});
