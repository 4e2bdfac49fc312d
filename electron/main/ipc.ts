/**
 * IPC for the one contract: `desk:call` runs dispatch for the window's current operator;
 * events go to the window on `desk:event`. The operator is remembered per window from a
 * successful `operators.signIn`, so the page cannot claim to be someone else per call.
 */
import { ipcMain, type BrowserWindow } from 'electron';
import type { Desk } from '../compose';
import type { Caller } from '../core/dispatch';
import { DeskError } from '../../shared/errors';
import { IPC_CALL, IPC_EVENT } from './ipc-channels';
import { isTrustedSender } from './trusted-sender';

export function registerIpc(desk: Desk, win: BrowserWindow, appUrl: string): () => void {
  let caller: Caller = {};

  ipcMain.handle(IPC_CALL, async (event, method: unknown, input: unknown) => {
    if (!isTrustedSender(event.senderFrame, appUrl)) return { ok: false, error: new DeskError('FORBIDDEN').toShape() };
    if (typeof method !== 'string') return { ok: false, error: new DeskError('UNKNOWN_METHOD', { method: '?' }).toShape() };
    const result = await desk.dispatch(method, input, caller);
    if (method === 'operators.signIn' && result.ok) {
      const v = result.value as { operator: { id: string }; session: string };
      caller = { operatorId: v.operator.id, session: v.session };
    }
    return result;
  });

  const unsubscribe = desk.events.subscribe((name, payload) => {
    if (!win.isDestroyed()) win.webContents.send(IPC_EVENT, name, payload);
  });

  return () => {
    unsubscribe();
    ipcMain.removeHandler(IPC_CALL);
  };
}
