// What Windows smart-card logon would do, as an in-app check: the PIN, a
// signature over a fresh challenge with the key in 9A, the signature verified
// with the certificate in 9A, the chain to the CA and its revocation list.
// Failures give the messages users know from Windows (design.md), from the message table.
import { createHash, createVerify, randomBytes } from 'node:crypto';
import { NativeError } from '../../../native/errors.ts';
import { emsaPkcs1v15 } from '../../../native/piv/card-signer.ts';
import { SLOT } from '../../../native/piv/constants.ts';
import { KEY_ALGORITHMS, signWithSlot } from '../../../native/piv/keys.ts';
import { readCertificate } from '../../../native/piv/objects.ts';
import { PivSession } from '../../../native/piv/session.ts';
import { secretFromText } from '../../../native/piv/secrets.ts';
import * as x509 from '../../../native/x509.ts';
import type { SignInCheckView } from '../../ipc/contract.ts';
import type { NoCertificateReason } from '../../ipc/error-facts.ts';
import { checkCurrentSecret, ServiceError } from '../app-error.ts';
import type { EnrollmentBackend } from '../enrollment/backend.ts';
import { EnrollmentError } from '../enrollment/enrollment-error.ts';
import type { KeyLock } from '../key-lock.ts';
import type { KeyRequest } from '../keys/key-selection.ts';
import type { KeyService } from '../keys/key-service.ts';
import { staleReason } from '../pairing/stale-pairing.ts';
import { lastTryError } from '../pin/last-try.ts';
import type { PairingState } from '../pairing/pairing-store.ts';
import { notePinChange } from '../pin/pin-service.ts';
import type { JsonStore } from '../store/json-store.ts';
import { algorithmOfCertificate } from './certificate-algorithm.ts';

const noCertificate = (reason: NoCertificateReason): ServiceError => new ServiceError('NO_VALID_CERTIFICATE', { reason });

export class SignInCheckService {
  constructor(private readonly o: { store: JsonStore<PairingState>; keys: KeyService; lock: KeyLock; enrollment: EnrollmentBackend; now: () => Date }) {}

  async check(pin: string, request: KeyRequest = {}, lastTryConfirmed = false): Promise<SignInCheckView> {
    checkCurrentSecret(pin, 'PIN');
    const { pairing } = await this.o.store.read();
    const key = await this.o.keys.select(request, { pairedOnly: false });
    const stale = staleReason(pairing, await this.o.keys.detailsOf(key.serial));
    if (stale !== null) throw new ServiceError('PAIRING_STALE', { serial: key.serial, reason: stale, context: 'check' }, { detail: String(key.serial) });
    if (key.pinRetries === 0) throw new ServiceError('SMART_CARD_BLOCKED', { serial: key.serial, context: 'check' }, { retries: 0 });
    if (key.pinRetries === 1 && !lastTryConfirmed) throw lastTryError(key.serial);
    const { der, serial } = await this.o.lock.run(key.reader, async (connection) => {
      const session = await PivSession.open(connection);
      const certificate = await readCertificate(session, SLOT.AUTHENTICATION);
      if (certificate === null) throw noCertificate('missing');
      const cert = this.usable(certificate);
      try {
        await session.verifyPin(secretFromText(pin));
      } catch (e) {
        if (e instanceof NativeError && e.code === 'PIN_BLOCKED')
          throw new ServiceError('SMART_CARD_BLOCKED', { serial: key.serial, context: 'check' }, { retries: 0 });
        throw e;
      }
      await this.proveKey(session, cert);
      return { der: certificate, serial: await session.serial() };
    });
    // The PIN was accepted: an interrupted PIN change is resolved (the user knows their PIN).
    await notePinChange(this.o.store, serial, undefined).catch(() => undefined);
    const revocationChecked = await this.checkChainAndRevocation(der);
    const cert = new x509.X509Certificate(der);
    return {
      serial,
      certificate: { serial: cert.serialNumber.toLowerCase(), subject: cert.subject, notAfter: cert.notAfter.toISOString() },
      revocationChecked,
    };
  }

  private usable(der: Uint8Array): x509.X509Certificate {
    let cert: x509.X509Certificate;
    try {
      cert = new x509.X509Certificate(der);
    } catch {
      throw noCertificate('unreadable');
    }
    const now = this.o.now();
    if (now < cert.notBefore || now > cert.notAfter) throw noCertificate('not-valid-now');
    return cert;
  }

  /** Signs a random challenge on the key and verifies it with the certificate's public key. */
  private async proveKey(session: PivSession, cert: x509.X509Certificate): Promise<void> {
    const algorithm = algorithmOfCertificate(cert);
    const challenge = randomBytes(32);
    const digest = new Uint8Array(createHash('sha256').update(challenge).digest());
    const spec = KEY_ALGORITHMS[algorithm];
    const input = spec.kind === 'rsa' ? emsaPkcs1v15('SHA-256', digest, spec.size) : digest;
    let signature: Uint8Array;
    try {
      signature = await signWithSlot(session, SLOT.AUTHENTICATION, algorithm, input);
    } catch (e) {
      if (e instanceof NativeError && (e.code === 'NOT_FOUND' || e.code === 'CARD_ERROR')) throw noCertificate('key-missing');
      throw e;
    }
    const verifier = createVerify('sha256').update(challenge);
    const spki = { key: Buffer.from(cert.publicKey.rawData), format: 'der' as const, type: 'spki' as const };
    const good = spec.kind === 'rsa' ? verifier.verify(spki, signature) : verifier.verify({ ...spki, dsaEncoding: 'der' }, signature);
    if (!good) throw noCertificate('key-mismatch');
  }

  /** Chain to the CA, then the CA's revocation list. Returns whether revocation was checked. */
  private async checkChainAndRevocation(der: Uint8Array): Promise<boolean> {
    const cert = new x509.X509Certificate(der);
    const enrollment = this.o.enrollment;
    const known = enrollment.existingCaCertificates === undefined ? await enrollment.caCertificates() : await enrollment.existingCaCertificates();
    const cas = known.map((c) => new x509.X509Certificate(c));
    let issuer: x509.X509Certificate | undefined;
    for (const ca of cas) {
      if (ca.subject === cert.issuer && (await cert.verify({ publicKey: ca.publicKey, signatureOnly: true }))) issuer = ca;
    }
    if (issuer === undefined) throw noCertificate('not-company-ca');
    if (this.o.enrollment.revocationList === undefined) return false;
    let crlDer: Uint8Array;
    try {
      crlDer = await this.o.enrollment.revocationList();
    } catch (e) {
      if (e instanceof EnrollmentError && e.code === 'ENROLLMENT_UNREACHABLE') throw new ServiceError('REVOCATION_UNKNOWN', {});
      throw e;
    }
    const crl = new x509.X509Crl(crlDer);
    if (!(await crl.verify({ publicKey: issuer.publicKey }))) throw new ServiceError('REVOCATION_UNKNOWN', {});
    if (crl.findRevoked(cert) !== null) throw noCertificate('revoked');
    return true;
  }
}
