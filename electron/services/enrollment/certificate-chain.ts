// CA pinning and chain building: the policy pins the SHA-256 of the issuing
// CA's SubjectPublicKeyInfo (design.md, "Organisation policy"; the same
// digest as RFC 7469 §2.4's pin-sha256, hex instead of base64). A chain is
// accepted when it leads, signature by signature, from the issued certificate
// to a certificate whose public key has that digest.
import { createHash, webcrypto } from 'node:crypto';
import * as x509 from '../../../native/x509.ts';
import type { ErrorFacts, PinMismatchFound } from '../../ipc/error-facts.ts';
import { EnrollmentError } from './enrollment-error.ts';

/** Longest chain followed (end entity, intermediates, pinned CA): AD CS hierarchies are 2 or 3 deep. */
const MAX_CHAIN_LENGTH = 8;

/** 'sha256:<hex>' of the certificate's SubjectPublicKeyInfo DER. */
export function spkiPin(certDer: Uint8Array | ArrayBuffer): string {
  const cert = new x509.X509Certificate(certDer instanceof Uint8Array ? certDer : new Uint8Array(certDer));
  return `sha256:${createHash('sha256').update(Buffer.from(cert.publicKey.rawData)).digest('hex')}`;
}

function describe(cert: x509.X509Certificate): string {
  return `"${cert.subject}" (pin ${spkiPin(cert.rawData)})`;
}

/** Where the pin came from, for messages: the policy, or the local CA itself. */
export type PinSource = 'policy' | 'local';

function pinMismatch(pin: string, pinSource: PinSource, found: PinMismatchFound): EnrollmentError {
  return new EnrollmentError('CA_PIN_MISMATCH', { reason: 'not-trusted', pin, pinSource, found });
}

/**
 * The CA certificate (DER) among `caCerts` whose public key has the pin;
 * CA_PIN_MISMATCH when there is none (used on GetCACert, before enrolling).
 */
export function checkCaPin(caCerts: readonly Uint8Array[], pin: string, source: PinSource = 'policy'): Uint8Array {
  const wanted = pin.toLowerCase();
  const parsed = caCerts.map((der) => {
    try {
      return new x509.X509Certificate(der);
    } catch (e) {
      throw new EnrollmentError('CERTIFICATE_INVALID', { check: 'ca-unreadable' }, { cause: e });
    }
  });
  const index = parsed.findIndex((cert) => spkiPin(cert.rawData) === wanted);
  if (index >= 0) return caCerts[index]!;
  throw pinMismatch(wanted, source, { presented: parsed.map(describe) });
}

/** CERTIFICATE_INVALID: the facts say which check failed (the message table says what to do). */
export function certificateInvalid(facts: ErrorFacts['CERTIFICATE_INVALID'], cause?: unknown): EnrollmentError {
  return new EnrollmentError('CERTIFICATE_INVALID', facts, { cause });
}
const invalid = certificateInvalid;

async function signedBy(cert: x509.X509Certificate, issuer: x509.X509Certificate): Promise<boolean> {
  return cert.verify({ publicKey: issuer.publicKey, signatureOnly: true }, webcrypto).catch(() => false);
}

/** Every issuer, up to the pinned CA, must be a CA allowed to sign certificates (RFC 5280 §6.1.4 (k), (n)). */
function checkIntermediate(cert: x509.X509Certificate): void {
  const constraints = cert.getExtension(x509.BasicConstraintsExtension);
  const usage = cert.getExtension(x509.KeyUsagesExtension);
  if (constraints?.ca !== true || (usage !== null && (usage.usages & x509.KeyUsageFlags.keyCertSign) === 0)) {
    throw invalid({ check: 'chain-not-ca', ca: cert.subject });
  }
}

/**
 * The path from `leaf` to the pinned CA through `pool`, every signature
 * verified: [leaf, intermediates…, pinned CA]. CA_PIN_MISMATCH when the chain
 * ends anywhere else; CERTIFICATE_INVALID when a signature does not verify.
 */
export async function chainToPin(
  leaf: x509.X509Certificate,
  pool: readonly x509.X509Certificate[],
  pin: string,
  source: PinSource,
): Promise<x509.X509Certificate[]> {
  const wanted = pin.toLowerCase();
  const path = [leaf];
  let current = leaf;
  while (path.length < MAX_CHAIN_LENGTH) {
    const issuers = pool.filter((c) => c.subject === current.issuer && !path.includes(c));
    if (issuers.length === 0) {
      throw pinMismatch(wanted, source, current === leaf ? { missingIssuer: current.issuer } : { chainEnd: describe(current) });
    }
    let next: x509.X509Certificate | undefined;
    for (const candidate of issuers) {
      if (await signedBy(current, candidate)) {
        next = candidate;
        break;
      }
    }
    if (next === undefined) {
      throw invalid({ check: 'chain-signature', ca: current.subject, issuer: current.issuer });
    }
    path.push(next);
    // The pinned CA too: a pinned certificate that is not a CA vouches for nothing.
    checkIntermediate(next);
    if (spkiPin(next.rawData) === wanted) return path;
    current = next;
  }
  throw pinMismatch(wanted, source, { chainTooLong: true });
}
