// "Renew now" (issue 11): the paired key's existing slot 9A key signs a new
// CSR; the certificate issued is checked exactly as at pairing (CA pin, chain,
// EKU, UPN, same public key) and only then replaces the old one, in one write,
// read back before anything else changes. Until that write, nothing on the
// key or in the record has changed, and every error says the user can still
// sign in. The PIN is asked once and tried only when every check before it
// has passed (no try spent on what the app could have known).
import type { KeyObject } from 'node:crypto';
import { createPublicKey } from 'node:crypto';
import { NativeError } from '../../../native/errors.ts';
import { SLOT } from '../../../native/piv/constants.ts';
import { slotMetadata } from '../../../native/piv/keys.ts';
import { readCertificate, writeCertificate } from '../../../native/piv/objects.ts';
import { secretFromText } from '../../../native/piv/secrets.ts';
import { PivSession } from '../../../native/piv/session.ts';
import { authenticateWithKnownKey } from '../../../native/yubikey/pivman.ts';
import { supports } from '../../../native/yubikey/version.ts';
import * as x509 from '../../../native/x509.ts';
import { RENEWAL_STEPS, type RenewalStepName } from '../../ipc/contract-names.ts';
import type { ChannelInput, RenewalProgressEvent, RenewalView } from '../../ipc/contract.ts';
import { PIN_MAX_LENGTH, PIN_MIN_LENGTH } from '../../ipc/pin-rules.ts';
import { ServiceError, toAppError } from '../app-error.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { EnrollmentBackend, EnrollmentIdentity } from '../enrollment/backend.ts';
import { checkIssuedCertificate } from '../enrollment/certificate-checks.ts';
import type { KeyLock } from '../key-lock.ts';
import type { KeyService } from '../keys/key-service.ts';
import { buildCardCsr, checkSerial, thumbprint } from '../pairing/card-steps.ts';
import { freshReminderState, type PairingRecord, type PairingState, type StoredCertificate } from '../pairing/pairing-store.ts';
import type { Policy } from '../policy/policy-schema.ts';
import type { JsonStore } from '../store/json-store.ts';
import { reminderSchedule } from './reminder-schedule.ts';

export interface RenewalServiceOptions {
  readonly store: JsonStore<PairingState>;
  readonly keys: KeyService;
  readonly lock: KeyLock;
  readonly enrollment: EnrollmentBackend;
  readonly policy: Policy;
  readonly identity: EnrollmentIdentity;
  readonly audit: AuditLog;
  readonly now: () => Date;
  readonly onProgress: (event: RenewalProgressEvent) => void;
  readonly log?: (line: string) => void;
}

export type RenewInput = ChannelInput<'renewal.renew'>;

/** What the write changed, for the steps after it. */
interface Written {
  readonly serial: number;
  readonly old: { readonly der: Uint8Array; readonly serial: string };
  readonly issued: Uint8Array;
}

const spki = (key: KeyObject): Buffer => key.export({ format: 'der', type: 'spki' });

function certificateView(cert: x509.X509Certificate): { serial: string; subject: string; notAfter: string } {
  return { serial: cert.serialNumber.toLowerCase(), subject: cert.subject, notAfter: cert.notAfter.toISOString() };
}

export class RenewalService {
  constructor(private readonly o: RenewalServiceOptions) {}

  private progress(step: RenewalStepName): void {
    this.o.onProgress({ step, index: RENEWAL_STEPS.indexOf(step) + 1, total: RENEWAL_STEPS.length });
  }

  async renew(input: RenewInput): Promise<RenewalView> {
    const { pairing } = await this.o.store.read();
    if (pairing === null) throw new ServiceError({ code: 'NOT_PAIRED', message: 'No security key is paired on this computer: pair one first.' });
    const phase = { writing: false };
    const written = await this.beforeTheWrite(pairing, input, phase).catch((e: unknown) => {
      throw stillSignIn(e, pairing.certificate, this.o.now(), phase.writing);
    });
    return this.afterTheWrite(pairing, written);
  }

  /** Everything up to and including the one write of the new certificate, read back. */
  private async beforeTheWrite(pairing: PairingRecord, input: RenewInput, phase: { writing: boolean }): Promise<Written> {
    // Rules first: a PIN the card cannot hold is never sent (it would cost a try).
    if (input.pin.length < PIN_MIN_LENGTH || input.pin.length > PIN_MAX_LENGTH) {
      throw new ServiceError({ code: 'PIN_INCORRECT', message: `A PIN has ${PIN_MIN_LENGTH} to ${PIN_MAX_LENGTH} characters; the one typed has ${input.pin.length}. No attempt was used.`, detail: 'length' });
    }
    if (this.o.policy.enrollment.backend === 'scep' && this.o.policy.enrollment.challenge === undefined && (input.enrollmentPassword ?? '') === '') {
      throw new ServiceError({ code: 'ENROLLMENT_PASSWORD_REQUIRED', message: "Your company's certificate service needs the enrollment password your administrator gave you. Enter it and try again." });
    }
    const keys = await this.o.keys.refresh();
    const key = keys.find((k) => k.serial === pairing.serial);
    if (key === undefined) {
      // Not "not plugged in" while a key is there but busy (another program, or another copy of this app).
      const held = this.o.keys.heldByAnotherProgram();
      if (held !== undefined) throw held;
      const other = keys[0];
      if (other !== undefined) {
        throw new ServiceError({ code: 'OTHER_KEY', message: `Security key ${other.serial} is plugged in, but the key paired on this computer is ${pairing.serial}. Plug in key ${pairing.serial} and try again.`, detail: String(other.serial) });
      }
      throw new ServiceError({ code: 'NO_KEY', message: `Your security key isn't plugged in. Plug in key ${pairing.serial} and try again.` });
    }
    await this.o.enrollment.checkReachable();

    return this.o.lock.run(key.reader, async (connection) => {
      this.progress('checking-key');
      const session = await PivSession.open(connection);
      await checkSerial(session, pairing.serial, 'renewing');
      const old = await readCertificate(session, SLOT.AUTHENTICATION);
      if (old === null) throw new ServiceError({ code: 'NO_VALID_CERTIFICATE', message: 'No valid certificates were found on this smart card: slot 9a is empty. Pair the key again.' });
      const slotKey = await this.slotPublicKey(session, old);
      this.requirePairedKeyPair(pairing, slotKey);
      const retries = await session.pinRetries();
      if (retries === 0) throw new NativeError('PIN_BLOCKED', 'Too many failed attempts: the PIN of this key is blocked.', { retries: 0 });

      this.progress('requesting-certificate');
      await session.verifyPin(secretFromText(input.pin));
      const csr = await buildCardCsr(session, pairing.algorithm, slotKey, this.o.identity, input.enrollmentPassword);
      await this.o.audit.record({ event: 'WORKSTATION_CERTIFICATE_REQUESTED', outcome: 'success', keySerial: pairing.serial, detail: 'renewal' });
      let issued: Uint8Array;
      try {
        const answer = await this.o.enrollment.enroll(csr, this.o.identity);
        this.progress('checking-certificate');
        const caPin = this.o.policy.enrollment.backend === 'scep' ? (this.o.policy.enrollment.caPin ?? null) : null;
        const anchor = caPin === null ? (await this.o.enrollment.caCertificates())[0] : undefined;
        await checkIssuedCertificate({ issued: answer, slotPublicKey: slotKey, caPin, anchor, policy: this.o.policy, identity: this.o.identity, now: this.o.now() });
        issued = answer.certificate;
      } catch (e) {
        await this.o.audit.record({ event: 'WORKSTATION_CERTIFICATE_ISSUED', outcome: 'failure', keySerial: pairing.serial, detail: toAppError(e).code });
        throw e;
      }
      const cert = new x509.X509Certificate(issued);
      await this.o.audit.record({ event: 'WORKSTATION_CERTIFICATE_ISSUED', outcome: 'success', keySerial: pairing.serial, certificateSerial: cert.serialNumber.toLowerCase(), certificateThumbprint: thumbprint(issued) });

      this.progress('writing-certificate');
      // Journaled before the key changes: a pull or crash after the write still leaves a pairing the app recognises.
      const journal = await this.o.store.read();
      await this.o.store.write({ ...journal, pairing: { ...(journal.pairing ?? pairing), renewing: storedCertificate(issued) } });
      await authenticateWithKnownKey(session);
      phase.writing = true;
      await writeCertificate(session, SLOT.AUTHENTICATION, issued);
      const readBack = await readCertificate(session, SLOT.AUTHENTICATION);
      if (readBack === null || !Buffer.from(readBack).equals(Buffer.from(issued))) {
        throw new NativeError('CARD_ERROR', 'The security key did not keep the new certificate.');
      }
      return { serial: pairing.serial, old: { der: old, serial: new x509.X509Certificate(old).serialNumber.toLowerCase() }, issued };
    });
  }

  /** The public key of slot 9A: from the key itself on 5.3+, else from its certificate. */
  private async slotPublicKey(session: PivSession, certificate: Uint8Array): Promise<KeyObject> {
    if (supports(session.version, 'metadata')) {
      const metadata = await slotMetadata(session, SLOT.AUTHENTICATION);
      if (metadata === null) throw new ServiceError({ code: 'NO_VALID_CERTIFICATE', message: 'No valid certificates were found on this smart card: slot 9a holds no key. Pair the key again.' });
      return metadata.publicKey;
    }
    try {
      return createPublicKey({ key: Buffer.from(new x509.X509Certificate(certificate).publicKey.rawData), format: 'der', type: 'spki' });
    } catch {
      throw new ServiceError({ code: 'NO_VALID_CERTIFICATE', message: 'No valid certificates were found on this smart card: the certificate in slot 9a cannot be read. Pair the key again.' });
    }
  }

  /** Renewal keeps the key pair made at pairing: the slot must still hold it. */
  private requirePairedKeyPair(pairing: PairingRecord, slotKey: KeyObject): void {
    const paired = new x509.X509Certificate(Buffer.from(pairing.certificate.derBase64, 'base64'));
    const pairedKey = createPublicKey({ key: Buffer.from(paired.publicKey.rawData), format: 'der', type: 'spki' });
    if (!spki(pairedKey).equals(spki(slotKey))) {
      throw new ServiceError({ code: 'NO_VALID_CERTIFICATE', message: 'The key in slot 9a of this security key is not the one paired on this computer (it was changed by another tool). Remove the pairing and pair the key again.' });
    }
  }

  /** The key holds the new certificate: the record, the audit log and the old certificate's revocation follow. */
  private async afterTheWrite(pairing: PairingRecord, written: Written): Promise<RenewalView> {
    this.progress('saving');
    const warnings: string[] = [];
    const cert = new x509.X509Certificate(written.issued);
    const stored = storedCertificate(written.issued);
    let reminder = null;
    try {
      const state = await this.o.store.read();
      // The journaled certificate is now the record's: the journal entry goes.
      const record: PairingRecord = { ...(state.pairing ?? pairing), certificate: stored };
      delete record.renewing;
      await this.o.store.write({ ...state, pairing: record, reminder: freshReminderState() });
      reminder = reminderSchedule(cert.notAfter, this.o.now(), this.o.policy.renewal, freshReminderState()).view;
    } catch (e) {
      warnings.push(`The new certificate is on your security key, but this computer's record of it could not be saved (${toAppError(e).message}). Renewal reminders may continue until it is.`);
    }
    const audit = async (entry: Parameters<AuditLog['record']>[0]): Promise<void> => {
      await this.o.audit.record(entry).catch((e: unknown) => warnings.push(`The audit log could not be written (${e instanceof Error ? e.message : String(e)}).`));
    };
    await audit({ event: 'WORKSTATION_ACCEPTED_NEW_CERTIFICATE', outcome: 'success', keySerial: written.serial, certificateSerial: stored.serial, previousCertificateSerial: written.old.serial, certificateThumbprint: stored.thumbprint });
    // Only now, with the new certificate on the key and read back, is the old one revoked (where the CA can).
    try {
      if (await this.o.enrollment.revoke(written.old.der, 'superseded')) {
        await audit({ event: 'WORKSTATION_CERTIFICATE_REVOKED', outcome: 'success', keySerial: written.serial, certificateSerial: written.old.serial, detail: 'superseded' });
      }
    } catch (e) {
      this.o.log?.(`renewal: revoking the old certificate failed (${toAppError(e).code})`);
      warnings.push(`The old certificate (serial ${written.old.serial}) could not be revoked; your administrator can revoke it.`);
      await audit({ event: 'WORKSTATION_CERTIFICATE_REVOKED', outcome: 'failure', keySerial: written.serial, certificateSerial: written.old.serial, detail: toAppError(e).code });
    }
    await this.o.keys.refresh().catch(() => undefined);
    return { serial: written.serial, certificate: certificateView(cert), previousSerial: written.old.serial, reminder, warnings };
  }
}

/** A failure before the write was confirmed: the same code, and a sentence saying the user can still sign in. */
function stillSignIn(error: unknown, current: StoredCertificate, now: Date, writing: boolean): ServiceError {
  const appError = toAppError(error);
  const expired = new Date(current.notAfter).getTime() <= now.getTime();
  let kept: string;
  if (writing) {
    // A write interrupted on the card is either done whole or not at all: either certificate lets the user sign in.
    kept = `The new certificate may not have been written. You can still sign in: your security key holds either your current certificate${expired ? '' : ` (valid until ${current.notAfter})`} or the new one. Plug it in and choose "Renew now" again.`;
  } else {
    kept = expired
      ? 'Nothing was changed on your security key.'
      : `Nothing was changed: your current certificate is still on your security key, and you can still sign in with it until ${current.notAfter}.`;
  }
  const what = appError.code === 'ENROLLMENT_UNREACHABLE' ? "The company network can't be reached. Connect to the company VPN, then try again." : appError.message;
  return new ServiceError({ ...appError, message: `${what} ${kept}` });
}

/** A certificate as the pairing record keeps it. */
function storedCertificate(der: Uint8Array): StoredCertificate {
  return { ...certificateView(new x509.X509Certificate(der)), thumbprint: thumbprint(der), derBase64: Buffer.from(der).toString('base64') };
}
