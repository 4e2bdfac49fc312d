import { describe, expect, it } from 'vitest';
import { pickOnEnter } from './visit-match';

const v = (id: string, visitNumber: string, accessionNumber: string, patientID: string) => ({ id, visitNumber, accessionNumber, patientID });

describe('picking a visit on Enter (barcode scanners)', () => {
  const list = [v('a', '260105-001', 'ACC1', 'BN01'), v('b', '260105-002', 'ACC2', 'BN02'), v('c', '260105-003', '', 'BN01')];

  it('picks the exact visit number or accession, whatever the case', () => {
    expect(pickOnEnter('260105-002', list)?.id).toBe('b');
    expect(pickOnEnter(' acc1 ', list)?.id).toBe('a');
  });

  it('never guesses between two visits with the same PatientID', () => {
    expect(pickOnEnter('BN01', list)).toBeNull();
  });

  it('takes a lone search result, and nothing for an empty box', () => {
    expect(pickOnEnter('nguyen', [list[1]!])?.id).toBe('b');
    expect(pickOnEnter('nguyen', list)).toBeNull();
    expect(pickOnEnter('  ', [list[0]!])).toBeNull();
  });
});
