// The certificates a YubiKey's PIV attestation may chain to: Yubico's
// published roots and the intermediates that are not on the key, shipped in
// assets/attestation/ (README, "PIV attestation roots"), plus the roots an
// organisation adds in its policy (attestation.extraRoots).
//
// Chains (developers.yubico.com/PIV/Introduction/PIV_attestation.html and
// /PKI/): before firmware 5.7.4 the F9 certificate is issued by "Yubico PIV
// Root CA Serial 263751" (keys made up to 2018 by "Yubico U2F Root CA Serial
// 457200631", piv-go piv/key.go); from 5.7.4 by "Yubico PIV Attestation {A,B}
// 1" under "Yubico Attestation Intermediate {A,B} 1" under "Yubico Attestation
// Root 1" (the two intermediate tiers are not on the key: yubico-intermediate.pem).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as x509 from '../../../native/x509.ts';

export interface ShippedCertificate {
  readonly file: string;
  readonly role: 'root' | 'intermediate';
  /** SHA-256 of the certificate's DER, lowercase hex: a swapped file is refused. */
  readonly sha256: string;
}

/** What assets/attestation/ holds; the fingerprints are the README's. */
export const YUBICO_ATTESTATION_CERTIFICATES: readonly ShippedCertificate[] = [
  { file: 'yubico-piv-root-ca-serial-263751.pem', role: 'root', sha256: '63ece914e54dd87915f34033c85af4c0696ba1512f8add66ced738331207b546' },
  { file: 'yubico-u2f-root-ca-serial-457200631.pem', role: 'root', sha256: '0fa1386f80eb8713263ae5c1d84deb455bdf08aea50ab05503cefee82b092d42' },
  { file: 'yubico-attestation-root-1.pem', role: 'root', sha256: '62760c6a6ef91679f454c8902b80fd009825b3f25da90f1fbace2ec6586cd5a8' },
  { file: 'yubico-attestation-intermediate-a-1.pem', role: 'intermediate', sha256: '4698a1d3389c3ec60016c216250f1d0439922832d65142327436376dc2942b55' },
  { file: 'yubico-attestation-intermediate-b-1.pem', role: 'intermediate', sha256: 'd4cc3f456fdaf4e7812a21aab1dfe9d8e27d24e2fd2d6f21c9940109f0daa754' },
  { file: 'yubico-piv-attestation-a-1.pem', role: 'intermediate', sha256: '6de693f05376f5d8ca29069261e1c8626c75d503bd2edbfd75354cad1f722870' },
  { file: 'yubico-piv-attestation-b-1.pem', role: 'intermediate', sha256: '2d55b7998f4e42569d6d8fa382b6dc77d1dacf07358b19701163892922b17052' },
];

export interface TrustStore {
  /** Trust anchors: a chain that reaches one of these is trusted. */
  readonly roots: readonly x509.X509Certificate[];
  /** Issuers a chain may pass through on its way to a root; never trusted on their own. */
  readonly intermediates: readonly x509.X509Certificate[];
}

/** A shipped or configured certificate that is not what it should be. */
export class TrustStoreError extends Error {
  override readonly name = 'TrustStoreError';
}

export function sha256Hex(der: ArrayBuffer | Uint8Array): string {
  return createHash('sha256').update(new Uint8Array(der)).digest('hex');
}

function parsePem(pem: string, what: string): x509.X509Certificate {
  try {
    return new x509.X509Certificate(pem);
  } catch (error) {
    throw new TrustStoreError(`${what} is not a PEM certificate (${(error as Error).message})`);
  }
}

/**
 * Reads Yubico's certificates from `dir` (the app's assets/attestation), each
 * checked against its pinned SHA-256.
 */
export function loadYubicoTrustStore(dir: string): TrustStore {
  const roots: x509.X509Certificate[] = [];
  const intermediates: x509.X509Certificate[] = [];
  for (const shipped of YUBICO_ATTESTATION_CERTIFICATES) {
    const cert = parsePem(readFileSync(join(dir, shipped.file), 'utf8'), shipped.file);
    const actual = sha256Hex(cert.rawData);
    if (actual !== shipped.sha256) {
      throw new TrustStoreError(`${shipped.file} has SHA-256 ${actual}, not Yubico's ${shipped.sha256}`);
    }
    (shipped.role === 'root' ? roots : intermediates).push(cert);
  }
  return { roots, intermediates };
}

/** `store` with the policy's attestation.extraRoots (PEM) trusted as well. */
export function withExtraRoots(store: TrustStore, extraRootsPem: readonly string[]): TrustStore {
  const extra = extraRootsPem.map((pem, i) => parsePem(pem, `attestation.extraRoots[${i}]`));
  return { roots: [...store.roots, ...extra], intermediates: store.intermediates };
}
