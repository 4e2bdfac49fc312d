/** The renderer's CSP stays strict: style attributes only by the label hashes, never inline script. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { labelStyle, labelStyleHashes, VIEWER_VIEWPORT_IDS } from './annotation-label-styles';
import { RENDERER_CSP } from './bridge-server';

const directives = new Map(
  RENDERER_CSP.split(';')
    .map((d) => d.trim().split(/\s+/))
    .filter((d) => d[0])
    .map(([name, ...sources]) => [name!, sources]),
);

describe('renderer CSP', () => {
  it('hashes a label style the way Chromium does', () => {
    // Chromium's own report for the label of a viewport then named desk-viewport-1-a, from its
    // console: "… a hash ('sha256-Bqs6/lTd…') … is required to enable inline execution".
    expect(createHash('sha256').update(labelStyle('desk-viewport-1-a')).digest('base64')).toBe('Bqs6/lTdGqckwzpn9SMXXQlzOh6Ue8OjZm/KReZ70OI=');
    expect(labelStyleHashes()).toEqual(VIEWER_VIEWPORT_IDS.map((id) => `'sha256-${createHash('sha256').update(labelStyle(id)).digest('base64')}'`));
  });

  it('allows style attributes only by those hashes, and no inline script or style sheet', () => {
    expect(directives.get('style-src-attr')).toEqual(["'unsafe-hashes'", ...labelStyleHashes()]);
    expect(directives.get('style-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(directives.has('style-src-elem')).toBe(false);
    expect(RENDERER_CSP).not.toContain("'unsafe-inline'");
  });
});
