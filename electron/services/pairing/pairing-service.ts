// Pairing: checks first (company network, a supported key, the PIN rules),
// then the steps on the key in order, each recorded in a journal once it has
// changed the key, so an interruption (key pulled, app killed) is found at
// the next start and can be finished. Progress is reported step by step.
import { NativeError } from '../../../native/errors.ts';
import type { PivSession } from '../../../native/piv/session.ts';
import type { DeviceContext } from '../../../native/yubikey/key-info.ts';
import { secretFromText } from '../../../native/piv/secrets.ts';
import { isRocaAffected } from '../../../native/yubikey/version.ts';
import * as x509 from '../../../native/x509.ts';
import type { PairingStepName, PairingView, PrecheckView, ProgressEvent } from '../../ipc/contract.ts';
import { DEFAULT_PIV_PIN, firstPinRuleFailure } from '../../ipc/pin-rules.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { ServiceError } from '../app-error.ts';
import type { EnrollmentBackend, EnrollmentIdentity } from '../enrollment/backend.ts';
import { checkIssuedCertificate } from '../enrollment/certificate-checks.ts';
import type { KeyLock } from '../key-lock.ts';
import type { KeyService } from '../keys/key-service.ts';
import type { Policy } from '../policy/policy-schema.ts';
import type { JsonStore } from '../store/json-store.ts';
import { applyPukPolicy, buildCardCsr, createSlotKey, openIdentifiedKey, secureManagementKey, thumbprint, writePairingObjects } from './card-steps.ts';
import { freshReminderState, PAIRING_STEPS, type PairingRecord, type PairingState, stepIndex } from './pairing-store.ts';
import { pairingView } from './pairing-view.ts';

export interface PairingServiceOptions {
  readonly store: JsonStore<PairingState>;
  readonly keys: KeyService;
  readonly lock: KeyLock;
  readonly enrollment: EnrollmentBackend;
  readonly policy: Policy;
  readonly identity: EnrollmentIdentity;
  readonly audit: AuditLog;
  readonly digitsOnly: boolean;
  readonly now: () => Date;
  readonly onProgress: (event: ProgressEvent) => void;
}

export interface PairInput {
  readonly serial: number;
  readonly temporaryPin: string;
  readonly newPin: string;
  readonly confirmation: string;
  /** The SCEP challenge password, when the policy holds none. */
  readonly enrollmentPassword?: string | undefined;
}

const fail = (code: 'NO_KEY' | 'ALREADY_PAIRED' | 'UNSUPPORTED_KEY' | 'PAIRING_INTERRUPTED' | 'NOT_PAIRED', message: string): ServiceError => new ServiceError({ code, message });

export class PairingService {
  constructor(private readonly o: PairingServiceOptions) {}

  /** An enterprise CA whose challenge password the policy leaves to the user (design.md: "omitted = asked from the user"). */
  get enrollmentPasswordNeeded(): boolean {
    return this.o.policy.enrollment.backend === 'scep' && this.o.policy.enrollment.challenge === undefined;
  }

  /** Asked before the key is touched, so a missing password never costs a step on the key. */
  private requireEnrollmentPassword(password: string | undefined): void {
    if (this.enrollmentPasswordNeeded && (password === undefined || password === '')) {
      throw new ServiceError({ code: 'ENROLLMENT_PASSWORD_REQUIRED', message: 'Your company\'s certificate service needs the enrollment password your administrator gave you. Enter it and try again.' });
    }
  }

  private progress(step: PairingStepName): void {
    this.o.onProgress({ step, index: stepIndex(step) + 1, total: PAIRING_STEPS.length });
  }

  /** The checks before anything is asked of the user: company network, a supported key. */
  async precheck(reader?: string): Promise<PrecheckView> {
    await this.o.enrollment.checkReachable();
    const keys = await this.o.keys.refresh();
    const candidates = reader === undefined ? keys : keys.filter((k) => k.reader === reader);
    const key = candidates[0];
    if (key === undefined) throw fail('NO_KEY', "Your security key isn't plugged in. Plug it into a USB port and try again.");
    if (candidates.length > 1) throw new ServiceError({ code: 'MULTIPLE_KEYS', message: 'More than one security key is plugged in. Unplug the ones you do not want to pair.' });
    const major = Number(key.firmware.split('.')[0]);
    if (!(major >= 4)) throw fail('UNSUPPORTED_KEY', 'This security key is not a YubiKey 4 or 5. Use a supported key.');
    return { key, pinRetries: key.pinRetries };
  }

  async pair(input: PairInput): Promise<PairingView> {
    // 1. Rules first: a rule failure never costs a PIN attempt.
    const rule = firstPinRuleFailure({ newPin: input.newPin, confirmation: input.confirmation, currentPin: input.temporaryPin, digitsOnly: this.o.digitsOnly });
    if (rule !== null) throw new ServiceError({ code: rule.code, message: rule.message, detail: rule.field });
    this.requireEnrollmentPassword(input.enrollmentPassword);
    const state = await this.o.store.read();
    if (state.pairing !== null) throw fail('ALREADY_PAIRED', `Security key ${state.pairing.serial} is already paired on this computer. Remove it first.`);
    if (state.pending !== null && state.pending.serial === input.serial && stepIndex(state.pending.completed) >= stepIndex('setting-pin')) {
      throw fail('PAIRING_INTERRUPTED', 'Pairing this key was interrupted after its PIN was changed. Finish it with the PIN you chose.');
    }
    await this.o.enrollment.checkReachable();
    // What was read when the key was identified (firmware, tries, management key) is passed along, not asked again.
    const device = await this.o.keys.device(input.serial);
    if (device === null) throw fail('NO_KEY', "Your security key isn't plugged in. Plug it in and try again.");

    const view = await this.o.lock.run(device.reader, async (connection) => {
      this.progress('checking-key');
      const session = await openIdentifiedKey(connection, device);
      if (this.o.policy.key.algorithm.startsWith('RSA') && isRocaAffected(session.version)) {
        throw new NativeError('ROCA_VULNERABLE', 'This YubiKey 4 cannot make safe RSA keys (ROCA, Yubico advisory YSA-2017-01). Ask your administrator for a replacement key, or for an ECC policy.');
      }
      if (device.pinRetries === 0) throw new NativeError('PIN_BLOCKED', 'Too many failed attempts: the PIN of this key is blocked.', { retries: 0 });

      // 2. The temporary PIN: exactly one try per user action (CHANGE REFERENCE checks it as VERIFY would).
      this.progress('setting-pin');
      await session.changeReference('pin', secretFromText(input.temporaryPin), secretFromText(input.newPin));
      await this.journal(input.serial, 'setting-pin');

      return this.finish(session, device, input.newPin, input.temporaryPin === DEFAULT_PIV_PIN, input.enrollmentPassword);
    });
    // The list learns of the change without reading the key now where nobody waits for it (the command line).
    this.o.keys.keyChanged(device.reader);
    return view;
  }

  /** Finishes a pairing interrupted after the PIN was changed; `pin` is the PIN the user chose. */
  async resume(serial: number, pin: string, enrollmentPassword?: string): Promise<PairingView> {
    this.requireEnrollmentPassword(enrollmentPassword);
    const state = await this.o.store.read();
    if (state.pending === null || state.pending.serial !== serial) throw fail('NOT_PAIRED', 'There is no interrupted pairing for this key.');
    const device = await this.o.keys.device(serial);
    if (device === null) throw fail('NO_KEY', "Your security key isn't plugged in. Plug it in and try again.");
    const view = await this.o.lock.run(device.reader, async (connection) => {
      this.progress('checking-key');
      const session = await openIdentifiedKey(connection, device);
      this.progress('setting-pin');
      await session.verifyPin(secretFromText(pin));
      // Whether the PUK was still the factory one is not known any more: leave it unless metadata tells.
      return this.finish(session, device, pin, false, enrollmentPassword);
    });
    this.o.keys.keyChanged(device.reader);
    return view;
  }

  private async journal(serial: number, completed: PairingStepName): Promise<void> {
    const state = await this.o.store.read();
    const startedAt = state.pending?.serial === serial ? state.pending.startedAt : this.o.now().toISOString();
    await this.o.store.write({ ...state, pending: { serial, completed, startedAt } });
  }

  /** Steps 3–7, from a session whose PIN is the user's new PIN. */
  private async finish(session: PivSession, device: DeviceContext, pin: string, temporaryPinWasDefault: boolean, enrollmentPassword?: string): Promise<PairingView> {
    const serial = device.serial;
    this.progress('securing-key');
    // A changed PIN must be verified again; once verified it stays so for this session.
    if (!session.pinVerified) await session.verifyPin(secretFromText(pin));
    await secureManagementKey(session, device);
    await this.journal(serial, 'securing-key');

    this.progress('setting-puk');
    await applyPukPolicy(session, this.o.policy, temporaryPinWasDefault);
    await this.journal(serial, 'setting-puk');

    this.progress('creating-key');
    const publicKey = await createSlotKey(session, this.o.policy);
    await this.journal(serial, 'creating-key');

    this.progress('requesting-certificate');
    if (!session.pinVerified) await session.verifyPin(secretFromText(pin));
    const csr = await buildCardCsr(session, this.o.policy.key.algorithm, publicKey, this.o.identity, enrollmentPassword);
    await this.o.audit.record({ event: 'WORKSTATION_CERTIFICATE_REQUESTED', outcome: 'success', keySerial: serial });
    let issued;
    try {
      issued = await this.o.enrollment.enroll(csr, this.o.identity);
      const caPin = this.o.policy.enrollment.backend === 'scep' ? (this.o.policy.enrollment.caPin ?? null) : null;
      const anchor = caPin === null ? (await this.o.enrollment.caCertificates())[0] : undefined;
      await checkIssuedCertificate({ issued, slotPublicKey: publicKey, caPin, anchor, policy: this.o.policy, identity: this.o.identity, now: this.o.now() });
    } catch (e) {
      await this.o.audit.record({ event: 'WORKSTATION_CERTIFICATE_ISSUED', outcome: 'failure', keySerial: serial, detail: e instanceof Error && 'code' in e ? String(e.code) : 'error' });
      throw e;
    }
    const cert = new x509.X509Certificate(issued.certificate);
    const certSerial = cert.serialNumber.toLowerCase();
    await this.o.audit.record({ event: 'WORKSTATION_CERTIFICATE_ISSUED', outcome: 'success', keySerial: serial, certificateSerial: certSerial, certificateThumbprint: thumbprint(issued.certificate) });
    await this.journal(serial, 'requesting-certificate');

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
    };
    const state = await this.o.store.read();
    await this.o.store.write({ ...state, pairing: record, pending: null, reminder: freshReminderState() });
    await this.o.audit.record({ event: 'SECURITY_KEY_PAIRED', outcome: 'success', keySerial: serial, certificateSerial: certSerial, certificateThumbprint: record.certificate.thumbprint });
    await this.o.audit.record({ event: 'WORKSTATION_ENROLLED', outcome: 'success', keySerial: serial, certificateSerial: certSerial });
    return pairingView({ pairing: record, pending: null })!;
  }
}
