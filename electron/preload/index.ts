/**
 * The only bridge between the sandboxed page and the main process. It exposes exactly two
 * functions, for contract names only: `desk.call(method, input)` and `desk.on(event, fn)`.
 * Nothing else from Electron or Node reaches the page.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { isEventName, isMethodName } from '../../shared/contract';
import { IPC_CALL, IPC_EVENT } from '../main/ipc-channels';
import { DeskError } from '../../shared/errors';

const desk = {
  call(method: string, input: unknown): Promise<unknown> {
    // Same envelope as the core's, so the page handles an unknown name like any other error.
    if (!isMethodName(method)) return Promise.resolve({ ok: false, error: new DeskError('UNKNOWN_METHOD', { method: method.slice(0, 64) }).toShape() });
    return ipcRenderer.invoke(IPC_CALL, method, input);
  },
  on(event: string, fn: (payload: unknown) => void): () => void {
    if (!isEventName(event)) throw new Error(`unknown event ${event}`);
    const listener = (_e: IpcRendererEvent, name: string, payload: unknown) => {
      if (name === event) fn(payload);
    };
    ipcRenderer.on(IPC_EVENT, listener);
    return () => ipcRenderer.removeListener(IPC_EVENT, listener);
  },
};

export type DeskBridgeApi = typeof desk;

contextBridge.exposeInMainWorld('desk', desk);
