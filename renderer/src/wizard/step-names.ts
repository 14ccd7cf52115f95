// What each pairing step is called on the progress screen (the order is the
// contract's PAIRING_STEPS, the order the main process runs them in).
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
