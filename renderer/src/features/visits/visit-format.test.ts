import { describe, expect, it } from 'vitest';
import { formatBirthDate, isoDay, isoDayToDisplay, parseBirthDate, parseDisplayDay, personName, shiftDay } from './visit-format';

describe('visit formats', () => {
  it('reads dd/MM/yyyy days and refuses impossible ones', () => {
    expect(parseDisplayDay('05/01/2026')).toBe('2026-01-05');
    expect(parseDisplayDay('5/1/2026')).toBe('2026-01-05');
    expect(parseDisplayDay('29.02.2024')).toBe('2024-02-29');
    expect(parseDisplayDay('29/02/2025')).toBeNull();
    expect(parseDisplayDay('2026-01-05')).toBeNull();
    expect(isoDayToDisplay('2026-01-05')).toBe('05/01/2026');
  });

  it('turns a typed birth date into DICOM DA or a year', () => {
    const today = '2026-03-10';
    expect(parseBirthDate('12/03/1985', today)).toBe('19850312');
    expect(parseBirthDate(' 1985 ', today)).toBe('1985');
    expect(parseBirthDate('31/04/1985', today)).toBeNull();
    expect(parseBirthDate('11/03/2026', today)).toBeNull();
    expect(parseBirthDate('2027', today)).toBeNull();
    expect(parseBirthDate('85', today)).toBeNull();
    expect(formatBirthDate('19850312')).toBe('12/03/1985');
    expect(formatBirthDate('1985')).toBe('1985');
  });

  it('moves across month ends and keeps local days', () => {
    expect(shiftDay('2026-01-31', 1)).toBe('2026-02-01');
    expect(shiftDay('2026-03-01', -1)).toBe('2026-02-28');
    expect(isoDay(new Date(2026, 0, 5, 23, 59).getTime())).toBe('2026-01-05');
  });

  it('shows a PN with spaces for carets and nothing else changed', () => {
    expect(personName('NGUYỄN^VĂN AN')).toBe('NGUYỄN VĂN AN');
    expect(personName('Lê Thị Hồng Nhung')).toBe('Lê Thị Hồng Nhung');
    expect(personName('TRẦN^^^')).toBe('TRẦN');
  });
});
