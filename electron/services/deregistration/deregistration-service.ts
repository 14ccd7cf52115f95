// De-registration: the paired key (or another the user confirmed) gets a full
// PIV reset, the pairing record goes, and the certificate is revoked where the
// CA allows it. The key must be plugged in: nothing is removed without it.
// The data folder is checked before the reset; once the key is reset, a log
// or record that cannot be written is a warning beside the success.
import { PivSession } from '../../../native/piv/session.ts';
import { resetPiv } from '../../../native/piv/reset.ts';
import type { ChannelResults } from '../../ipc/contract.ts';
import { ServiceError, Warnings } from '../app-error.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { EnrollmentBackend } from '../enrollment/backend.ts';
import type { KeyLock } from '../key-lock.ts';
import type { KeyService } from '../keys/key-service.ts';
import { freshReminderState, type PairingState } from '../pairing/pairing-store.ts';
import { journaledCertificate } from '../pairing/resume-steps.ts';
import { retireUnusedCertificate } from '../pairing/unused-certificate.ts';
import { checkDataFolder, checkWritableFile } from '../store/data-folder.ts';
import type { JsonStore } from '../store/json-store.ts';

export class DeregistrationService {
  constructor(
    private readonly o: {
      dataDir: string;
      store: JsonStore<PairingState>;
      keys: KeyService;
      lock: KeyLock;
      audit: AuditLog;
      enrollment: EnrollmentBackend;
      log?: (line: string) => void;
    },
  ) {}

  /** Resets the key with `serial`; if it is not the paired one, `confirmOtherKey` must be true. */
  async remove(serial: number, confirmOtherKey: boolean): Promise<ChannelResults['deregistration.remove']> {
    const state = await this.o.store.read();
    const paired = state.pairing;
    if (paired !== null && paired.serial !== serial && !confirmOtherKey) {
      throw new ServiceError(
        'OTHER_KEY',
        { flow: 'deregister', found: serial, wanted: paired.serial },
        { detail: `plugged in ${serial}, paired ${paired.serial}` },
      );
    }
    if (paired === null && !confirmOtherKey) throw new ServiceError('NOT_PAIRED', { context: 'deregister' });
    await checkDataFolder(this.o.dataDir, { write: true });
    await checkWritableFile(this.o.store.file);
    await this.o.audit.checkWritable();
    const key = await this.o.keys.find(serial);
    if (key === null) throw new ServiceError('NO_KEY', { serial, keepPlugged: 'reset' });
    await this.o.lock.run(key.reader, async (connection) => resetPiv(await PivSession.open(connection)));

    const warnings = new Warnings();
    const audit = (entry: Parameters<AuditLog['record']>[0]): Promise<boolean> => warnings.attempt('resetAuditNotWritten', () => this.o.audit.record(entry));
    await audit({ event: 'SECURITY_KEY_RESET', outcome: 'success', keySerial: serial });
    let revoked = false;
    if (paired !== null && paired.serial === serial) {
      try {
        revoked = await this.o.enrollment.revoke(Buffer.from(paired.certificate.derBase64, 'base64'), 'cessationOfOperation');
        if (revoked)
          await audit({ event: 'WORKSTATION_CERTIFICATE_REVOKED', outcome: 'success', keySerial: serial, certificateSerial: paired.certificate.serial });
      } catch (e) {
        // The key is reset either way; a CA that cannot be reached now is reported, not fatal.
        this.o.log?.(`deregistration: revocation failed (${e instanceof Error ? e.name : 'error'})`);
        await audit({ event: 'WORKSTATION_CERTIFICATE_REVOKED', outcome: 'failure', keySerial: serial, certificateSerial: paired.certificate.serial });
      }
      await warnings.attempt('resetRecordNotRemoved', async () => {
        const after = await this.o.store.read();
        await this.o.store.write({ ...after, pairing: null, pending: null, reminder: freshReminderState() });
      });
    } else if (state.pending?.serial === serial) {
      // A certificate issued for the unfinished pairing never reached the key: revoke or report it.
      const unused = journaledCertificate(state.pending);
      if (unused !== null) await retireUnusedCertificate(this.o, { der: unused.certificate, keySerial: serial, reason: 'cessationOfOperation' }, warnings);
      await warnings.attempt('resetPendingNotRemoved', async () => {
        const after = await this.o.store.read();
        await this.o.store.write({ ...after, pending: null });
      });
    }
    await this.o.keys.refresh().catch(() => undefined);
    return { revoked, warnings: warnings.list };
  }
}
