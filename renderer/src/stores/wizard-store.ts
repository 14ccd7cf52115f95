// The pairing wizard: which step is on screen, and what the checks found
// (the key to pair and its PIN tries left). The PINs themselves stay in the
// form's component state (wizard/PairingPinForm.tsx), never here.
import { create } from 'zustand';
import type { PrecheckView } from '../../../electron/ipc/contract.ts';

export type WizardStep =
  /** No wizard: the home screen, the paired key, or an interrupted pairing. */
  | 'idle'
  /** Smartphone or security key; choosing a smartphone is answered on this step. */
  | 'choose'
  /** The checks (company network, a supported key); their errors show on this step with "Try again". */
  | 'checking'
  | 'temporary-pin'
  | 'new-pin'
  | 'progress'
  /** Pairing failed after the checks: the error and "Try again". */
  | 'failed'
  | 'done';

export interface WizardState {
  readonly step: WizardStep;
  readonly precheck: PrecheckView | null;
  /** The key the user chose when more than one is plugged in (null: let the checks find the only one). */
  readonly chosenSerial: number | null;
  goTo(step: WizardStep): void;
  chooseKey(serial: number | null): void;
  setPrecheck(precheck: PrecheckView | null): void;
  /** A wrong PIN reports the tries left: the temporary-PIN step shows the new count. */
  setPinRetries(retries: number): void;
  reset(): void;
}

export const useWizardStore = create<WizardState>()((set) => ({
  step: 'idle',
  precheck: null,
  chosenSerial: null,
  goTo: (step) => set({ step }),
  chooseKey: (chosenSerial) => set({ chosenSerial }),
  setPrecheck: (precheck) => set({ precheck }),
  setPinRetries: (retries) => set((s) => (s.precheck === null ? {} : { precheck: { ...s.precheck, pinRetries: retries } })),
  reset: () => set({ step: 'idle', precheck: null, chosenSerial: null }),
}));
