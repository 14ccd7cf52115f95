// Key provenance (was the key made on the YubiKey?): verifying a YubiKey's PIV attestation. Pairing
// calls verifyAttestation after generating the key in 9A, with the trust store
// from loadYubicoTrustStore(assets/attestation) and the policy's extraRoots.
export { loadYubicoTrustStore, TrustStoreError, withExtraRoots, YUBICO_ATTESTATION_CERTIFICATES, type TrustStore } from './trust-store.ts';
export {
  verifyAttestation,
  type AttestationFailureReason,
  type AttestationInput,
  type AttestationResult,
  type VerifiedAttestation,
} from './verify-attestation.ts';
export { readYubicoAttestation, YUBICO_OID, type PinPolicy, type TouchPolicy, type YubicoAttestation } from './yubico-extensions.ts';
