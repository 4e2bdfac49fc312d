/**
 * IPC is answered only for the app's own page in the top frame: a navigated-away window, an
 * iframe or any other origin gets nothing (Electron security checklist, "validate the sender").
 */
import type { WebFrameMain } from 'electron';

export function isTrustedSender(frame: WebFrameMain | null, appUrl: string): boolean {
  if (!frame || frame.parent !== null) return false;
  try {
    const url = new URL(frame.url);
    const app = new URL(appUrl);
    return url.protocol === app.protocol && url.host === app.host && url.pathname === app.pathname;
  } catch {
    return false;
  }
}
