// The decision ipc-main.ts makes for every request, as a plain function so
// both ways are tested without Electron: a request from the app's own page
// (top frame, app origin) is dispatched; anything else gets INVALID_REQUEST,
// is logged (without its payload) and never reaches a handler.
import { isChannel } from '../ipc/contract-names.ts';
import { fail, type Handlers, type Result } from '../ipc/contract.ts';
import { dispatchSafely } from '../shell/dispatch-safely.ts';
import { isTrustedSender } from './security-policy.ts';

export interface IpcSender {
  /** `event.senderFrame?.url`; null when the frame is gone (navigated away, destroyed). */
  readonly frameUrl: string | null;
  /** `event.senderFrame.parent === null`: an iframe is never trusted, even one of ours. */
  readonly isTopFrame: boolean;
}

export interface IpcRequest {
  readonly sender: IpcSender;
  readonly channel: string;
  readonly input: unknown;
}

/** Where a refused request came from, for the log: scheme and host only (a URL's path or query may carry data). */
function describeSender(sender: IpcSender): string {
  if (sender.frameUrl === null) return 'a frame that no longer exists';
  let where = 'an unparsable URL';
  try {
    const url = new URL(sender.frameUrl);
    where = `${url.protocol}//${url.host}`;
  } catch {
    // keep the generic description
  }
  return sender.isTopFrame ? where : `a subframe (${where})`;
}

export function isTrustedRequest(sender: IpcSender, appOrigin: string): boolean {
  return sender.isTopFrame && isTrustedSender(sender.frameUrl, appOrigin);
}

export async function handleIpcRequest(handlers: Handlers, request: IpcRequest, appOrigin: string, log: (line: string) => void): Promise<Result<unknown>> {
  if (!isTrustedRequest(request.sender, appOrigin)) {
    const channel = isChannel(request.channel) ? request.channel : 'an unknown channel';
    log(`IPC: refused ${channel} from ${describeSender(request.sender)}: only the app's own page may call the main process`);
    return fail({ code: 'INVALID_REQUEST', message: 'The request was not valid.' });
  }
  return dispatchSafely(handlers, request.channel, request.input, log);
}
