// Pairing: checks first (the PIN rules, the user's identity, the data folder,
// company network, the key and its tries), then the steps on the key in order.
// The journal says which step is begun before the key is touched and which
// completed after, so an interruption (key pulled, app killed) is found at the
// next start and finished from its last completed step: the key pair made and
// the certificate issued are journaled, so a resume never enrolls twice, and a
// certificate that can no longer be written is revoked or reported
// (unused-certificate.ts). Once the key has changed, a failure to log or save
// is a warning beside the result: the change on the key stands.
import { NativeError } from '../../../native/errors.ts';
import type { PivSession } from '../../../native/piv/session.ts';
import type { DeviceContext } from '../../../native/yubikey/key-info.ts';
import { secretFromText } from '../../../native/piv/secrets.ts';
import { isRocaAffected, supports } from '../../../native/yubikey/version.ts';
import * as x509 from '../../../native/x509.ts';
import { PAIRING_STEPS, type PairingStepName } from '../../ipc/contract-names.ts';
import type { ChannelInput, ChannelResults, PairingView, PrecheckView, ProgressEvent } from '../../ipc/contract.ts';
import { DEFAULT_PIV_PIN, firstPinRuleFailure } from '../../ipc/pin-rules.ts';
import { PIN_SET_PAIRING_UNFINISHED } from '../../ipc/outcome-words.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { afterKeyChanged, checkCurrentSecret, pinRuleError, ServiceError, Warnings } from '../app-error.ts';
import { identityProblem } from '../enrollment/identity.ts';
import type { KeyRequest } from '../keys/key-selection.ts';
import { checkDataFolder, checkWritableFile } from '../store/data-folder.ts';
import { lastTryError } from '../pin/last-try.ts';
import { staleReason } from './stale-pairing.ts';
import type { TrustStore } from '../attestation/trust-store.ts';
import { attestationStep, type AttestationOutcome } from './attestation-step.ts';
import { applyPukPolicy, createSlotKey, openIdentifiedKey, secureManagementKey, slotKeyPair, thumbprint, writePairingObjects } from './card-steps.ts';
import { freshReminderState, type PairingRecord, type PendingPairing, stepIndex } from './pairing-store.ts';
import { issuedForJournal, journaledCertificate, journaledSlotKey, publicKeyText } from './resume-steps.ts';
import { retireUnusedCertificate } from './unused-certificate.ts';
import { auditAfterKeyChanged, enrollForPairing, stillUsable } from './issued-certificate.ts';
import { pairingView } from './pairing-view.ts';
import type { CertificateFlowOptions } from './certificate-flow-options.ts';

export interface PairingServiceOptions extends CertificateFlowOptions {
  readonly dataDir: string;
  readonly digitsOnly: boolean;
  readonly onProgress: (event: ProgressEvent) => void;
  /** Yubico's roots and the policy's extraRoots (attestation/app-trust.ts). */
  readonly attestationTrust: () => TrustStore;
}

export type PairInput = ChannelInput<'pairing.pair'>;

type PairedView = ChannelResults['pairing.pair'];

/** What finishing did on the key, and the saving of its record, which goes on after the key is released. */
interface FinishedOnKey {
  readonly paired: PairingView;
  readonly saved: Promise<void>;
}

export class PairingService {
  constructor(private readonly o: PairingServiceOptions) {}

  /** An enterprise CA whose challenge password the policy leaves to the user (design.md: "omitted = asked from the user"). */
  get enrollmentPasswordNeeded(): boolean {
    return this.o.policy.enrollment.backend === 'scep' && this.o.policy.enrollment.challenge === undefined;
  }

  /** Asked before the key is touched, so a missing password never costs a step on the key. */
  private requireEnrollmentPassword(password: string | undefined): void {
    if (this.enrollmentPasswordNeeded && (password === undefined || password === '')) {
      throw new ServiceError('ENROLLMENT_PASSWORD_REQUIRED', {});
    }
  }

  private progress(step: PairingStepName): void {
    this.o.onProgress({ step, index: stepIndex(step) + 1, total: PAIRING_STEPS.length });
  }

  /** Everything that can be checked without the key: the user's identity and the data folder (store and audit log writable). */
  private async checkSurroundings(): Promise<void> {
    const problem = identityProblem(this.o.identity);
    if (problem !== null) throw new ServiceError('IDENTITY_INVALID', problem, { detail: this.o.identity.upn });
    await checkDataFolder(this.o.dataDir, { write: true });
    await checkWritableFile(this.o.store.file);
    await this.o.audit.checkWritable();
  }

  /** The checks before anything is asked of the user: identity, data folder, company network, a supported key. */
  async precheck(request: KeyRequest = {}): Promise<PrecheckView> {
    await this.checkSurroundings();
    await this.o.enrollment.checkReachable();
    const key = await this.o.keys.select(request, { pairedOnly: false });
    const major = Number(key.firmware.split('.')[0]);
    if (!(major >= 4)) throw new ServiceError('UNSUPPORTED_KEY', {});
    return { key, pinRetries: key.pinRetries };
  }

  async pair(input: PairInput): Promise<PairedView> {
    // 1. Everything that needs no key first: a failure here never costs a PIN attempt or changes the key.
    checkCurrentSecret(input.temporaryPin, 'PIN');
    const rule = firstPinRuleFailure({ newPin: input.newPin, confirmation: input.confirmation, currentPin: input.temporaryPin, digitsOnly: this.o.digitsOnly });
    if (rule !== null) throw pinRuleError(rule);
    this.requireEnrollmentPassword(input.enrollmentPassword);
    await this.checkSurroundings();
    const state = await this.o.store.read();
    if (state.pending !== null && state.pending.serial === input.serial && stepIndex(state.pending.completed) >= stepIndex('setting-pin')) {
      throw new ServiceError('PAIRING_INTERRUPTED', { serial: input.serial, stage: 'pin-changed' });
    }
    const interruptedWhileSettingPin =
      state.pending !== null && state.pending.serial === input.serial && state.pending.completed === 'checking-key' && state.pending.started === 'setting-pin';
    await this.o.enrollment.checkReachable();
    // What was read when the key was identified (firmware, tries, management key) is passed along, not asked again.
    const device = await this.o.keys.device(input.serial);
    if (device === null) throw new ServiceError('NO_KEY', {});
    // A stale pairing of this very key (reset outside the app) is replaced: pairing again is its remedy.
    if (state.pairing !== null && staleReason(state.pairing, await this.o.keys.detailsOf(state.pairing.serial)) === null) {
      throw new ServiceError('ALREADY_PAIRED', { serial: state.pairing.serial });
    }
    if (device.pinRetries === 0) throw new ServiceError('PIN_BLOCKED', { serial: device.serial }, { retries: 0 });
    if (device.pinRetries === 1 && input.lastTryConfirmed !== true) throw lastTryError(device.serial);

    const warnings = new Warnings();
    const view = await this.o.lock.run(device.reader, async (connection) => {
      this.progress('checking-key');
      const session = await openIdentifiedKey(connection, device);
      if (this.o.policy.key.algorithm.startsWith('RSA') && isRocaAffected(session.version)) {
        throw new ServiceError('ROCA_VULNERABLE', { advice: 'ask-admin' });
      }

      // Interrupted while the PIN was being set, by the factory PIN: the key says (5.3+) whether it still has it,
      // without a try. If not, the PIN is the one the user chose: finish the pairing with it instead.
      if (
        interruptedWhileSettingPin &&
        input.temporaryPin === DEFAULT_PIV_PIN &&
        supports(session.version, 'metadata') &&
        !(await session.referenceMetadata('pin')).isDefault
      ) {
        await this.journal(input.serial, 'setting-pin', 'securing-key');
        throw new ServiceError('PAIRING_INTERRUPTED', { serial: input.serial, stage: 'pin-changed' });
      }

      // The journal first: from here on the key changes, and an interruption must be explainable.
      // Another key's unfinished pairing it replaces may hold a certificate no key will get: retire it.
      const replaced = await this.o.store.read();
      const orphan = replaced.pending !== null && replaced.pending.serial !== input.serial ? journaledCertificate(replaced.pending) : null;
      await this.journal(input.serial, 'checking-key', 'setting-pin', { fresh: true });
      if (orphan !== null && replaced.pending !== null) {
        await retireUnusedCertificate(this.o, { der: orphan.certificate, keySerial: replaced.pending.serial, reason: 'cessationOfOperation' }, warnings);
      }

      // 2. The temporary PIN: exactly one try per user action. CHANGE REFERENCE checks it as VERIFY
      // would (a wrong one costs the same single try), so no VERIFY goes before it.
      this.progress('setting-pin');
      try {
        await session.changeReference('pin', secretFromText(input.temporaryPin), secretFromText(input.newPin));
      } catch (e) {
        // The card refused the PIN: nothing changed, so the journal has nothing to explain.
        if (e instanceof NativeError && (e.code === 'PIN_INCORRECT' || e.code === 'PIN_BLOCKED')) await this.clearJournal(input.serial).catch(() => undefined);
        throw e;
      }
      try {
        await warnings.attempt('journalNotSaved', () => this.journal(input.serial, 'setting-pin', 'securing-key'));
        return await this.finish(session, device, input.newPin, input.temporaryPin === DEFAULT_PIV_PIN, warnings, input.enrollmentPassword);
      } catch (e) {
        throw afterKeyChanged(e, PIN_SET_PAIRING_UNFINISHED);
      }
    });
    await view.saved;
    // The list learns of the change without reading the key now where nobody waits for it (the command line).
    this.o.keys.keyChanged(device.reader);
    return { ...view.paired, warnings: warnings.list };
  }

  /** Finishes a pairing interrupted after the PIN was changed; `pin` is the PIN the user chose. */
  async resume(serial: number, pin: string, enrollmentPassword?: string, lastTryConfirmed?: boolean): Promise<PairedView> {
    checkCurrentSecret(pin, 'PIN');
    this.requireEnrollmentPassword(enrollmentPassword);
    await this.checkSurroundings();
    const state = await this.o.store.read();
    if (state.pending === null || state.pending.serial !== serial) throw new ServiceError('NOT_PAIRED', { context: 'no-interrupted-pairing' });
    const pending = state.pending;
    const device = await this.o.keys.device(serial);
    if (device === null) {
      const other = (await this.o.keys.refresh())[0];
      if (other !== undefined) {
        throw new ServiceError(
          'OTHER_KEY',
          { flow: 'finish-pairing', found: other.serial, wanted: serial },
          { detail: `plugged in ${other.serial}, pairing ${serial}` },
        );
      }
      throw new ServiceError('NO_KEY', { serial });
    }
    if (device.pinRetries === 1 && lastTryConfirmed !== true) throw lastTryError(serial);
    const warnings = new Warnings();
    const view = await this.o.lock.run(device.reader, async (connection) => {
      this.progress('checking-key');
      const session = await openIdentifiedKey(connection, device);
      this.progress('setting-pin');
      await session.verifyPin(secretFromText(pin));
      // Whether the PUK was still the factory one is not known any more: leave it unless metadata tells.
      return this.finish(session, device, pin, false, warnings, enrollmentPassword, pending);
    });
    await view.saved;
    this.o.keys.keyChanged(device.reader);
    return { ...view.paired, warnings: warnings.list };
  }

  /**
   * Records the last completed step (and the one begun). What earlier steps
   * made (the slot's public key, the issued certificate) is kept, unless
   * `fresh` (a new pairing) or `kept` replaces it.
   */
  private async journal(
    serial: number,
    completed: PairingStepName,
    started?: PairingStepName,
    kept: Partial<Pick<PendingPairing, 'publicKey' | 'issued'>> & { fresh?: boolean } = {},
  ): Promise<void> {
    const state = await this.o.store.read();
    const same = state.pending?.serial === serial && kept.fresh !== true ? state.pending : null;
    const startedAt = same?.startedAt ?? this.o.now().toISOString();
    const publicKey = kept.publicKey ?? same?.publicKey;
    const issued = kept.issued ?? same?.issued;
    // A stale record of this key goes now: the key is being paired again.
    const pairing = state.pairing?.serial === serial ? null : state.pairing;
    const pending: PendingPairing = {
      serial,
      completed,
      ...(started === undefined ? {} : { started }),
      startedAt,
      ...(publicKey === undefined ? {} : { publicKey }),
      ...(issued === undefined ? {} : { issued }),
    };
    await this.o.store.write({ ...state, pairing, pending });
  }

  private async clearJournal(serial: number): Promise<void> {
    const state = await this.o.store.read();
    if (state.pending?.serial === serial && state.pending.completed === 'checking-key') await this.o.store.write({ ...state, pending: null });
  }

  /** Journal a step after the key changed: a failure to save it is a warning, never a failure. */
  private step(
    warnings: Warnings,
    serial: number,
    completed: PairingStepName,
    next: PairingStepName,
    kept: Partial<Pick<PendingPairing, 'publicKey' | 'issued'>> = {},
  ): Promise<boolean> {
    return warnings.attempt('journalNotSaved', () => this.journal(serial, completed, next, kept));
  }

  private audit(warnings: Warnings, entry: Parameters<AuditLog['record']>[0]): Promise<boolean> {
    return auditAfterKeyChanged(this.o, warnings, entry);
  }

  /**
   * Steps 3–7, from a session whose PIN is the user's new PIN. A resume
   * (`from`, the journal) skips the steps it completed: the key pair it made,
   * when slot 9a still holds it, and the certificate issued for it, when that
   * still passes the checks, are used again; one that cannot be is retired.
   */
  private async finish(
    session: PivSession,
    device: DeviceContext,
    pin: string,
    temporaryPinWasDefault: boolean,
    warnings: Warnings,
    enrollmentPassword?: string,
    from?: PendingPairing,
  ): Promise<FinishedOnKey> {
    const serial = device.serial;
    const done = (step: PairingStepName): boolean => from !== undefined && stepIndex(from.completed) >= stepIndex(step);
    if (!done('securing-key')) {
      this.progress('securing-key');
      // A changed PIN must be verified again; once verified it stays so for this session.
      if (!session.pinVerified) await session.verifyPin(secretFromText(pin));
      await secureManagementKey(session, device);
      await this.step(warnings, serial, 'securing-key', 'setting-puk');
    }
    if (!done('setting-puk')) {
      this.progress('setting-puk');
      await applyPukPolicy(session, this.o.policy, temporaryPinWasDefault);
      await this.step(warnings, serial, 'setting-puk', 'creating-key');
    }
    let publicKey = from !== undefined && done('creating-key') ? await journaledSlotKey(session, from) : null;
    let keyJournaled: Promise<unknown> = Promise.resolve();
    if (publicKey === null) {
      this.progress('creating-key');
      const making = createSlotKey(session, this.o.policy);
      making.catch(() => undefined);
      // The card takes seconds to make the key: the host loads what checking its attestation needs meanwhile.
      await new Promise((resolve) => setImmediate(resolve));
      this.preloadAttestationTrust();
      publicKey = await making;
      // Journaled while the key's attestation is read (which changes nothing on the key); the certificate is asked for only after.
      keyJournaled = this.step(warnings, serial, 'creating-key', 'requesting-certificate', { publicKey: publicKeyText(publicKey) });
    }
    // The CSR's key pair is host work: it is made while the card answers the attestation reads.
    const keyPair = slotKeyPair(session, this.o.policy.key.algorithm, publicKey);
    // Proof the key was made on the key, checked before any certificate is asked for (and again on a resume:
    // the record keeps it). The key has changed already: its log entry not written is a warning, like every
    // other entry from here on.
    let attested: AttestationOutcome;
    try {
      attested = await attestationStep({
        session,
        serial,
        publicKey,
        trust: this.o.attestationTrust,
        now: this.o.now(),
        require: this.o.policy.attestation.require,
        audit: { record: async (entry) => void (await this.audit(warnings, entry)) },
      });
    } finally {
      await keyJournaled;
    }
    const journaled = from !== undefined && done('requesting-certificate') ? journaledCertificate(from) : null;
    let issued = journaled === null ? null : await stillUsable(this.o, journaled, publicKey, serial, warnings);
    if (issued === null) {
      this.progress('requesting-certificate');
      issued = await enrollForPairing(this.o, session, { serial, pin, publicKey, attested, enrollmentPassword, keyPair }, warnings);
      await this.step(warnings, serial, 'requesting-certificate', 'saving', { issued: issuedForJournal(issued) });
    }
    const cert = new x509.X509Certificate(issued.certificate);
    const certSerial = cert.serialNumber.toLowerCase();

    this.progress('saving');
    await writePairingObjects(session, issued.certificate);
    const record: PairingRecord = {
      serial,
      model: device.model,
      firmware: `${session.version.major}.${session.version.minor}.${session.version.patch}`,
      algorithm: this.o.policy.key.algorithm,
      certificate: {
        serial: certSerial,
        subject: cert.subject,
        notAfter: cert.notAfter.toISOString(),
        thumbprint: thumbprint(issued.certificate),
        derBase64: Buffer.from(issued.certificate).toString('base64'),
      },
      pairedAt: this.o.now().toISOString(),
      attestation: attested.record,
    };
    // Nothing more is asked of the key: the record is saved while the key is released (saving never rejects: a failure is a warning).
    const saved = (async () => {
      await warnings.attempt('pairingNotSaved', async () => {
        const state = await this.o.store.read();
        await this.o.store.write({ ...state, pairing: record, pending: null, reminder: freshReminderState() });
      });
      await this.audit(warnings, {
        event: 'SECURITY_KEY_PAIRED',
        outcome: 'success',
        keySerial: serial,
        certificateSerial: certSerial,
        certificateThumbprint: record.certificate.thumbprint,
      });
      await this.audit(warnings, { event: 'WORKSTATION_ENROLLED', outcome: 'success', keySerial: serial, certificateSerial: certSerial });
    })();
    return { paired: pairingView({ pairing: record, pending: null })!, saved };
  }

  /** Loads the attestation trust store ahead of its use; a failure is told by the attestation step, which loads it again. */
  private preloadAttestationTrust(): void {
    try {
      this.o.attestationTrust();
    } catch {
      // Told where it is used.
    }
  }
}
