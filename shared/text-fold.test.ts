import { describe, expect, it } from 'vitest';
import { foldText, foldedWords } from './text-fold';

describe('foldText', () => {
  it('drops Vietnamese diacritics, maps đ to d and lowercases', () => {
    expect(foldText('NGUYỄN VĂN ĐỨC')).toBe('nguyen van duc');
    expect(foldText('Trần Thị Bích Ngọc')).toBe('tran thi bich ngoc');
    expect(foldText('đặng')).toBe('dang');
  });
  it('treats PN carets and runs of spaces as one space', () => {
    expect(foldText(' LÊ^VÂN  HÀ ')).toBe('le van ha');
  });
  it('folds precomposed and decomposed input the same', () => {
    expect(foldText('Nguy\u1ec5n')).toBe(foldText('Nguye\u0302\u0303n'));
  });
  it('splits a query into folded words', () => {
    expect(foldedWords('  Văn   AN ')).toEqual(['van', 'an']);
    expect(foldedWords('   ')).toEqual([]);
  });
});
