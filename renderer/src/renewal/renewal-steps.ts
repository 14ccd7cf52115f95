// The renewal's steps as the user reads them (the order is the contract's
// RENEWAL_STEPS, the order the main process runs them in).
import type { RenewalStepName } from '../../../electron/ipc/contract.ts';

export const RENEWAL_STEP_LABELS: Readonly<Record<RenewalStepName, string>> = {
  'checking-key': 'Checking your security key',
  'requesting-certificate': 'Requesting a new certificate',
  'checking-certificate': 'Checking the new certificate',
  'writing-certificate': 'Writing it to your security key',
  saving: 'Saving',
};
