// "Renew now", which must never lock the user out: the paired key's existing slot 9A key signs a new
// CSR; the certificate issued is checked exactly as at pairing (CA pin, chain,
// EKU, UPN, same public key) and only then replaces the old one, in one write,
// read back before anything else changes. Until that write, nothing on the
// key or in the record has changed, and every error says the user can still
// sign in. The PIN is asked once and tried only when every check before it
// has passed (no try spent on what the app could have known).
import type { KeyObject } from 'node:crypto';
import { createPublicKey } from 'node:crypto';
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
import { RENEWAL_WARNINGS, renewalKeptWords } from '../../ipc/outcome-words.ts';
import { checkCurrentSecret, extrasOf, ServiceError, toAppError, withContext } from '../app-error.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { buildCardCsr, checkSerial, thumbprint } from '../pairing/card-steps.ts';
import type { CertificateFlowOptions } from '../pairing/certificate-flow-options.ts';
import { checkIssued } from '../pairing/issued-certificate.ts';
import { freshReminderState, type PairingRecord, type StoredCertificate } from '../pairing/pairing-store.ts';
import { reminderSchedule } from './reminder-schedule.ts';

export interface RenewalServiceOptions extends CertificateFlowOptions {
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
    if (pairing === null) throw new ServiceError('NOT_PAIRED', { context: 'renew' });
    const phase = { writing: false };
    const written = await this.beforeTheWrite(pairing, input, phase).catch((e: unknown) => {
      throw stillSignIn(e, pairing.certificate, this.o.now(), phase.writing);
    });
    return this.afterTheWrite(pairing, written);
  }

  /** Everything up to and including the one write of the new certificate, read back. */
  private async beforeTheWrite(pairing: PairingRecord, input: RenewInput, phase: { writing: boolean }): Promise<Written> {
    // Rules first: a PIN the card cannot hold is never sent (it would cost a try).
    checkCurrentSecret(input.pin, 'PIN');
    if (this.o.policy.enrollment.backend === 'scep' && this.o.policy.enrollment.challenge === undefined && (input.enrollmentPassword ?? '') === '') {
      throw new ServiceError('ENROLLMENT_PASSWORD_REQUIRED', {});
    }
    const keys = await this.o.keys.refresh();
    const key = keys.find((k) => k.serial === pairing.serial);
    if (key === undefined) {
      // Not "not plugged in" while a key is there but busy (another program, or another copy of this app).
      const held = this.o.keys.heldByAnotherProgram();
      if (held !== undefined) throw held;
      const other = keys[0];
      if (other !== undefined) {
        throw new ServiceError('OTHER_KEY', { flow: 'renew', found: other.serial, wanted: pairing.serial }, { detail: String(other.serial) });
      }
      throw new ServiceError('NO_KEY', { serial: pairing.serial });
    }
    await this.o.enrollment.checkReachable();

    return this.o.lock.run(key.reader, async (connection) => {
      this.progress('checking-key');
      const session = await PivSession.open(connection);
      await checkSerial(session, pairing.serial, 'renewing');
      const old = await readCertificate(session, SLOT.AUTHENTICATION);
      if (old === null) throw new ServiceError('NO_VALID_CERTIFICATE', { reason: 'slot-empty' });
      const slotKey = await this.slotPublicKey(session, old);
      this.requirePairedKeyPair(pairing, slotKey);
      const retries = await session.pinRetries();
      if (retries === 0) throw new ServiceError('PIN_BLOCKED', { serial: pairing.serial }, { retries: 0 });

      this.progress('requesting-certificate');
      await session.verifyPin(secretFromText(input.pin));
      const csr = await buildCardCsr(session, pairing.algorithm, slotKey, this.o.identity, input.enrollmentPassword);
      await this.o.audit.record({ event: 'WORKSTATION_CERTIFICATE_REQUESTED', outcome: 'success', keySerial: pairing.serial, detail: 'renewal' });
      let issued: Uint8Array;
      try {
        const answer = await this.o.enrollment.enroll(csr, this.o.identity);
        this.progress('checking-certificate');
        await checkIssued(this.o, answer, slotKey);
        issued = answer.certificate;
      } catch (e) {
        await this.o.audit.record({ event: 'WORKSTATION_CERTIFICATE_ISSUED', outcome: 'failure', keySerial: pairing.serial, detail: toAppError(e).code });
        throw e;
      }
      const cert = new x509.X509Certificate(issued);
      await this.o.audit.record({
        event: 'WORKSTATION_CERTIFICATE_ISSUED',
        outcome: 'success',
        keySerial: pairing.serial,
        certificateSerial: cert.serialNumber.toLowerCase(),
        certificateThumbprint: thumbprint(issued),
      });

      this.progress('writing-certificate');
      // Journaled before the key changes: a pull or crash after the write still leaves a pairing the app recognises.
      const journal = await this.o.store.read();
      await this.o.store.write({ ...journal, pairing: { ...(journal.pairing ?? pairing), renewing: storedCertificate(issued) } });
      await authenticateWithKnownKey(session);
      phase.writing = true;
      await writeCertificate(session, SLOT.AUTHENTICATION, issued);
      const readBack = await readCertificate(session, SLOT.AUTHENTICATION);
      if (readBack === null || !Buffer.from(readBack).equals(Buffer.from(issued))) {
        throw new ServiceError('CARD_ERROR', { step: 'write-certificate', problem: 'not-kept' });
      }
      return { serial: pairing.serial, old: { der: old, serial: new x509.X509Certificate(old).serialNumber.toLowerCase() }, issued };
    });
  }

  /** The public key of slot 9A: from the key itself on 5.3+, else from its certificate. */
  private async slotPublicKey(session: PivSession, certificate: Uint8Array): Promise<KeyObject> {
    if (supports(session.version, 'metadata')) {
      const metadata = await slotMetadata(session, SLOT.AUTHENTICATION);
      if (metadata === null) throw new ServiceError('NO_VALID_CERTIFICATE', { reason: 'slot-has-no-key' });
      return metadata.publicKey;
    }
    try {
      return createPublicKey({ key: Buffer.from(new x509.X509Certificate(certificate).publicKey.rawData), format: 'der', type: 'spki' });
    } catch {
      throw new ServiceError('NO_VALID_CERTIFICATE', { reason: 'slot-unreadable' });
    }
  }

  /** Renewal keeps the key pair made at pairing: the slot must still hold it. */
  private requirePairedKeyPair(pairing: PairingRecord, slotKey: KeyObject): void {
    const paired = new x509.X509Certificate(Buffer.from(pairing.certificate.derBase64, 'base64'));
    const pairedKey = createPublicKey({ key: Buffer.from(paired.publicKey.rawData), format: 'der', type: 'spki' });
    if (!spki(pairedKey).equals(spki(slotKey))) {
      throw new ServiceError('NO_VALID_CERTIFICATE', { reason: 'slot-key-changed' });
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
      warnings.push(RENEWAL_WARNINGS.recordNotSaved(toAppError(e).message));
    }
    const audit = async (entry: Parameters<AuditLog['record']>[0]): Promise<void> => {
      await this.o.audit.record(entry).catch((e: unknown) => warnings.push(RENEWAL_WARNINGS.auditNotWritten(toAppError(e).message)));
    };
    await audit({
      event: 'WORKSTATION_ACCEPTED_NEW_CERTIFICATE',
      outcome: 'success',
      keySerial: written.serial,
      certificateSerial: stored.serial,
      previousCertificateSerial: written.old.serial,
      certificateThumbprint: stored.thumbprint,
    });
    // Only now, with the new certificate on the key and read back, is the old one revoked (where the CA can).
    try {
      if (await this.o.enrollment.revoke(written.old.der, 'superseded')) {
        await audit({
          event: 'WORKSTATION_CERTIFICATE_REVOKED',
          outcome: 'success',
          keySerial: written.serial,
          certificateSerial: written.old.serial,
          detail: 'superseded',
        });
      }
    } catch (e) {
      this.o.log?.(`renewal: revoking the old certificate failed (${toAppError(e).code})`);
      warnings.push(RENEWAL_WARNINGS.oldNotRevoked(written.old.serial));
      await audit({
        event: 'WORKSTATION_CERTIFICATE_REVOKED',
        outcome: 'failure',
        keySerial: written.serial,
        certificateSerial: written.old.serial,
        detail: toAppError(e).code,
      });
    }
    await this.o.keys.refresh().catch(() => undefined);
    return { serial: written.serial, certificate: certificateView(cert), previousSerial: written.old.serial, reminder, warnings };
  }
}

/** A failure before the write was confirmed: the same code, and a sentence saying the user can still sign in. */
function stillSignIn(error: unknown, current: StoredCertificate, now: Date, writing: boolean): ServiceError {
  const expired = new Date(current.notAfter).getTime() <= now.getTime();
  // A write interrupted on the card is either done whole or not at all: either certificate lets the user sign in.
  const kept = renewalKeptWords({ writing, expired, notAfter: current.notAfter });
  if (toAppError(error).code === 'ENROLLMENT_UNREACHABLE') {
    return new ServiceError('ENROLLMENT_UNREACHABLE', { reason: 'company-network' }, extrasOf(error), { after: kept });
  }
  return withContext(error, { after: kept });
}

/** A certificate as the pairing record keeps it. */
function storedCertificate(der: Uint8Array): StoredCertificate {
  return { ...certificateView(new x509.X509Certificate(der)), thumbprint: thumbprint(der), derBase64: Buffer.from(der).toString('base64') };
}
