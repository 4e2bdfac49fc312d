import { describe, expect, it } from 'vitest';
import { ageAt, formatDa, formatTm, sexCode, todayDa } from './dicom-text';

describe('DICOM values for display', () => {
  it('writes DA as dd/MM/yyyy and TM as HH:mm', () => {
    expect(formatDa('19800115')).toBe('15/01/1980');
    expect(formatDa('')).toBe('');
    expect(formatDa('1980')).toBe('1980');
    expect(formatTm('071309.123')).toBe('07:13');
    expect(formatTm('0713')).toBe('07:13');
    expect(formatTm('07')).toBe('07:00');
  });

  it('counts age in years on the study date, in months under two', () => {
    expect(ageAt('19800115', '20260114')).toEqual({ value: 45, unit: 'years' });
    expect(ageAt('19800115', '20260115')).toEqual({ value: 46, unit: 'years' });
    expect(ageAt('20250301', '20260115')).toEqual({ value: 10, unit: 'months' });
    expect(ageAt('', '20260115')).toBeNull();
    expect(ageAt('20270101', '20260115')).toBeNull();
  });

  it('keeps only the three PatientSex codes', () => {
    expect(sexCode('f ')).toBe('F');
    expect(sexCode('X')).toBe('');
  });

  it('writes today as DA', () => {
    expect(todayDa(new Date(2026, 0, 5))).toBe('20260105');
  });
});
