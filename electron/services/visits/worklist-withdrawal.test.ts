/**
 * Which cached orders a successful worklist answer may withdraw: only those the same query asked
 * about (the day, the modality, the station, with DICOM matching rules), on a real SQLite store.
 * The end-to-end behaviour against Orthanc's worklist is in test/visits/worklist-withdrawal.test.ts.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../store/database';
import { tempDir } from '../../../test/support/temp-dir';
import { matchesQueryKey, withdrawAbsent } from './worklist-withdrawal';

describe('matchesQueryKey (PS3.4 C.2.2.2)', () => {
  it.each([
    ['', 'DX', true],
    ['', '', true],
    ['*', '', true],
    ['DX', 'DX', true],
    [' DX ', 'DX', true],
    ['DX', 'dx', false],
    ['DX', 'CR', false],
    ['DX', '', false],
    ['DX_*', 'DX_ROOM1', true],
    ['DX_*', 'CT_ROOM1', false],
    ['DX_ROOM?', 'DX_ROOM2', true],
    ['DX_ROOM?', 'DX_ROOM12', false],
    ['D.', 'DX', false],
  ])('key %j against %j → %s', (key, value, expected) => {
    expect(matchesQueryKey(key, value)).toBe(expected);
  });
});

describe('withdrawAbsent', () => {
  const DAY = new Date(2026, 0, 15, 9, 0).getTime();
  let dir: ReturnType<typeof tempDir>;
  let db: Db;
  let n = 0;
  afterEach(() => {
    db?.close();
    dir?.remove();
  });

  function setup() {
    dir = tempDir('wl-withdraw-');
    db = openDatabase(join(dir.path, 'desk.sqlite'));
  }
  function visit(id: string, v: { source?: 'worklist' | 'walk-in'; scheduledAt?: number | null; modality?: string; station?: string; withdrawnAt?: number | null } = {}) {
    n++;
    db.prepare(
      `INSERT INTO visits (id, visit_number, source, patient_id, patient_name, scheduled_at, modality, station_aet, withdrawn_at, created_at, updated_at)
       VALUES (?, ?, ?, 'P', 'N', ?, ?, ?, ?, 0, 0)`,
    ).run(id, `20260115-${String(n).padStart(3, '0')}`, v.source ?? 'worklist', v.scheduledAt === undefined ? DAY : v.scheduledAt, v.modality ?? 'DX', v.station ?? 'DX_ROOM1', v.withdrawnAt ?? null);
  }
  const withdrawnAt = (id: string) => db.prepare('SELECT withdrawn_at FROM visits WHERE id = ?').pluck().get(id);

  it('withdraws only the day’s worklist orders the query covers and the answer lacks', () => {
    setup();
    visit('present');
    visit('gone');
    visit('yesterday', { scheduledAt: DAY - 86_400_000 });
    visit('tomorrow', { scheduledAt: DAY + 86_400_000 });
    visit('unscheduled', { scheduledAt: null });
    visit('walk-in', { source: 'walk-in' });
    visit('other-modality', { modality: 'CT' });
    visit('unknown-modality', { modality: '' });
    visit('other-station', { station: 'DX_ROOM2' });
    visit('already', { withdrawnAt: 1 });
    const now = DAY + 3_600_000;
    const gone = withdrawAbsent(db, { modality: 'DX', stationAet: 'DX_ROOM1' }, new Set(['present']), now);
    expect(gone).toEqual(['gone']);
    expect(withdrawnAt('gone')).toBe(now);
    expect(withdrawnAt('present')).toBeNull();
    // Withdrawn earlier: its time is kept.
    expect(withdrawnAt('already')).toBe(1);
  });

  it('a universal station and modality cover every order of the day, an unknown modality included', () => {
    setup();
    visit('a', { modality: 'CT', station: 'CT_1' });
    visit('b', { modality: '', station: '' });
    visit('c');
    expect(withdrawAbsent(db, { modality: '', stationAet: '' }, new Set(['c']), DAY).sort()).toEqual(['a', 'b']);
  });

  it('a wildcard station covers the stations it matches', () => {
    setup();
    visit('room1', { station: 'DX_ROOM1' });
    visit('room2', { station: 'DX_ROOM2' });
    visit('ct', { station: 'CT_ROOM1' });
    expect(withdrawAbsent(db, { modality: 'DX', stationAet: 'DX_*' }, new Set(), DAY).sort()).toEqual(['room1', 'room2']);
  });
});
