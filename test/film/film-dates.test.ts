/** Clinic-local calendar arithmetic (Asia/Ho_Chi_Minh, UTC+7, no DST) against hand-worked instants. */
import { describe, expect, it } from 'vitest';
import {
  addDays,
  formatDateVN,
  formatTimeVN,
  isIsoDate,
  isoToVN,
  localDate,
  localDayRange,
  localMonth,
  startOfLocalDay,
} from '../../shared/film-dates';

describe('film dates', () => {
  it('a Vietnamese day starts at 17:00 UTC the day before', () => {
    expect(startOfLocalDay('2026-01-01')).toBe(Date.UTC(2025, 11, 31, 17, 0, 0));
    expect(localDayRange('2026-01-01', '2026-01-31')).toEqual({
      start: Date.UTC(2025, 11, 31, 17),
      end: Date.UTC(2026, 0, 31, 17),
    });
  });

  it('puts late-evening instants on the local day and month', () => {
    const t = Date.UTC(2026, 0, 31, 16, 59, 59, 999); // 23:59:59.999 on 31/01 in Vietnam
    expect(localDate(t)).toBe('2026-01-31');
    expect(localDate(t + 1)).toBe('2026-02-01');
    expect(localMonth(t + 1)).toBe('2026-02');
    expect(formatDateVN(t)).toBe('31/01/2026');
    expect(formatTimeVN(t + 1)).toBe('00:00');
  });

  it('works the same for another zone with DST (the offset comes from the IANA zone)', () => {
    // Europe/Paris switched to summer time on 2026-03-29 at 02:00 local (01:00 UTC).
    expect(startOfLocalDay('2026-03-29', 'Europe/Paris')).toBe(Date.UTC(2026, 2, 28, 23));
    expect(startOfLocalDay('2026-03-30', 'Europe/Paris')).toBe(Date.UTC(2026, 2, 29, 22));
  });

  it('validates and shifts calendar dates', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('2025-1-05')).toBe(false);
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(isoToVN('2026-01-05')).toBe('05/01/2026');
    expect(isoToVN('2026-01')).toBe('01/2026');
    expect(() => startOfLocalDay('2026-13-01')).toThrow(RangeError);
  });
});
