// The paired key and its three flows. Which flow is open is this screen's own
// state: it matters to no other screen.
import { useState } from 'react';
import type { PairingView } from '../../../electron/ipc/contract.ts';
import { useErrorStore } from '../stores/error-store.ts';
import { useNoticeStore } from '../stores/notice-store.ts';
import { ChangePinForm } from './ChangePinForm.tsx';
import { PairedKeyView } from './PairedKeyView.tsx';
import { RemoveDialog } from './RemoveDialog.tsx';
import { SignInCheck } from './SignInCheck.tsx';

type Mode = 'view' | 'change-pin' | 'signin' | 'remove';

export function PairedKeyScreen({ pairing }: { readonly pairing: PairingView }) {
  const [mode, setMode] = useState<Mode>('view');
  const open = (next: Mode): void => {
    useNoticeStore.getState().clear();
    useErrorStore.getState().clear();
    setMode(next);
  };
  const back = (): void => {
    useErrorStore.getState().clear();
    setMode('view');
  };

  if (mode === 'change-pin') return <ChangePinForm serial={pairing.serial} onDone={back} />;
  if (mode === 'signin') return <SignInCheck serial={pairing.serial} onDone={back} />;
  return (
    <>
      {/* The view stays while the dialog is open (modal: the page behind is inert), so the focus goes back to its trash button. */}
      <PairedKeyView pairing={pairing} onChangePin={() => open('change-pin')} onRemove={() => open('remove')} onCheckSignIn={() => open('signin')} />
      {mode === 'remove' ? <RemoveDialog serial={pairing.serial} onCancel={back} /> : null}
    </>
  );
}
