// Changing the PIN of the paired key: the rules first (no try spent on a rule
// failure), then one CHANGE REFERENCE DATA; the tries left are reported.
import { PivSession } from '../../../native/piv/session.ts';
import { secretFromText } from '../../../native/piv/secrets.ts';
import { firstPinRuleFailure } from '../../ipc/pin-rules.ts';
import { ServiceError } from '../app-error.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { KeyLock } from '../key-lock.ts';
import type { KeyService } from '../keys/key-service.ts';
import type { PairingState } from '../pairing/pairing-store.ts';
import type { JsonStore } from '../store/json-store.ts';
import { NativeError } from '../../../native/errors.ts';

export interface PinChangeInput {
  readonly currentPin: string;
  readonly newPin: string;
  readonly confirmation: string;
}

export class PinService {
  constructor(
    private readonly o: { store: JsonStore<PairingState>; keys: KeyService; lock: KeyLock; audit: AuditLog; digitsOnly: boolean },
  ) {}

  async changePin(input: PinChangeInput): Promise<{ pinRetries: number | null }> {
    const rule = firstPinRuleFailure({ ...input, digitsOnly: this.o.digitsOnly });
    if (rule !== null) throw new ServiceError({ code: rule.code, message: rule.message, detail: rule.field });
    const { pairing } = await this.o.store.read();
    if (pairing === null) throw new ServiceError({ code: 'NOT_PAIRED', message: 'No security key is paired on this computer.' });
    const key = await this.o.keys.find(pairing.serial);
    if (key === null) throw new ServiceError({ code: 'NO_KEY', message: `Your security key isn't plugged in. Plug in key ${pairing.serial} and try again.` });
    try {
      const retries = await this.o.lock.run(key.reader, async (connection) => {
        const session = await PivSession.open(connection);
        await session.changeReference('pin', secretFromText(input.currentPin), secretFromText(input.newPin));
        return session.pinRetries();
      });
      await this.o.audit.record({ event: 'SECURITY_KEY_PIN_CHANGED', outcome: 'success', keySerial: pairing.serial });
      await this.o.keys.refresh().catch(() => undefined);
      return { pinRetries: retries };
    } catch (e) {
      await this.o.audit.record({ event: 'SECURITY_KEY_PIN_CHANGED', outcome: 'failure', keySerial: pairing.serial, detail: e instanceof NativeError ? e.code : 'error' });
      await this.o.keys.refresh().catch(() => undefined);
      throw e;
    }
  }
}
