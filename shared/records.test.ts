import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { parseRecord, recordsBatchSchema, MAX_RECORDS_PER_BATCH } from './records';
import { auditRecord, filmApproval, filmRecord, filmVoid, newToken, revocationRecord, slipRecord } from '../server/test/support/fixtures';

describe('records batch schema', () => {
  it('accepts one record of every kind', () => {
    const t = newToken();
    const f = filmRecord();
    for (const r of [slipRecord(t), revocationRecord(t, 1), f, filmVoid(f.id, 2), filmApproval(f.id, 3), auditRecord(1, 1)]) {
      const p = parseRecord(r);
      expect(p.ok, JSON.stringify(p)).toBe(true);
    }
  });

  it('rejects a bad record with its id and the offending path', () => {
    const bad = slipRecord(newToken());
    (bad.payload as { tokenHash: string }).tokenHash = 'nope';
    expect(parseRecord(bad)).toEqual({ ok: false, id: bad.id, error: expect.stringMatching(/^payload\.tokenHash:/) });
    expect(parseRecord({ id: 'not-a-uuid', kind: 'slip', payload: {} })).toMatchObject({ ok: false, id: 'not-a-uuid', error: expect.stringMatching(/^id:/) });
    expect(parseRecord({ id: randomUUID(), kind: 'gossip', payload: {} })).toMatchObject({ ok: false, error: expect.stringMatching(/^kind:/) });
    expect(parseRecord(42)).toMatchObject({ ok: false, id: null });
  });

  it('needs a 4-digit birth year when the slip asks for it, and valid study UIDs', () => {
    expect(parseRecord(slipRecord(newToken(), { requireBirthYear: true, patient: { name: 'A', birthYear: null, sex: '' } }))).toMatchObject({ ok: false, error: /birthYear/ });
    expect(parseRecord(slipRecord(newToken(), { studyInstanceUIDs: ['1.2.03'] }))).toMatchObject({ ok: false, error: /studyInstanceUIDs/ });
    expect(parseRecord(slipRecord(newToken(), { studyInstanceUIDs: ['1.2.840.10008.1'] })).ok).toBe(true);
  });

  it('keeps fields a newer desk adds to an audit record', () => {
    const r = auditRecord(7, 1);
    (r.payload as Record<string, unknown>).newField = 'kept';
    const p = parseRecord(r);
    expect(p.ok && (p.record.payload as Record<string, unknown>).newField).toBe('kept');
  });

  it('bounds the batch size', () => {
    expect(recordsBatchSchema.safeParse({ records: [] }).success).toBe(false);
    expect(recordsBatchSchema.safeParse({ records: Array(MAX_RECORDS_PER_BATCH + 1).fill({}) }).success).toBe(false);
  });
});
