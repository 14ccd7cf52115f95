// `dispatch` from the contract, plus the one guarantee both shells need: a
// handler that throws still answers with a Result. Electron's invoke would
// otherwise turn the exception into a bare Error in the page (its class and
// fields lost, its message possibly revealing internals); the web shell would
// leave the request hanging.
import { isChannel } from '../ipc/contract-names.ts';
import { dispatch, fail, type Handlers, type Result } from '../ipc/contract.ts';

export async function dispatchSafely(handlers: Handlers, channel: unknown, input: unknown, log: (line: string) => void): Promise<Result<unknown>> {
  try {
    return await dispatch(handlers, channel, input, log);
  } catch (error) {
    // The error's message only: never the input, which may hold a PIN.
    const where = isChannel(channel) ? channel : 'an unknown channel';
    log(`IPC: the handler of ${where} failed: ${error instanceof Error ? error.message : String(error)}`);
    return fail({ code: 'INTERNAL', message: 'Something went wrong in the app. Try again; if it happens again, restart the app.' });
  }
}
