import { describe, expect, it } from 'vitest';
import { checkCharset, isValidUid } from './header-fields';
import { Rejection } from './reasons';

describe('isValidUid (PS3.5 §9.1)', () => {
  it('accepts digits and dots without leading zeros, up to 64 characters', () => {
    expect(isValidUid('1.2.840.10008.5.1.4.1.1.1.1')).toBe(true);
    expect(isValidUid('2.25.0')).toBe(true);
    expect(isValidUid(`1.${'2'.repeat(62)}`)).toBe(true);
  });
  it('refuses letters, leading zeros, empty components and more than 64 characters', () => {
    for (const bad of ['', '1.2.abc', '1.02.3', '1..2', '.1.2', '1.2.', '1.2 ', `1.${'2'.repeat(63)}`]) expect(isValidUid(bad), bad).toBe(false);
  });
});

describe('checkCharset', () => {
  it('accepts the default repertoire, UTF-8 and Latin-1', () => {
    expect(checkCharset([])).toBe('');
    expect(checkCharset([''])).toBe('');
    expect(checkCharset(['ISO_IR 192'])).toBe('ISO_IR 192');
    expect(checkCharset(['ISO_IR 100'])).toBe('ISO_IR 100');
  });
  it('refuses unknown terms and code extensions (several values)', () => {
    expect(() => checkCharset(['ISO_IR 999'])).toThrow(Rejection);
    expect(() => checkCharset(['UTF-8'])).toThrow(Rejection);
    expect(() => checkCharset(['', 'ISO 2022 IR 87'])).toThrow(/several character sets/);
  });
});
