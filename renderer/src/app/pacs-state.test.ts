import { describe, expect, it } from 'vitest';
import { pacsState, readSyncSummary } from './pacs-state';

const status = { online: false, pending: 40, sending: 2, sent: 10, verified: 9, failed: 1, bytesPending: 630_000_000, lastError: null };

describe('PACS state for the status bar', () => {
  it('waits for settings before saying anything', () => {
    expect(pacsState(undefined, null)).toEqual({ kind: 'loading' });
  });

  it('says "not configured" when the URL is empty, with or without a sync capability', () => {
    expect(pacsState('', null)).toEqual({ kind: 'not-configured', sync: null });
    expect(pacsState('', undefined)).toEqual({ kind: 'not-configured', sync: null });
    expect(pacsState('', status)).toMatchObject({ kind: 'not-configured', sync: { waiting: 42 } });
  });

  it('does not claim online or offline when this build has no sync.status', () => {
    expect(pacsState('http://pacs/dicom-web', null)).toEqual({ kind: 'configured' });
    expect(pacsState('http://pacs/dicom-web', undefined)).toEqual({ kind: 'loading' });
  });

  it('reports online/offline and the outbox from sync.status', () => {
    expect(pacsState('http://pacs/dicom-web', status)).toEqual({
      kind: 'offline',
      sync: { online: false, waiting: 42, failed: 1, bytesPending: 630_000_000 },
    });
    expect(pacsState('http://pacs/dicom-web', { ...status, online: true }).kind).toBe('online');
  });

  it('reads only what it recognises from the untyped value', () => {
    expect(readSyncSummary({ pending: 3 })).toBeNull();
    expect(readSyncSummary('nope')).toBeNull();
    expect(readSyncSummary({ online: true })).toEqual({ online: true, waiting: 0, failed: 0, bytesPending: 0 });
  });
});
