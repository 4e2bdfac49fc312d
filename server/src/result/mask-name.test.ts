import { describe, expect, it } from 'vitest';
import { maskName } from './mask-name';

describe('maskName', () => {
  it('keeps the family name and the first letter of each other word', () => {
    expect(maskName('NGUYỄN VĂN AN')).toBe('NGUYỄN V** A*');
    expect(maskName('Trần Thị Ánh Nguyệt')).toBe('Trần T** Á** N*****');
  });
  it('counts a decomposed Vietnamese letter as one (NFC)', () => {
    expect(maskName('LÊ ÂN'.normalize('NFD'))).toBe('LÊ Â*');
  });
  it('treats DICOM ^ separators as spaces and tolerates odd spacing', () => {
    expect(maskName('NGUYEN^VAN^AN')).toBe('NGUYEN V** A*');
    expect(maskName('  PHẠM   BÌNH ')).toBe('PHẠM B***');
    expect(maskName('')).toBe('');
  });
});
