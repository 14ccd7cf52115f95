// De-registration's confirmation (the user guide's "Security Key PIV Reset"):
// the whole PIV area of the key is reset, and the key must stay plugged in.
// The browser's own modal dialog (<dialog>, showModal()): the page behind is
// inert, Escape cancels, and closing gives the focus back to the button that
// opened it.
import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { KeyPresenceNotice } from '../components/KeyPresenceNotice.tsx';
import { useErrorFor } from '../stores/error-store.ts';
import { removeKey } from './key-flows.ts';

export function RemoveDialog({ serial, onCancel }: { readonly serial: number; readonly onCancel: () => void }) {
  const titleId = useId();
  const textId = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const error = useErrorFor('remove');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    // Opened once: React's development mode runs an effect twice, and showModal() on an open dialog is an error in older browsers.
    if (dialog.current?.open === false) dialog.current.showModal();
    // The safe choice has the focus first: Enter on a freshly opened dialog cancels.
    cancelButton.current?.focus();
  }, []);

  const remove = async (): Promise<void> => {
    setBusy(true);
    // Removed: the status brings back the home screen, and this dialog goes with the paired key's screen.
    if (!(await removeKey(serial))) setBusy(false);
  };
  // Closing (Cancel, or Escape) is the browser's: it gives the focus back to the opener; then the screen drops the dialog.
  const cancel = (): void => dialog.current?.close();
  // While the key is being reset, Escape does not close the dialog (the user would lose sight of the outcome):
  // the browser closes a modal dialog on the Escape key's default action, so it is prevented here.
  const keepOpenWhileBusy = (event: KeyboardEvent): void => {
    if (busy && event.key === 'Escape') event.preventDefault();
  };

  return (
    <dialog ref={dialog} aria-labelledby={titleId} aria-describedby={textId} className="dialog" onClose={onCancel} onKeyDown={keepOpenWhileBusy}>
      <h2 id={titleId}>Remove security key?</h2>
      <div id={textId}>
        <p>
          Removing resets the whole PIV area of your security key {serial}: its PIN, PUK, management key and certificates. You cannot sign in with it until you
          pair it again.
        </p>
        <p className="strong">Keep the security key plugged in until the removal is done.</p>
      </div>
      <KeyPresenceNotice serial={serial} />
      {error === null ? null : <ErrorNotice code={error.code} retries={error.retries} detail={error.detail} />}
      <div role="status" className="live-status">
        {busy ? (
          <p className="busy">
            <span className="spinner" aria-hidden="true" />
            Resetting your security key… keep it plugged in.
          </p>
        ) : null}
      </div>
      <div className="actions">
        {/* aria-disabled, not disabled, while busy: a disabled button would drop the focus out of the dialog. */}
        <button type="button" className="button button-danger" onClick={() => void (busy ? undefined : remove())} aria-disabled={busy}>
          Remove
        </button>
        <button ref={cancelButton} type="button" className="button" onClick={busy ? undefined : cancel} aria-disabled={busy}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}
