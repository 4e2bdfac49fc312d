/** The SQL and TS forms of the study state agree on every combination that matters. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './database';
import { deriveStudyState, NEW_STUDY_WINDOW_MS, studyStateOf, type OutboxStatus } from './study-state';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'study-state-'));
const db = openDatabase(path.join(dir, 'desk.sqlite'));
afterAll(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const NOW = Date.UTC(2026, 0, 15, 9, 0, 0);
let n = 0;

function seed(statuses: OutboxStatus[], visit: boolean, released: boolean, lastReceivedAt: number): string {
  const uid = `1.2.3.${++n}`;
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
  statuses.forEach((status, i) => {
    const id = Number(
      db
        .prepare(
          `INSERT INTO instances (sop_instance_uid, sop_class_uid, series_uid, study_uid, transfer_syntax_uid, file_path, size, sha256, source, source_name, received_at)
           VALUES (?, '1.2', ?, ?, '1.2.840.10008.1.2.1', 'x', 1, 'h', 'folder', 'f', 0)`,
        )
        .run(`${uid}.1.${i}`, `${uid}.1`, uid).lastInsertRowid,
    );
    // Inserted held, then set: other capabilities' triggers may adjust a new row's status on insert.
    db.prepare("INSERT INTO outbox (instance_id, status) VALUES (?, 'held')").run(id);
    db.prepare('UPDATE outbox SET status = ? WHERE instance_id = ?').run(status, id);
  });
  return uid;
}

describe('study state', () => {
  const cases: Array<[OutboxStatus[], boolean, boolean, number]> = [];
  const lists: OutboxStatus[][] = [['held'], ['held', 'held'], ['pending'], ['held', 'sending'], ['sent', 'held'], ['sent', 'verified'], ['purged'], ['verified', 'failed'], ['failed']];
  for (const l of lists) for (const visit of [false, true]) for (const released of [false, true]) for (const age of [0, NEW_STUDY_WINDOW_MS + 1]) cases.push([l, visit, released, NOW - age]);

  it('SQL and TS derive the same state for every combination', () => {
    for (const [statuses, visit, released, last] of cases) {
      const uid = seed(statuses, visit, released, last);
      const ts = deriveStudyState({ outboxStatuses: statuses, visitId: visit ? 'v' : null, releasedAt: released ? NOW : null, lastReceivedAt: last }, NOW);
      expect(studyStateOf(db, uid, NOW), JSON.stringify({ statuses, visit, released, last })).toBe(ts);
    }
  });

  it('follows the precedence error > in-pacs > sending > ready > new > needs-visit', () => {
    const st = (s: OutboxStatus[], visit = false, age = 0) => deriveStudyState({ outboxStatuses: s, visitId: visit ? 'v' : null, releasedAt: null, lastReceivedAt: NOW - age }, NOW);
    expect(st(['verified', 'failed'])).toBe('error');
    expect(st(['sent', 'verified', 'purged'])).toBe('in-pacs');
    expect(st(['sent', 'held'])).toBe('sending');
    expect(st(['held'], true)).toBe('ready');
    expect(st(['held'])).toBe('new');
    expect(st(['held'], false, NEW_STUDY_WINDOW_MS + 1)).toBe('needs-visit');
  });

  it('is null for an unknown study', () => {
    expect(studyStateOf(db, '9.9.9', NOW)).toBeNull();
  });
});
