import { describe, expect, it } from 'vitest';
import { isTemporaryName } from './folder-watcher';
import { safeFileName } from './durable-fs';

describe('safeFileName', () => {
  it('keeps a plain name and strips paths, dots, reserved characters and diacritics', () => {
    expect(safeFileName('IMG0001.dcm')).toBe('IMG0001.dcm');
    expect(safeFileName('..\\..\\evil.dcm')).toBe('evil.dcm');
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('..')).toBe('file');
    expect(safeFileName('a..b.dcm')).toBe('a.b.dcm');
    expect(safeFileName('NGUYỄN VĂN AN:1?.dcm')).toBe('NGUYEN_VAN_AN_1_.dcm');
    expect(safeFileName('x'.repeat(200)).length).toBe(80);
  });
});

describe('isTemporaryName', () => {
  it('recognises copier and editor temporaries and dotfiles', () => {
    for (const n of ['.a.dcm', 'a.dcm.part', 'a.tmp', 'A.TMP', '~a.dcm', 'a.dcm~', 'a.crdownload', 'a.filepart', 'Thumbs.db']) expect(isTemporaryName(n), n).toBe(true);
  });
  it('takes ordinary DICOM names, with or without an extension', () => {
    for (const n of ['IMG0001.dcm', 'IM000001', 'CON.dcm', 'a..b.dcm', 'NUL']) expect(isTemporaryName(n), n).toBe(false);
  });
});
