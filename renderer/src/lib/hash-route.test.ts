import { describe, expect, it } from 'vitest';
import { hashSegments, routeHref } from './hash-route';

describe('hash routes', () => {
  it('splits the hash into decoded segments', () => {
    expect(hashSegments('')).toEqual([]);
    expect(hashSegments('#/')).toEqual([]);
    expect(hashSegments('#/settings')).toEqual(['settings']);
    expect(hashSegments('#settings/')).toEqual(['settings']);
    expect(hashSegments('#/inbox/a%2Fb')).toEqual(['inbox', 'a/b']);
  });

  it('keeps a malformed escape as typed rather than failing', () => {
    expect(hashSegments('#/inbox/100%')).toEqual(['inbox', '100%']);
  });

  it('builds what it parses', () => {
    expect(hashSegments(routeHref('inbox', 'a/b c'))).toEqual(['inbox', 'a/b c']);
  });
});
