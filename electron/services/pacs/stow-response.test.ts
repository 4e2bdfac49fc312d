import { describe, expect, it } from 'vitest';
import { failureIsRetryable, outcomesFor, parseStowResponse } from './stow-response';

const ref = (uid: string, warning?: number) => ({
  '00081150': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.1.1'] },
  '00081155': { vr: 'UI', Value: [uid] },
  ...(warning !== undefined ? { '00081196': { vr: 'US', Value: [warning] } } : {}),
});
const failed = (uid: string, reason: number) => ({ '00081155': { vr: 'UI', Value: [uid] }, '00081197': { vr: 'US', Value: [reason] } });
const body = (stored: object[], failures: object[]) =>
  JSON.stringify({ '00081199': { vr: 'SQ', Value: stored }, '00081198': { vr: 'SQ', ...(failures.length ? { Value: failures } : {}) } });

describe('STOW-RS response (PS3.18 §10.5.3)', () => {
  it('reads ReferencedSOPSequence and FailedSOPSequence per instance', () => {
    const lists = parseStowResponse(body([ref('1.1', 0xb000), ref('1.2')], [failed('1.3', 0xc000), failed('1.4', 0xa700)]));
    expect([...lists.stored]).toEqual([
      ['1.1', 0xb000],
      ['1.2', null],
    ]);
    expect([...lists.failed]).toEqual([
      ['1.3', 0xc000],
      ['1.4', 0xa700],
    ]);
  });

  it('judges each instance: listed first, then by status when unlisted', () => {
    const lists = parseStowResponse(body([ref('1.1')], [failed('1.3', 0xc000), failed('1.4', 0xa701)]));
    const out = outcomesFor(['1.1', '1.2', '1.3', '1.4'], lists, 202);
    expect(out.get('1.1')).toMatchObject({ kind: 'stored' });
    // 202 but not listed: the PACS did not confirm it; send again (bounded by the attempt budget).
    expect(out.get('1.2')).toMatchObject({ kind: 'failed', listed: false, retryable: true, error: { code: 'PACS_NOT_ACKNOWLEDGED' } });
    expect(out.get('1.3')).toMatchObject({ kind: 'failed', listed: true, retryable: false, failureReason: 0xc000, error: { code: 'PACS_REJECTED', params: { detail: 'C000 cannot understand' } } });
    expect(out.get('1.4')).toMatchObject({ kind: 'failed', retryable: true, failureReason: 0xa701 });
    // 400 with one instance listed as stored (Orthanc's answer to a mixed request): the others were refused.
    const mixed = outcomesFor(['1.1', '1.2'], parseStowResponse(body([ref('1.1')], [])), 400);
    expect(mixed.get('1.1')).toMatchObject({ kind: 'stored' });
    expect(mixed.get('1.2')).toMatchObject({ kind: 'failed', listed: false, retryable: false, error: { params: { detail: 'HTTP 400' } } });
  });

  it('treats a body that is not DICOM JSON as listing nothing, and accepts an array-wrapped dataset', () => {
    expect(parseStowResponse('<html>oops</html>').stored.size).toBe(0);
    expect(parseStowResponse('').stored.size).toBe(0);
    expect(parseStowResponse(`[${body([ref('9.9')], [])}]`).stored.has('9.9')).toBe(true);
    // An instance in both lists counts as stored (the PACS holds it).
    expect(parseStowResponse(body([ref('1.1')], [failed('1.1', 0xa700)])).failed.size).toBe(0);
  });

  it('classifies FailureReason codes (PS3.4 B.2.3)', () => {
    expect(failureIsRetryable(0xa700)).toBe(true);
    expect(failureIsRetryable(0xa7ff)).toBe(true);
    expect(failureIsRetryable(0x0110)).toBe(true);
    expect(failureIsRetryable(0xc000)).toBe(false);
    expect(failureIsRetryable(0xc123)).toBe(false);
    expect(failureIsRetryable(0xa900)).toBe(false);
    expect(failureIsRetryable(0x0122)).toBe(false);
    expect(failureIsRetryable(null)).toBe(false);
  });
});
