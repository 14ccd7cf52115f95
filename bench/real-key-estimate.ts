// The pairing time a real YubiKey 5 would take for an APDU mix: each
// instruction weighted by measured YubiKey 5 latencies. Measured figures are
// jsign's, for a YubiKey 5 NFC with firmware 5.1.2 (SELECT ≈ 1.3 ms, reading a
// certificate ≈ 7.3 ms, VERIFY ≈ 9.1 ms, RSA-2048 signature ≈ 138 ms, P-256
// signature ≈ 72 ms). The rest are stated assumptions, marked below.

/** Assumption: on-card RSA-2048 key generation (varies from key to key; the same for both sides of a comparison). */
export const GENERATE_RSA2048_ASSUMED_MS = 4000;

const MEASURED = { select: 1.3, readObject: 7.3, verify: 9.1, rsa2048Sign: 138 } as const;

/** Milliseconds per APDU by instruction name (as CountingTransport and bench/yubikit_pair.py name them). */
const PER_APDU: Readonly<Record<string, number>> = {
  SELECT: MEASURED.select,
  // Assumption: short answers from RAM cost what SELECT costs.
  'GET VERSION': MEASURED.select,
  'GET SERIAL': MEASURED.select,
  'GET METADATA': MEASURED.select,
  'READ CONFIG': MEASURED.select,
  'GET RESPONSE': MEASURED.select,
  'GET DATA': MEASURED.readObject,
  VERIFY: MEASURED.verify,
  // Assumption: a PIN/PUK change and every write to flash cost what VERIFY costs (it writes the tries counter).
  'CHANGE REFERENCE': MEASURED.verify,
  'PUT DATA': MEASURED.verify,
  'SET MANAGEMENT KEY': MEASURED.verify,
  GENERATE: GENERATE_RSA2048_ASSUMED_MS,
  // Assumption: ATTEST signs a certificate with the F9 attestation key (RSA 2048 on a YubiKey 5): an RSA-2048 signature.
  ATTEST: MEASURED.rsa2048Sign,
};

/** What attestation (proof the key was made on the YubiKey) adds to a pairing: ATTEST 9A and one GET DATA of the F9 certificate. yubikit's script attests nothing. */
export const ATTESTATION_APDUS: Readonly<Record<string, number>> = { ATTEST: 1, 'GET DATA': 1 };

export interface Estimate {
  readonly totalMs: number;
  readonly withoutGenerateMs: number;
  /** The same mix without attestation's APDUs: the pairing yubikit's script does. */
  readonly withoutAttestationMs: number;
}

/**
 * Both pairings sign once with RSA-2048 (the CSR); every other GENERAL
 * AUTHENTICATE is a management-key step (assumption: 3DES/AES costs what SELECT costs).
 */
export function estimateRealKeyMs(counts: Readonly<Record<string, number>>): Estimate {
  const totalMs = weigh(counts);
  const attestation = Object.entries(ATTESTATION_APDUS).every(([name, n]) => (counts[name] ?? 0) >= n);
  const withoutAttestation = attestation ? Object.fromEntries(Object.entries(counts).map(([name, n]) => [name, n - (ATTESTATION_APDUS[name] ?? 0)])) : counts;
  return { totalMs, withoutGenerateMs: totalMs - (counts['GENERATE'] ?? 0) * GENERATE_RSA2048_ASSUMED_MS, withoutAttestationMs: weigh(withoutAttestation) };
}

function weigh(counts: Readonly<Record<string, number>>): number {
  let total = 0;
  for (const [name, n] of Object.entries(counts)) {
    if (name === 'GENERAL AUTHENTICATE') total += n > 0 ? MEASURED.rsa2048Sign + (n - 1) * MEASURED.select : 0;
    else total += n * (PER_APDU[name] ?? MEASURED.verify);
  }
  return total;
}
