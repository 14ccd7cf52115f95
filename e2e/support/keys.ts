// Virtual YubiKeys for the e2e specs: reader 1 ("Virtual PCD 00 01"; in the
// test rig the e2e stage has its own pcscd, outside it the interop tests' reader 0
// stays theirs), with a state file so that pulling the key out and plugging it
// in again gives back the same key.
import { join } from 'node:path';
import { readerName, startVirtualYubiKey, type RunningVirtualYubiKey } from '../../scripts/lib/virtual-key.ts';

export const E2E_READER_INDEX = 1;
export const E2E_READER = readerName(E2E_READER_INDEX);
export const E2E_PROFILE = 'yk5.7.1';

/** `exportAttestationRoot`: where the card writes its own attestation root (PEM), for the policy's extraRoots. */
export function plugInKey(serial: number, stateDir: string, name = 'key', exportAttestationRoot?: string): Promise<RunningVirtualYubiKey> {
  return startVirtualYubiKey({
    reader: E2E_READER_INDEX,
    profile: E2E_PROFILE,
    serial,
    state: join(stateDir, `${name}.json`),
    ...(exportAttestationRoot === undefined ? {} : { exportAttestationRoot }),
  });
}
