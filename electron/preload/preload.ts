// The preload of the app's window: builds `window.wfa` (WfaApi, from the
// contract) and hands it to the page through contextBridge. It runs
// sandboxed, so esbuild bundles it into one small CommonJS file: it imports
// no schema (the main process validates every request).
// The page never sees ipcRenderer nor an IPC event object: only results and
// event payloads cross.
// eslint-disable-next-line no-restricted-imports -- the preload is the renderer-side wrapper around ipcRenderer
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { Result } from '../ipc/contract.ts';
import { isChannel, isEventName } from '../ipc/contract-names.ts';
import { createWfaApi, eventChannel, type WfaTransport } from '../ipc/wfa-api.ts';

const transport: WfaTransport = {
  invoke(channel, input): Promise<Result<unknown>> {
    // An unknown channel has no handler in the main process; answer as the main process would.
    if (!isChannel(channel)) return Promise.resolve({ ok: false, error: { code: 'INVALID_REQUEST', message: 'Unknown request.' } });
    return ipcRenderer.invoke(channel, input) as Promise<Result<unknown>>;
  },
  on(event, listener) {
    if (!isEventName(event)) {
      console.warn(`wfa.on: no event is called "${event}"`);
      return () => undefined;
    }
    const forward = (_ipcEvent: IpcRendererEvent, payload: unknown): void => listener(payload);
    ipcRenderer.on(eventChannel(event), forward);
    return () => {
      ipcRenderer.removeListener(eventChannel(event), forward);
    };
  },
};

contextBridge.exposeInMainWorld('wfa', createWfaApi(transport));
