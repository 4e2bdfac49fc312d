import { describe, expect, it } from 'vitest';
import { pickLanguage } from './bilingual-text';

describe('quarantine message in the UI language', () => {
  it('takes the half in the current language', () => {
    const m = 'Không phải tệp DICOM (offset 0) / Not a DICOM file (offset 0)';
    expect(pickLanguage(m, 'vi')).toBe('Không phải tệp DICOM (offset 0)');
    expect(pickLanguage(m, 'en')).toBe('Not a DICOM file (offset 0)');
  });

  it('shows the whole message when it does not split in exactly two', () => {
    expect(pickLanguage('a / b / c / d', 'en')).toBe('a / b / c / d');
    expect(pickLanguage('only one', 'vi')).toBe('only one');
  });
});
