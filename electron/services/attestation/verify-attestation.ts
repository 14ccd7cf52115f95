// Verifies a YubiKey's PIV attestation: proof that the key in a
// slot was generated on that YubiKey. Yubico's procedure
// (developers.yubico.com/PIV/Introduction/PIV_attestation.html; yubico-piv-tool
// Attestation: `openssl verify -CAfile root -untrusted f9 attestation`):
//   1. the slot's attestation certificate (ATTEST) is signed by the device's
//      attestation key, whose certificate is object 5FFF01 (slot F9);
//   2. the device certificate chains to a trusted root;
//   3. the attested public key is the one the slot holds;
//   4. the serial in the attestation is the key's, and the PIN and touch
//      policies are those that were asked for.
// The first check that fails is the result, with its reason.
import * as x509 from '../../../native/x509.ts';
import type { TrustStore } from './trust-store.ts';
import { type PinPolicy, readYubicoAttestation, type TouchPolicy, type YubicoAttestation, YubicoExtensionError } from './yubico-extensions.ts';

export type AttestationFailureReason =
  /** A certificate could not be read. */
  | 'malformed-certificate'
  /** The slot certificate is not signed by the device certificate's key (tampered, or another device). */
  | 'slot-signature-invalid'
  /** The device certificate does not chain to a trusted root (unknown root, or a tampered link). */
  | 'untrusted-root'
  /** A certificate of the chain is outside its validity period. */
  | 'not-valid-now'
  /** A Yubico extension is missing or malformed. */
  | 'extension-invalid'
  /** The attested public key is not the slot's. */
  | 'public-key-mismatch'
  /** The attestation names another YubiKey. */
  | 'serial-mismatch'
  /** The key's PIN or touch policy is not the one asked for. */
  | 'policy-mismatch';

export interface AttestationInput {
  /** DER of the slot attestation certificate (ATTEST). */
  readonly slotCertificate: Uint8Array;
  /** DER of the device attestation certificate (object 5FFF01, key F9). */
  readonly deviceCertificate: Uint8Array;
  /** SubjectPublicKeyInfo DER of the key the slot holds (as GENERATE answered it). */
  readonly slotPublicKey: Uint8Array;
  /** The serial the key reports (GET SERIAL, or OTP on a YubiKey 4). */
  readonly serial: number;
  /** The policies the key was generated with. */
  readonly expected: { readonly pinPolicy: PinPolicy; readonly touchPolicy: TouchPolicy };
  readonly trust: TrustStore;
  /** Time to check validity at (default: now). */
  readonly now?: Date;
}

export interface VerifiedAttestation extends YubicoAttestation {
  /** Subject of the trusted root the chain reached. */
  readonly root: string;
}

export type AttestationResult =
  | { readonly ok: true; readonly attestation: VerifiedAttestation }
  | {
      readonly ok: false;
      readonly reason: AttestationFailureReason;
      /** What failed, in words, for the log and the user's page. */
      readonly detail: string;
      /** What the attestation said, when it could be read (for the record). */
      readonly attestation?: YubicoAttestation;
    };

type AttestationFailure = Extract<AttestationResult, { ok: false }>;

/** Longest chain from the device certificate to a root: F9 → PIV Attestation B 1 → Intermediate B 1 → Root 1. */
const MAX_CHAIN = 4;

const failure = (reason: AttestationFailureReason, detail: string, attestation?: YubicoAttestation): AttestationFailure => ({
  ok: false,
  reason,
  detail,
  ...(attestation === undefined ? {} : { attestation }),
});

function parse(der: Uint8Array): x509.X509Certificate | undefined {
  try {
    return new x509.X509Certificate(der);
  } catch {
    return undefined;
  }
}

async function signedBy(cert: x509.X509Certificate, issuer: x509.X509Certificate): Promise<boolean> {
  try {
    return await cert.verify({ publicKey: issuer.publicKey, signatureOnly: true });
  } catch {
    return false;
  }
}

function validAt(cert: x509.X509Certificate, now: Date): boolean {
  return cert.notBefore.getTime() <= now.getTime() && now.getTime() <= cert.notAfter.getTime();
}

/**
 * Walks from the device certificate up through the intermediates to a root;
 * every link is a signature check (issuer names only pick the candidates).
 */
async function chainToRoot(device: x509.X509Certificate, trust: TrustStore, now: Date): Promise<AttestationFailure | x509.X509Certificate> {
  let current = device;
  for (let depth = 0; depth < MAX_CHAIN; depth++) {
    for (const root of trust.roots) {
      if (root.subject === current.issuer && (await signedBy(current, root))) {
        if (!validAt(root, now)) return failure('not-valid-now', `the root "${root.subject}" is not valid on ${now.toISOString()}`);
        return root;
      }
    }
    let next: x509.X509Certificate | undefined;
    for (const candidate of trust.intermediates) {
      if (candidate.subject === current.issuer && (await signedBy(current, candidate))) {
        next = candidate;
        break;
      }
    }
    if (next === undefined) {
      return failure('untrusted-root', `"${current.subject}" is issued by "${current.issuer}", which is not a trusted root (or its signature does not verify)`);
    }
    if (!validAt(next, now)) return failure('not-valid-now', `"${next.subject}" is not valid on ${now.toISOString()}`);
    current = next;
  }
  return failure('untrusted-root', `no trusted root within ${MAX_CHAIN} certificates of "${device.subject}"`);
}

function sameBytes(a: ArrayBuffer | Uint8Array, b: ArrayBuffer | Uint8Array): boolean {
  return Buffer.from(new Uint8Array(a)).equals(Buffer.from(new Uint8Array(b)));
}

export async function verifyAttestation(input: AttestationInput): Promise<AttestationResult> {
  const now = input.now ?? new Date();
  const slot = parse(input.slotCertificate);
  if (slot === undefined) return failure('malformed-certificate', 'the slot attestation certificate cannot be read');
  const device = parse(input.deviceCertificate);
  if (device === undefined) return failure('malformed-certificate', 'the device attestation certificate (F9) cannot be read');

  let attestation: YubicoAttestation;
  try {
    attestation = readYubicoAttestation(slot);
  } catch (error) {
    if (error instanceof YubicoExtensionError) return failure('extension-invalid', error.message);
    throw error;
  }

  if (slot.issuer !== device.subject || !(await signedBy(slot, device))) {
    return failure('slot-signature-invalid', "the slot attestation is not signed by this key's attestation key (F9)", attestation);
  }
  for (const cert of [slot, device]) {
    if (!validAt(cert, now)) return failure('not-valid-now', `"${cert.subject}" is not valid on ${now.toISOString()}`, attestation);
  }
  const root = await chainToRoot(device, input.trust, now);
  if (!(root instanceof x509.X509Certificate)) return { ...root, attestation };

  if (!sameBytes(slot.publicKey.rawData, input.slotPublicKey)) {
    return failure('public-key-mismatch', 'the attested public key is not the key in the slot', attestation);
  }
  if (attestation.serial !== input.serial) {
    return failure('serial-mismatch', `the attestation is for YubiKey ${attestation.serial}, not ${input.serial}`, attestation);
  }
  const { pinPolicy, touchPolicy } = input.expected;
  if (attestation.pinPolicy !== pinPolicy || attestation.touchPolicy !== touchPolicy) {
    return failure(
      'policy-mismatch',
      `the key has PIN policy ${attestation.pinPolicy} and touch policy ${attestation.touchPolicy}, not ${pinPolicy} and ${touchPolicy}`,
      attestation,
    );
  }
  return { ok: true, attestation: { ...attestation, root: root.subject } };
}
