// The problems the home screen and `wfa status` show until the user acts:
// an unusable data folder, a store that could not be read (kept aside), a
// pairing the key no longer matches, a blocked PIN. Reading status never
// fails for these: it reports them.
import type { StatusProblem } from '../ipc/contract.ts';
import { toAppError } from './app-error.ts';
import type { KeyService } from './keys/key-service.ts';
import { emptyPairingState, type PairingState } from './pairing/pairing-store.ts';
import { PAIR_AGAIN, staleReason } from './pairing/stale-pairing.ts';
import { checkDataFolder } from './store/data-folder.ts';
import type { JsonStore } from './store/json-store.ts';

export async function readStatusState(o: { dataDir: string; store: JsonStore<PairingState>; keys: KeyService }): Promise<{ state: PairingState; problems: StatusProblem[] }> {
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
    problems.push({
      code: 'STORE_UNREADABLE',
      message: `Your pairing record could not be read (${kept.reason}); it was kept as ${kept.backup}. Pair your security key again; then the kept file can be deleted.`,
      detail: kept.backup,
    });
  }
  const pending = state.pending;
  if (pending !== null && pending.completed === 'checking-key' && pending.started === 'setting-pin') {
    problems.push({
      code: 'PAIRING_INTERRUPTED',
      message: `Pairing security key ${pending.serial} was interrupted while its PIN was being set. Pair it again; if its temporary PIN is refused, the PIN is already the new one you chose.`,
      detail: String(pending.serial),
    });
  }
  const record = state.pairing;
  if (record !== null) {
    const info = await o.keys.detailsOf(record.serial);
    const stale = staleReason(record, info);
    if (record.pinChangeSentAt !== undefined) {
      problems.push({
        code: 'PIN_CHANGE_INTERRUPTED',
        message: `Changing the PIN of security key ${record.serial} was interrupted (${record.pinChangeSentAt}): its PIN is now either your old PIN or the new one you chose. Run the sign-in check with the PIN you think it is (a refused PIN costs one attempt, and the right one gives it back), then change the PIN again if you want to.`,
        detail: String(record.serial),
      });
    }
    if (stale !== null) problems.push({ code: 'PAIRING_STALE', message: `The pairing no longer matches the key: ${stale}. ${PAIR_AGAIN}`, detail: String(record.serial) });
    else if (info?.pinRetries === 0) {
      problems.push({
        code: 'SMART_CARD_BLOCKED',
        message: `The PIN of security key ${record.serial} is blocked. Your administrator must reset the key (or, if you have its PUK, unblock it with "wfa key unblock-pin"); then pair it again.`,
        detail: String(record.serial),
      });
    }
  }
  return { state, problems };
}
