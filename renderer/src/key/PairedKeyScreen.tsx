// The paired key and its three flows. Which flow is open is this screen's own
// state: it matters to no other screen.
import { useEffect, useRef, useState } from 'react';
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
  const removeOpener = useRef<HTMLElement | null>(null);
  const restoreFocus = useRef(false);
  // After the dialog closes (and the page is no longer inert), the focus goes back to the trash button.
  useEffect(() => {
    if (mode !== 'view' || !restoreFocus.current) return;
    restoreFocus.current = false;
    removeOpener.current?.focus();
  }, [mode]);
  const open = (next: Mode): void => {
    useNoticeStore.getState().clear();
    useErrorStore.getState().clear();
    if (next === 'remove') removeOpener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
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
      {/* While the dialog is open the page behind it is inert: no focus, no clicks, hidden from screen readers. */}
      <div inert={mode === 'remove'}>
        <PairedKeyView pairing={pairing} onChangePin={() => open('change-pin')} onRemove={() => open('remove')} onCheckSignIn={() => open('signin')} />
      </div>
      {mode === 'remove' ? (
        <RemoveDialog
          serial={pairing.serial}
          onCancel={() => {
            restoreFocus.current = true;
            back();
          }}
        />
      ) : null}
    </>
  );
}
