// Changing the PIN of the paired key: the rules, the current PIN's form, the
// data folder, the key (the paired one, still matching its record, not on its
// last try) first, so nothing refused costs a try; then one CHANGE REFERENCE
// DATA. After it the PIN is changed whatever else fails: a log that cannot be
// written is a warning beside the success.
import { NativeError } from '../../../native/errors.ts';
import { PivSession } from '../../../native/piv/session.ts';
import { secretFromText } from '../../../native/piv/secrets.ts';
import type { ChannelInput, ChannelResults } from '../../ipc/contract.ts';
import { firstPinRuleFailure } from '../../ipc/pin-rules.ts';
import { checkCurrentSecret, pinRuleError, ServiceError, Warnings } from '../app-error.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { KeyLock } from '../key-lock.ts';
import type { KeyService } from '../keys/key-service.ts';
import type { PairingState } from '../pairing/pairing-store.ts';
import { staleReason } from '../pairing/stale-pairing.ts';
import { checkDataFolder } from '../store/data-folder.ts';
import type { JsonStore } from '../store/json-store.ts';
import { lastTryError } from './last-try.ts';

export type PinChangeInput = ChannelInput<'pin.change'>;

/**
 * Notes (`sentAt`) or clears (undefined) a PIN change of the paired key
 * `serial` whose outcome is not known. Cleared by the next PIN change and by a
 * sign-in check that passes: then the user knows their PIN again.
 */
export async function notePinChange(store: JsonStore<PairingState>, serial: number, sentAt: string | undefined): Promise<void> {
  const state = await store.read();
  if (state.pairing?.serial !== serial || state.pairing.pinChangeSentAt === sentAt) return;
  const pairing = { ...state.pairing };
  if (sentAt === undefined) delete pairing.pinChangeSentAt;
  else pairing.pinChangeSentAt = sentAt;
  await store.write({ ...state, pairing });
}

/** Failures after which nobody knows whether the key carried out the change. */
const OUTCOME_UNKNOWN: ReadonlySet<string> = new Set(['CARD_REMOVED', 'PCSC_UNAVAILABLE', 'READER_NOT_FOUND', 'INVALID_RESPONSE']);

export class PinService {
  constructor(
    private readonly o: {
      dataDir: string;
      store: JsonStore<PairingState>;
      keys: KeyService;
      lock: KeyLock;
      audit: AuditLog;
      digitsOnly: boolean;
      now?: () => Date;
    },
  ) {}

  private now(): Date {
    return this.o.now?.() ?? new Date();
  }

  private journal(serial: number, sentAt: string | undefined): Promise<void> {
    return notePinChange(this.o.store, serial, sentAt);
  }

  async changePin(input: PinChangeInput): Promise<ChannelResults['pin.change']> {
    checkCurrentSecret(input.currentPin, 'PIN');
    const rule = firstPinRuleFailure({ ...input, digitsOnly: this.o.digitsOnly });
    if (rule !== null) throw pinRuleError(rule);
    await checkDataFolder(this.o.dataDir, { write: true });
    await this.o.audit.checkWritable();
    const { pairing } = await this.o.store.read();
    if (pairing === null) {
      const kept = (await this.o.store.keptAside())[0];
      throw new ServiceError(
        'NOT_PAIRED',
        { context: 'pin-change', ...(kept === undefined ? {} : { keptAs: kept.backup }) },
        kept === undefined ? {} : { detail: kept.backup },
      );
    }
    const key = await this.o.keys.select({ reader: input.reader, serial: input.serial }, { pairedOnly: true });
    const stale = staleReason(pairing, await this.o.keys.detailsOf(key.serial));
    if (stale !== null) throw new ServiceError('PAIRING_STALE', { serial: key.serial, reason: stale, context: 'pin-change' }, { detail: String(key.serial) });
    if (key.pinRetries === 1 && input.lastTryConfirmed !== true) throw lastTryError(key.serial);
    const warnings = new Warnings();
    let retries: number | null;
    let sent = false;
    try {
      retries = await this.o.lock.run(key.reader, async (connection) => {
        const session = await PivSession.open(connection);
        // Journaled before the change is sent: if its answer never arrives, the next start says the PIN may be either.
        await this.journal(pairing.serial, this.now().toISOString());
        sent = true;
        await session.changeReference('pin', secretFromText(input.currentPin), secretFromText(input.newPin));
        // The PIN is changed: a key pulled while the tries are read must not turn that into a failure
        // (the user would "retry" with the old PIN and lose a try).
        return session.pinRetries().catch(() => null);
      });
    } catch (e) {
      // The key answered (a wrong PIN, a blocked one), or the change was never sent: the PIN is the old one.
      if (!sent || !(e instanceof NativeError && OUTCOME_UNKNOWN.has(e.code))) await this.journal(pairing.serial, undefined).catch(() => undefined);
      // The PIN did not change: the failure is the outcome; its log entry is best effort.
      await this.o.audit
        .record({ event: 'SECURITY_KEY_PIN_CHANGED', outcome: 'failure', keySerial: pairing.serial, detail: e instanceof NativeError ? e.code : 'error' })
        .catch(() => undefined);
      await this.o.keys.refresh().catch(() => undefined);
      throw e;
    }
    // Logged before the journal goes: an app killed in between still has one record of the outcome.
    await warnings.attempt('pinAuditNotWritten', () =>
      this.o.audit.record({ event: 'SECURITY_KEY_PIN_CHANGED', outcome: 'success', keySerial: pairing.serial }),
    );
    await warnings.attempt('pinNotNoted', () => this.journal(pairing.serial, undefined));
    await this.o.keys.refresh().catch(() => undefined);
    return { pinRetries: retries, warnings: warnings.list };
  }
}
