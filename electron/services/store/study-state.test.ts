/**
 * The study state against real SQLite: the SQL and TS forms agree on every combination that
 * matters, rejected images do not count, and under review.requireQa a study the QA gate holds
 * back is never "ready".
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './database';
import { listStudies } from './studies-repo';
import { deriveStudyState, NEW_STUDY_WINDOW_MS, studyStateOf, type OutboxStatus } from './study-state';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'study-state-'));
const db = openDatabase(path.join(dir, 'desk.sqlite'));
afterAll(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const NOW = Date.UTC(2026, 0, 15, 9, 0, 0);
let n = 0;

type Decision = 'accepted' | 'rejected' | null;
/** One image: its outbox status and QA decision. */
type Image = [OutboxStatus, Decision];

interface Seed {
  images: Image[];
  visit?: boolean;
  released?: boolean;
  /** Milliseconds since the last image arrived. */
  age?: number;
}

function seed({ images, visit = false, released = false, age = 0 }: Seed): string {
  const uid = `1.2.3.${++n}`;
  const lastReceivedAt = NOW - age;
  if (visit) {
    db.prepare(
      `INSERT INTO visits (id, visit_number, source, patient_id, patient_name, created_at, updated_at) VALUES (?, ?, 'walk-in', 'P', 'N', 0, 0)`,
    ).run(`v${n}`, `V${n}`);
  }
  db.prepare('INSERT INTO studies (study_uid, released_at, first_received_at, last_received_at, visit_id) VALUES (?, ?, ?, ?, ?)').run(
    uid,
    released ? NOW : null,
    lastReceivedAt,
    lastReceivedAt,
    visit ? `v${n}` : null,
  );
  db.prepare('INSERT INTO series (series_uid, study_uid) VALUES (?, ?)').run(`${uid}.1`, uid);
  images.forEach(([status, decision], i) => {
    const id = Number(
      db
        .prepare(
          `INSERT INTO instances (sop_instance_uid, sop_class_uid, series_uid, study_uid, transfer_syntax_uid, file_path, size, sha256, source, source_name, received_at,
                                  qa_decision, qa_reason)
           VALUES (?, '1.2', ?, ?, '1.2.840.10008.1.2.1', 'x', 1, 'h', 'folder', 'f', 0, ?, ?)`,
        )
        .run(`${uid}.1.${i}`, `${uid}.1`, uid, decision, decision === 'rejected' ? '113001' : null).lastInsertRowid,
    );
    // Inserted held, then set: other capabilities' triggers may adjust a new row's status on insert.
    db.prepare("INSERT INTO outbox (instance_id, status) VALUES (?, 'held')").run(id);
    db.prepare('UPDATE outbox SET status = ? WHERE instance_id = ?').run(status, id);
  });
  return uid;
}

/**
 * The expected state, stated independently of the SQL: rejected images are left out, and under
 * requireQa an image not reviewed holds back every image of the study that has not left yet.
 */
function expected(s: Seed, requireQa: boolean): ReturnType<typeof deriveStudyState> {
  const counted = s.images.filter(([, d]) => d !== 'rejected');
  const rejected = s.images.length - counted.length;
  const unreviewed = s.images.some(([, d]) => d === null);
  const waiting = counted.some(([st]) => st === 'held' || st === 'pending');
  return deriveStudyState(
    {
      outboxStatuses: counted.map(([st]) => st),
      qaHeld: requireQa && unreviewed && waiting,
      rejected,
      visitId: s.visit ? 'v' : null,
      releasedAt: s.released ? NOW : null,
      lastReceivedAt: NOW - (s.age ?? 0),
    },
    NOW,
  );
}

describe('study state', () => {
  const lists: Image[][] = [
    [['held', null]],
    [['held', null], ['held', 'accepted']],
    [['held', 'accepted']],
    [['held', 'rejected']],
    [['held', 'rejected'], ['pending', 'rejected']],
    [['pending', null]],
    [['pending', 'accepted'], ['held', 'rejected']],
    [['held', null], ['sending', 'accepted']],
    [['sent', 'accepted'], ['held', 'rejected']],
    [['sent', null], ['pending', null]],
    [['sent', null], ['verified', 'accepted']],
    [['purged', null]],
    [['verified', 'accepted'], ['failed', 'rejected']],
    [['verified', null], ['failed', null]],
    [['failed', 'accepted']],
  ];

  it('SQL and TS derive the same state for every combination', () => {
    for (const images of lists)
      for (const visit of [false, true])
        for (const released of [false, true])
          for (const age of [0, NEW_STUDY_WINDOW_MS + 1]) {
            const s: Seed = { images, visit, released, age };
            const uid = seed(s);
            for (const requireQa of [false, true]) expect(studyStateOf(db, uid, NOW, requireQa), JSON.stringify({ ...s, requireQa })).toBe(expected(s, requireQa));
          }
  });

  it('follows the precedence error > in-pacs > all-rejected > needs-review > sending > ready > new > needs-visit', () => {
    const st = (s: OutboxStatus[], { visit = false, age = 0, qaHeld = false, rejected = 0 } = {}) =>
      deriveStudyState({ outboxStatuses: s, qaHeld, rejected, visitId: visit ? 'v' : null, releasedAt: null, lastReceivedAt: NOW - age }, NOW);
    expect(st(['verified', 'failed'], { qaHeld: true })).toBe('error');
    expect(st(['sent', 'verified', 'purged'])).toBe('in-pacs');
    expect(st(['sent'], { rejected: 2 })).toBe('in-pacs');
    expect(st([], { visit: true, rejected: 2 })).toBe('all-rejected');
    expect(st([], { rejected: 1, age: NEW_STUDY_WINDOW_MS + 1 })).toBe('all-rejected');
    expect(st(['sent', 'pending'], { qaHeld: true })).toBe('needs-review');
    expect(st(['held'], { visit: true, qaHeld: true })).toBe('needs-review');
    expect(st(['sent', 'held'])).toBe('sending');
    expect(st(['held'], { visit: true })).toBe('ready');
    expect(st(['held'], { qaHeld: true })).toBe('new');
    expect(st(['held'])).toBe('new');
    expect(st(['held'], { age: NEW_STUDY_WINDOW_MS + 1 })).toBe('needs-visit');
  });

  it('is null for an unknown study', () => {
    expect(studyStateOf(db, '9.9.9', NOW, false)).toBeNull();
  });
});

describe('rejected images do not count', () => {
  it('a study whose only images not yet sent are rejected is in the PACS, not still sending', () => {
    const uid = seed({ images: [['verified', 'accepted'], ['held', 'rejected'], ['pending', 'rejected']], visit: true });
    expect(studyStateOf(db, uid, NOW, false)).toBe('in-pacs');
    expect(studyStateOf(db, uid, NOW, true)).toBe('in-pacs');
  });

  it('a rejected image that failed to send is no error', () => {
    const uid = seed({ images: [['sent', null], ['failed', 'rejected']], visit: true });
    expect(studyStateOf(db, uid, NOW, false)).toBe('in-pacs');
  });

  it('a rejected image does not keep an attached study sending', () => {
    const uid = seed({ images: [['held', 'accepted'], ['pending', 'rejected']], visit: true });
    expect(studyStateOf(db, uid, NOW, false)).toBe('ready');
  });
});

describe('with review.requireQa', () => {
  it('an attached study with an image not reviewed needs review, not "ready"; reviewed, it is ready', () => {
    const uid = seed({ images: [['held', 'accepted'], ['held', null]], visit: true });
    expect(studyStateOf(db, uid, NOW, false)).toBe('ready');
    expect(studyStateOf(db, uid, NOW, true)).toBe('needs-review');
    db.prepare("UPDATE instances SET qa_decision = 'rejected', qa_reason = '113001' WHERE study_uid = ? AND qa_decision IS NULL").run(uid);
    expect(studyStateOf(db, uid, NOW, true)).toBe('ready');
  });

  it('a released study the sender may not take yet needs review, not "sending"', () => {
    const uid = seed({ images: [['sent', 'accepted'], ['pending', null]], released: true });
    expect(studyStateOf(db, uid, NOW, false)).toBe('sending');
    expect(studyStateOf(db, uid, NOW, true)).toBe('needs-review');
  });

  it('before a visit is attached, the visit is what the study waits for', () => {
    expect(studyStateOf(db, seed({ images: [['held', null]] }), NOW, true)).toBe('new');
    expect(studyStateOf(db, seed({ images: [['held', null]], age: NEW_STUDY_WINDOW_MS + 1 }), NOW, true)).toBe('needs-visit');
  });

  it('the inbox lists and filters by it', () => {
    const uid = seed({ images: [['held', null]], visit: true, age: -1 });
    const first = (requireQa: boolean) => listStudies(db, { limit: 1, offset: 0 }, NOW, requireQa).items[0]!;
    expect(first(false)).toMatchObject({ studyInstanceUID: uid, state: 'ready' });
    expect(first(true)).toMatchObject({ studyInstanceUID: uid, state: 'needs-review' });
    const waiting = listStudies(db, { state: 'needs-review', limit: 500, offset: 0 }, NOW, true).items.map((s) => s.studyInstanceUID);
    expect(waiting).toContain(uid);
    expect(listStudies(db, { state: 'needs-review', limit: 500, offset: 0 }, NOW, false).total).toBe(0);
  });
});
