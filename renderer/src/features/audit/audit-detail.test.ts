import { describe, expect, it } from 'vitest';
import { formatDetail } from './audit-detail';

describe('formatDetail', () => {
  it('writes each fact as key: value, lists joined, objects as JSON', () => {
    expect(formatDetail({ keys: ['pacs.dicomwebUrl', 'ui.language'], error: 'PIN_WRONG' })).toBe(
      'keys: pacs.dicomwebUrl, ui.language · error: PIN_WRONG',
    );
    expect(formatDetail({ created: 'op-1', extra: { a: 1 }, none: null })).toBe('created: op-1 · extra: {"a":1} · none: —');
  });

  it('names operators instead of showing their ids', () => {
    const names = new Map([['7f03-op', 'Nguyễn Thị Hoà']]);
    expect(formatDetail({ operatorId: '7f03-op', error: 'PIN_WRONG', other: 'x-op' }, (id) => names.get(id))).toBe(
      'operatorId: Nguyễn Thị Hoà · error: PIN_WRONG · other: x-op',
    );
  });

  it('is empty for an empty detail', () => {
    expect(formatDetail({})).toBe('');
  });
});
