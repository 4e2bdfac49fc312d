import { describe, expect, it } from 'vitest';
import { createSettingsStore, deepMerge } from './settings-store';
import { confSettingsStorage } from './conf-storage';
import { tempDir } from '../../../test/support/temp-dir';

describe('settings store', () => {
  it('deep-merges a partial update and keeps it across a restart', () => {
    const dir = tempDir();
    const a = createSettingsStore(confSettingsStorage(dir.path));
    a.update({ pacs: { dicomwebUrl: 'http://127.0.0.1:8042/dicom-web' } });
    a.update({ pacs: { username: 'desk' }, clinic: { name: 'Phòng khám Đa khoa Hồng Đức' } });
    const b = createSettingsStore(confSettingsStorage(dir.path));
    expect(b.get().pacs.dicomwebUrl).toBe('http://127.0.0.1:8042/dicom-web');
    expect(b.get().pacs.username).toBe('desk');
    expect(b.get().clinic.name).toBe('Phòng khám Đa khoa Hồng Đức');
    expect(b.get().printer.widthDots).toBe(576);
    dir.remove();
  });

  it('validates the whole result and keeps the old value when invalid', () => {
    const dir = tempDir();
    const s = createSettingsStore(confSettingsStorage(dir.path));
    expect(() => s.update({ pacs: { dicomwebUrl: 'ftp://x' } })).toThrow();
    expect(s.get().pacs.dicomwebUrl).toBe('');
    dir.remove();
  });

  it('replaces arrays instead of merging them', () => {
    expect(deepMerge({ a: [1, 2], b: { c: 1, d: 2 } }, { a: [3], b: { d: 5 } })).toEqual({ a: [3], b: { c: 1, d: 5 } });
  });
});
