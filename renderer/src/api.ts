// The one door to the main process: `window.wfa`, put in the page by the
// Electron preload or the web shell's bridge (electron/ipc/wfa-api.ts says
// its shape). Nothing else in the renderer touches `window.wfa`, so tests
// replace the whole main process by installing one fake here.
import { BRIDGE_UNAVAILABLE, createWfaApi, type WfaApi } from '../../electron/ipc/wfa-api.ts';

declare global {
  interface Window {
    readonly wfa?: WfaApi;
  }
}

// A page opened without a shell (a stray browser tab, a broken preload) still
// renders: every call answers with the bridge's "connection lost" error,
// which the error table turns into words, instead of throwing.
const unavailable: WfaApi = createWfaApi({
  invoke: () => Promise.resolve({ ok: false, error: BRIDGE_UNAVAILABLE }),
  on: () => () => undefined,
});

/** The bridge, read on every call: a test installs its fake before rendering. */
export function wfa(): WfaApi {
  return window.wfa ?? unavailable;
}
