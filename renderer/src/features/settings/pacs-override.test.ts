import { describe, expect, it } from 'vitest';
import { pacsOverrideFromDraft } from './pacs-override';

describe('PACS values to test from the settings form', () => {
  const base = {
    'pacs.dicomwebUrl': ' http://127.0.0.1:8042/dicom-web ',
    'pacs.username': 'desk',
    'pacs.password': { action: 'keep' as const, value: '' },
    'pacs.bearerToken': { action: 'replace' as const, value: 'tok' },
    'pacs.caFile': '',
    'pacs.timeoutMs': '5000',
    'pacs.concurrency': '4',
  };

  it('sends what is typed, leaves kept secrets to the core and ignores other keys', () => {
    expect(pacsOverrideFromDraft(base)).toEqual({
      dicomwebUrl: 'http://127.0.0.1:8042/dicom-web',
      username: 'desk',
      bearerToken: 'tok',
      caFile: '',
      timeoutMs: 5000,
    });
  });

  it('sends a cleared secret as empty and drops a timeout that would be refused', () => {
    const out = pacsOverrideFromDraft({ ...base, 'pacs.password': { action: 'clear', value: '' }, 'pacs.timeoutMs': '12s' });
    expect(out.password).toBe('');
    expect('timeoutMs' in out).toBe(false);
    expect('timeoutMs' in pacsOverrideFromDraft({ ...base, 'pacs.timeoutMs': '10' })).toBe(false);
  });
});
