// The trust store pairing verifies attestations against: Yubico's
// certificates shipped in the app's assets/attestation (pinned by SHA-256)
// and the policy's attestation.extraRoots. Found next to the code in every
// way the app runs: the sources (tsx), the Node bundles (build/node) and the
// packaged app (build/electron inside app.asar, which holds assets/attestation).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadYubicoTrustStore, type TrustStore, withExtraRoots } from './trust-store.ts';

const ASSETS = join('assets', 'attestation');

/** The assets/attestation folder above `from` (default: this module's, or its bundle's, folder). */
export function findAttestationAssets(from: string = import.meta.dirname): string | null {
  let dir = from;
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, ASSETS))) return join(dir, ASSETS);
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return null;
}

/**
 * Loads the trust store once, when first needed (a pairing): a damaged or
 * missing asset then fails that attestation, not the app's start.
 */
export function attestationTrust(extraRoots: readonly string[], assetsDir: string | null = findAttestationAssets()): () => TrustStore {
  let store: TrustStore | undefined;
  return () => {
    if (store === undefined) {
      if (assetsDir === null) throw new Error("the app has no assets/attestation folder (Yubico's attestation roots)");
      store = withExtraRoots(loadYubicoTrustStore(assetsDir), extraRoots);
    }
    return store;
  };
}
