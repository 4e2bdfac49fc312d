import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatDate, formatDateTime, formatDateTimeSeconds, formatTime } from './format';

// Built from local components, so the expectations hold in any time zone the tests run in.
const morning = new Date(2026, 0, 5, 7, 3, 9).getTime();
const evening = new Date(2025, 11, 31, 23, 59, 58).getTime();

describe('format', () => {
  it('writes dates as dd/MM/yyyy with zero padding', () => {
    expect(formatDate(morning)).toBe('05/01/2026');
    expect(formatDate(evening)).toBe('31/12/2025');
  });

  it('writes times as 24-hour HH:mm', () => {
    expect(formatTime(morning)).toBe('07:03');
    expect(formatTime(evening)).toBe('23:59');
  });

  it('joins date and time, with seconds for the audit log', () => {
    expect(formatDateTime(morning)).toBe('05/01/2026 07:03');
    expect(formatDateTimeSeconds(morning)).toBe('05/01/2026 07:03:09');
    expect(formatDateTimeSeconds(evening)).toBe('31/12/2025 23:59:58');
  });

  it('groups thousands the way each language does', () => {
    expect(formatCount(1234567, 'vi')).toBe('1.234.567');
    expect(formatCount(1234567, 'en')).toBe('1,234,567');
  });

  it('writes sizes in decimal units with the language decimal mark', () => {
    expect(formatBytes(0, 'vi')).toBe('0 B');
    expect(formatBytes(999, 'en')).toBe('999 B');
    expect(formatBytes(1_500_000_000, 'vi')).toBe('1,5 GB');
    expect(formatBytes(1_500_000_000, 'en')).toBe('1.5 GB');
    expect(formatBytes(15_728_640, 'en')).toBe('15.7 MB');
    expect(formatBytes(250_000_000, 'en')).toBe('250 MB');
  });
});
