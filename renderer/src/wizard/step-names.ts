// What each pairing step is called on the progress screen, in the order the
// main process runs them (electron/services/pairing/pairing-service.ts).
import type { PairingStepName } from '../../../electron/ipc/contract.ts';

export const PAIRING_STEP_LABELS: Readonly<Record<PairingStepName, string>> = {
  'checking-key': 'Checking the key',
  'setting-pin': 'Setting your PIN',
  'securing-key': 'Securing the key',
  'setting-puk': 'Setting the PUK',
  'creating-key': 'Creating your key',
  'requesting-certificate': 'Requesting your certificate',
  saving: 'Saving',
};

export const PAIRING_STEP_ORDER: readonly PairingStepName[] = ['checking-key', 'setting-pin', 'securing-key', 'setting-puk', 'creating-key', 'requesting-certificate', 'saving'];
