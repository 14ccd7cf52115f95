// The one place that registers IPC handlers (GitHub Desktop's
// app/src/main-process/ipc-main.ts does the same): one `ipcMain.handle` per
// channel of the contract, each guarded by the sender check in ipc-guard.ts.
// Main→renderer events go out on one channel per event name.
// eslint-disable-next-line no-restricted-imports -- this is the typed wrapper every other file must use
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { CHANNEL_NAMES } from '../ipc/contract-names.ts';
import type { Handlers } from '../ipc/contract.ts';
import { eventChannel, type WfaEvent } from '../ipc/wfa-api.ts';
import { handleIpcRequest, type IpcSender } from './ipc-guard.ts';

function senderOf(event: IpcMainInvokeEvent): IpcSender {
  const frame = event.senderFrame;
  // senderFrame is null when the frame navigated or was destroyed before the message was handled.
  return frame === null ? { frameUrl: null, isTopFrame: false } : { frameUrl: frame.url, isTopFrame: frame.parent === null };
}

/** Registers every channel; returns the function that removes them again (on quit, in order). */
export function registerIpcHandlers(handlers: Handlers, appOrigin: string, log: (line: string) => void): () => void {
  for (const channel of CHANNEL_NAMES) {
    ipcMain.handle(channel, (event, input: unknown) => handleIpcRequest(handlers, { sender: senderOf(event), channel, input }, appOrigin, log));
  }
  return () => {
    for (const channel of CHANNEL_NAMES) ipcMain.removeHandler(channel);
  };
}

/** Sends one event to a window's page, if the page is still there. */
export function sendEvent(contents: WebContents, event: WfaEvent): void {
  if (contents.isDestroyed()) return;
  contents.send(eventChannel(event.name), event.payload);
}
