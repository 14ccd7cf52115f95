// The audit log: one JSON object per line (design.md, "Audit events"), with
// the event names of the renewal reference where they fit. Never a PIN, PUK,
// management key or private key: entries are built from a fixed set of fields.
import { appendFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { checkWritableFile, ensureFolder } from '../store/data-folder.ts';
import { asStorageError } from '../store/storage-error.ts';

export type AuditEventName =
  | 'WORKSTATION_CERTIFICATE_REQUESTED'
  | 'WORKSTATION_CERTIFICATE_ISSUED'
  | 'WORKSTATION_CERTIFICATE_REVOKED'
  | 'WORKSTATION_ENROLLED'
  | 'WORKSTATION_ACCEPTED_NEW_CERTIFICATE'
  | 'SECURITY_KEY_PAIRED'
  /** The key in 9A was proved (or not) to be made on the key; detail: verified, unsupported, or the failure reason. */
  | 'SECURITY_KEY_ATTESTED'
  | 'SECURITY_KEY_PIN_CHANGED'
  | 'SECURITY_KEY_RESET'
  | 'RENEWAL_REMINDER_SHOWN'
  | 'RENEWAL_SNOOZED';

export interface AuditEntry {
  readonly event: AuditEventName;
  readonly outcome: 'success' | 'failure';
  readonly keySerial?: number;
  readonly certificateSerial?: string;
  /** The certificate a renewal replaced (WORKSTATION_ACCEPTED_NEW_CERTIFICATE). */
  readonly previousCertificateSerial?: string;
  /** SHA-256 of the certificate DER, hex. */
  readonly certificateThumbprint?: string;
  /** An error code on failure, or a short non-secret note (e.g. reminder stage). */
  readonly detail?: string;
}

export class AuditLog {
  constructor(
    readonly file: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async record(entry: AuditEntry): Promise<void> {
    // Copy only known fields, so an object carrying more cannot leak it.
    const line = {
      time: this.now().toISOString(),
      event: entry.event,
      outcome: entry.outcome,
      ...(entry.keySerial === undefined ? {} : { keySerial: entry.keySerial }),
      ...(entry.certificateSerial === undefined ? {} : { certificateSerial: entry.certificateSerial }),
      ...(entry.previousCertificateSerial === undefined ? {} : { previousCertificateSerial: entry.previousCertificateSerial }),
      ...(entry.certificateThumbprint === undefined ? {} : { certificateThumbprint: entry.certificateThumbprint }),
      ...(entry.detail === undefined ? {} : { detail: entry.detail }),
    };
    await ensureFolder(dirname(this.file));
    try {
      await appendFile(this.file, `${JSON.stringify(line)}\n`, { mode: 0o600 });
    } catch (e) {
      throw asStorageError('STORE_UNREADABLE', this.file, e);
    }
  }

  /** Before a flow changes a key: the log can be appended to (a StorageError names it if not). */
  async checkWritable(): Promise<void> {
    await checkWritableFile(this.file);
  }
}
