/**
 * The IPC client over a stand-in for the preload's `window.desk` (the Electron binary is not
 * available here; the real preload is type-checked against `DeskPreloadApi` and tested by the
 * Electron e2e where the binary exists). What is tested is this file's own work: envelopes in,
 * values or DeskCallErrors out, events passed through with their unsubscribe.
 */
import { describe, expect, it } from 'vitest';
import { DeskError } from '../../../shared/errors';
import { DeskCallError } from './desk-call-error';
import { pickDeskClient, type DeskPreloadApi } from './desk-client';
import { createIpcClient } from './desk-client-ipc';

function preload(answer: (method: string, input: unknown) => Promise<unknown>) {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const api: DeskPreloadApi = {
    call: answer,
    on(event, fn) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set.add(fn));
      return () => set.delete(fn);
    },
  };
  const emit = (event: string, payload: unknown) => listeners.get(event)?.forEach((fn) => fn(payload));
  return { api, emit, listeners };
}

describe('IPC client', () => {
  it('resolves the value of an ok envelope', async () => {
    const calls: unknown[] = [];
    const { api } = preload(async (method, input) => {
      calls.push([method, input]);
      return { ok: true, value: { ok: true, checked: 3, firstBrokenSeq: null } };
    });
    await expect(createIpcClient(api).call('audit.verify', {})).resolves.toEqual({ ok: true, checked: 3, firstBrokenSeq: null });
    expect(calls).toEqual([['audit.verify', {}]]);
  });

  it('rejects with the DeskCallError of an error envelope', async () => {
    const { api } = preload(async () => ({ ok: false, error: new DeskError('PIN_WRONG').toShape() }));
    const err = await createIpcClient(api).call('operators.signIn', { operatorId: 'x', pin: '0000' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeskCallError);
    expect((err as DeskCallError).error.messages).toEqual({ vi: 'Mã PIN không đúng', en: 'Wrong PIN' });
  });

  it('turns a failed IPC channel into DESK_UNREACHABLE and a malformed answer into INTERNAL', async () => {
    const down = createIpcClient(preload(() => Promise.reject(new Error('main process gone'))).api);
    await expect(down.call('app.info', {})).rejects.toMatchObject({ code: 'DESK_UNREACHABLE' });
    const odd = createIpcClient(preload(async () => 'surprise').api);
    await expect(odd.call('app.info', {})).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('callOptional answers undefined for UNKNOWN_METHOD', async () => {
    const { api } = preload(async (method) => ({ ok: false, error: new DeskError('UNKNOWN_METHOD', { method }).toShape() }));
    await expect(createIpcClient(api).callOptional('sync.status', {})).resolves.toBeUndefined();
  });

  it('passes events through and unsubscribes', () => {
    const { api, emit, listeners } = preload(async () => ({ ok: true, value: null }));
    const client = createIpcClient(api);
    const got: unknown[] = [];
    const off = client.on('settings.changed', (p) => got.push(p));
    emit('settings.changed', { ui: { language: 'en' } });
    off();
    emit('settings.changed', { ui: { language: 'vi' } });
    expect(got).toEqual([{ ui: { language: 'en' } }]);
    expect(listeners.get('settings.changed')?.size).toBe(0);
  });

  it('is picked when the preload exposed window.desk; otherwise the bridge of the page origin is', () => {
    const { api } = preload(async () => ({ ok: true, value: null }));
    const origin = { location: { origin: 'http://127.0.0.1:4000' } };
    expect(pickDeskClient({ ...origin, desk: api } as unknown as Window).transport).toBe('ipc');
    expect(pickDeskClient(origin as unknown as Window).transport).toBe('bridge');
    expect(pickDeskClient({ ...origin, desk: { call: 1 } } as unknown as Window).transport).toBe('bridge');
  });
});
