// De-registration's confirmation (the user guide's "Security Key PIV Reset"):
// the whole PIV area of the key is reset, and the key must stay plugged in.
// A modal dialog: the focus stays inside (Tab wraps), Escape cancels, and the
// page behind is inert (PairedKeyScreen).
import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { KeyPresenceNotice } from '../components/KeyPresenceNotice.tsx';
import { wfa } from '../api.ts';
import { useErrorFor, useErrorStore } from '../stores/error-store.ts';
import { useNoticeStore, withWarnings } from '../stores/notice-store.ts';
import { useStatusStore } from '../stores/status-store.ts';

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function RemoveDialog({ serial, onCancel }: { readonly serial: number; readonly onCancel: () => void }) {
  const titleId = useId();
  const textId = useId();
  const dialog = useRef<HTMLDivElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const error = useErrorFor('remove');
  const [busy, setBusy] = useState(false);

  // The safe choice has the focus first: Enter on a freshly opened dialog cancels.
  useEffect(() => {
    cancelButton.current?.focus();
  }, []);

  const remove = async (): Promise<void> => {
    useErrorStore.getState().clear();
    setBusy(true);
    const result = await wfa().deregistrationRemove({ serial, confirmOtherKey: false });
    setBusy(false);
    if (!result.ok) {
      useErrorStore.getState().show('remove', result.error);
      return;
    }
    useNoticeStore
      .getState()
      .show(withWarnings(result.value.revoked ? 'Security key removed. It was reset and its certificate revoked.' : 'Security key removed. It was reset; you can pair it again.', result.value.warnings));
    // Nothing is paired any more: the status brings the home screen back.
    await useStatusStore.getState().refresh();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (event.key === 'Escape') {
      event.preventDefault();
      if (!busy) onCancel();
      return;
    }
    if (event.key !== 'Tab' || dialog.current === null) return;
    const focusable = [...dialog.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
    const first = focusable[0];
    const last = focusable.at(-1);
    if (first === undefined || last === undefined) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return (
    <div className="dialog-backdrop">
      <div ref={dialog} role="dialog" aria-modal="true" aria-labelledby={titleId} aria-describedby={textId} className="dialog" onKeyDown={onKeyDown}>
        <h2 id={titleId}>Remove security key?</h2>
        <div id={textId}>
          <p>
            Removing resets the whole PIV area of your security key {serial}: its PIN, PUK, management key and certificates. You cannot sign in with it until you pair it again.
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
          <button ref={cancelButton} type="button" className="button" onClick={busy ? undefined : onCancel} aria-disabled={busy}>
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}
