// The problems the home screen and `wfa status` show until the user acts:
// an unusable data folder, a store that could not be read (kept aside), a
// pairing the key no longer matches, a blocked PIN. Reading status never
// fails for these: it reports them.
import type { StatusProblem } from '../ipc/contract.ts';
import type { ErrorCode } from '../ipc/error-codes.ts';
import type { ErrorFacts } from '../ipc/error-facts.ts';
import { messageFor } from '../ipc/error-messages.ts';
import { toAppError } from './app-error.ts';
import type { KeyService } from './keys/key-service.ts';
import { emptyPairingState, type PairingState } from './pairing/pairing-store.ts';
import { staleReason } from './pairing/stale-pairing.ts';
import { checkDataFolder } from './store/data-folder.ts';
import type { JsonStore } from './store/json-store.ts';

/** A problem in the table's words, with the file or key it is about. */
function problem<C extends ErrorCode>(code: C, facts: ErrorFacts[C], detail: string): StatusProblem {
  return { code, message: messageFor(code, facts), detail };
}

export async function readStatusState(o: {
  dataDir: string;
  store: JsonStore<PairingState>;
  keys: KeyService;
}): Promise<{ state: PairingState; problems: StatusProblem[] }> {
  const problems: StatusProblem[] = [];
  const fromError = (e: unknown): StatusProblem => {
    const error = toAppError(e);
    return { code: error.code, message: error.message, ...(error.detail === undefined ? {} : { detail: error.detail }) };
  };
  try {
    await checkDataFolder(o.dataDir, { write: false });
  } catch (e) {
    problems.push(fromError(e));
  }
  let state = emptyPairingState();
  try {
    state = await o.store.read();
  } catch (e) {
    problems.push(fromError(e));
  }
  for (const kept of await o.store.keptAside()) {
    problems.push(problem('STORE_UNREADABLE', { path: kept.file, reason: kept.reason, keptAs: kept.backup }, kept.backup));
  }
  const pending = state.pending;
  if (pending !== null && pending.completed === 'checking-key' && pending.started === 'setting-pin') {
    problems.push(problem('PAIRING_INTERRUPTED', { serial: pending.serial, stage: 'setting-pin' }, String(pending.serial)));
  }
  const record = state.pairing;
  if (record !== null) {
    const info = await o.keys.detailsOf(record.serial);
    const stale = staleReason(record, info);
    if (record.pinChangeSentAt !== undefined) {
      problems.push(problem('PIN_CHANGE_INTERRUPTED', { serial: record.serial, sentAt: record.pinChangeSentAt }, String(record.serial)));
    }
    if (stale !== null) problems.push(problem('PAIRING_STALE', { serial: record.serial, reason: stale, context: 'status' }, String(record.serial)));
    else if (info?.pinRetries === 0) {
      problems.push(problem('SMART_CARD_BLOCKED', { serial: record.serial, context: 'status' }, String(record.serial)));
    }
  }
  return { state, problems };
}
