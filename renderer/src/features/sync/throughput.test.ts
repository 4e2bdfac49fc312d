import { describe, expect, it } from 'vitest';
import type { StudySync, SyncProgress } from '../../../../shared/contract/sync';
import { addProgress, etaSeconds, formatDuration, liveRate, NO_PROGRESS, rowProgress, STALE_MS } from './throughput';

const uid = '1.2.3';
const progress = (bytesDone: number, etaSecondsLeft: number | null = 10): SyncProgress => ({
  studyInstanceUID: uid,
  sent: bytesDone / 100,
  total: 10,
  bytesDone,
  bytesTotal: 1000,
  bytesPerSecond: 50,
  etaSeconds: etaSecondsLeft,
});
const row: StudySync = {
  studyInstanceUID: uid,
  patientName: '',
  patientID: '',
  accessionNumber: '',
  studyDate: '',
  releasedAt: 1,
  counts: { held: 0, pending: 8, sending: 0, sent: 2, verified: 0, failed: 0, purged: 0 },
  total: 10,
  bytesTotal: 1000,
  bytesDone: 200,
  progress: 0.2,
  lastError: null,
  nextAttemptAt: null,
};

describe('live sync progress', () => {
  it('takes the throughput of the latest event, until it goes stale', () => {
    const s = addProgress(NO_PROGRESS, progress(300), 1000);
    expect(liveRate(s, 1000 + STALE_MS)).toBe(50);
    expect(liveRate(s, 1001 + STALE_MS)).toBeNull();
    expect(etaSeconds(500, 50)).toBe(10);
    expect(etaSeconds(500, null)).toBeNull();
  });

  it('moves a bar with events newer than the list, and counts its ETA down', () => {
    const s = addProgress(NO_PROGRESS, progress(500, 10), 5000);
    const p = rowProgress(row, s, 4000, 7000);
    expect(p.fraction).toBe(0.5);
    expect(p.sent).toBe(5);
    expect(p.eta).toBe(8);
    // A list fetched after the event wins.
    expect(rowProgress(row, s, 6000, 7000).fraction).toBe(0.2);
    expect(rowProgress(row, NO_PROGRESS, 0, 7000)).toMatchObject({ fraction: 0.2, sent: 2, eta: null });
  });

  it('writes durations in both languages', () => {
    expect(formatDuration(3725, 'vi')).toBe('1 giờ 2 phút');
    expect(formatDuration(125, 'en')).toBe('2 min 5 s');
    expect(formatDuration(0.2, 'vi')).toBe('< 1 giây');
    expect(formatDuration(60, 'en')).toBe('1 min');
  });
});
