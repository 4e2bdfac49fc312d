import { describe, expect, it } from 'vitest';
import { PAGE_SIZE, pagesFor } from './use-study-pages';

describe('inbox pages', () => {
  it('asks for the pages under the visible rows, and always the first (it carries the total)', () => {
    expect(pagesFor(0, 12)).toEqual([0]);
    expect(pagesFor(PAGE_SIZE - 3, PAGE_SIZE + 4)).toEqual([0, 1]);
    expect(pagesFor(5 * PAGE_SIZE + 10, 5 * PAGE_SIZE + 20)).toEqual([0, 5]);
  });
});
