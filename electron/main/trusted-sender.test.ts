import { describe, expect, it } from 'vitest';
import type { WebFrameMain } from 'electron';
import { isTrustedSender } from './trusted-sender';

// Only the fields the check reads; the type import above is erased, so Electron is never loaded.
const frame = (url: string, parent: object | null = null) => ({ url, parent }) as unknown as WebFrameMain;
const APP = 'file:///opt/Radiology%20Desk/resources/app.asar/out/renderer/index.html';

describe('isTrustedSender', () => {
  it('trusts the app page in the top frame, whatever its hash route', () => {
    expect(isTrustedSender(frame(APP + '#/inbox'), APP)).toBe(true);
  });
  it('refuses other pages, other origins, iframes and missing frames', () => {
    expect(isTrustedSender(frame('file:///tmp/evil.html'), APP)).toBe(false);
    expect(isTrustedSender(frame('https://example.com/'), APP)).toBe(false);
    expect(isTrustedSender(frame(APP, {}), APP)).toBe(false);
    expect(isTrustedSender(null, APP)).toBe(false);
  });
  it('in development trusts only the dev server origin and path', () => {
    expect(isTrustedSender(frame('http://localhost:5173/'), 'http://localhost:5173/')).toBe(true);
    expect(isTrustedSender(frame('http://localhost:5174/'), 'http://localhost:5173/')).toBe(false);
  });
});
