// The pairing wizard: one screen per step of the wizard store.
import type { WizardStep } from '../stores/wizard-store.ts';
import { useWizardStore } from '../stores/wizard-store.ts';
import { useStatusStore } from '../stores/status-store.ts';
import { PairingPinForm } from './PairingPinForm.tsx';
import { CheckingStep } from './steps/CheckingStep.tsx';
import { ChooseStep } from './steps/ChooseStep.tsx';
import { DoneStep } from './steps/DoneStep.tsx';
import { FailedStep } from './steps/FailedStep.tsx';
import { ProgressStep } from './steps/ProgressStep.tsx';

export function Wizard({ step }: { readonly step: Exclude<WizardStep, 'idle'> }) {
  // The key being paired: the one the checks found, or the interrupted pairing's when finishing it.
  const checkedSerial = useWizardStore((s) => s.precheck?.key.serial ?? null);
  const pendingSerial = useStatusStore((s) => s.status?.pairing?.serial ?? null);
  const serial = checkedSerial ?? pendingSerial;
  switch (step) {
    case 'choose':
      return <ChooseStep />;
    case 'checking':
      return <CheckingStep />;
    case 'temporary-pin':
    case 'new-pin':
      // One component for both steps, so the temporary PIN survives "Back" and "Next" (and nothing else).
      return <PairingPinForm step={step} />;
    case 'progress':
      return <ProgressStep serial={serial} />;
    case 'failed':
      return <FailedStep />;
    case 'done':
      return <DoneStep />;
  }
}
