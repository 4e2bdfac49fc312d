import { describe, expect, it } from 'vitest';
import type { SlipSummary } from '../../../../shared/contract/slips';
import { outcomeOfFailure, outcomeOfPrint } from './print-outcome';

const slip = (slipId: string, status: SlipSummary['status']): SlipSummary => ({
  slipId,
  visitId: 'v',
  visitNumber: '1',
  lookupCode: 'ABCD-2345',
  status,
  createdAt: 1,
  expiresAt: 2,
  operatorId: null,
  revokedAt: null,
  revokeReason: null,
  replacedBy: null,
  lastPrint: null,
});
const printed = { slipId: 's', lookupCode: 'ABCD-2345', expiresAt: 1, printJobId: 'j', paper: 'ok' as const };

describe('print outcomes', () => {
  it('trusts only a confirmed job as printed', () => {
    expect(outcomeOfPrint({ ...printed, confirmed: true }).kind).toBe('printed');
    expect(outcomeOfPrint({ ...printed, confirmed: false }).kind).toBe('sent-unconfirmed');
  });

  it('treats a timeout as "may have printed" whatever the list says', () => {
    expect(outcomeOfFailure(null, 'PRINTER_TIMEOUT', new Set(), []).kind).toBe('may-have-printed');
  });

  it('reads a new active slip after a failure as "may have printed"', () => {
    expect(outcomeOfFailure(null, 'PRINTER_ERROR', new Set(['old']), [slip('old', 'active'), slip('new', 'active')]).kind).toBe('may-have-printed');
    expect(outcomeOfFailure(null, 'PRINTER_ERROR', new Set(['old']), [slip('old', 'active'), slip('new', 'revoked')]).kind).toBe('not-printed');
    expect(outcomeOfFailure(null, 'PRINTER_OFFLINE', new Set(), [slip('new', 'revoked')]).kind).toBe('not-printed');
  });

  it('is cautious when the slips cannot be read afterwards', () => {
    expect(outcomeOfFailure(null, 'PRINTER_ERROR', new Set(), null).kind).toBe('may-have-printed');
    expect(outcomeOfFailure(null, undefined, new Set(), null).kind).toBe('may-have-printed');
    expect(outcomeOfFailure(null, 'PRINTER_NO_PAPER', new Set(), null).kind).toBe('not-printed');
  });
});
