// The tray inside the page, for the web shell, where no system tray exists:
// the same model Electron's tray renders (icon, tooltip, menu, notification),
// so Chromium tests what the tray offers. A menu button (WAI-ARIA "menu
// button" pattern): Enter, Space or ArrowDown opens it, arrows move, Escape
// closes it and gives the focus back. In the desktop app the real tray does
// this, and the view is not shown.
import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import type { TrayAction, TrayNotification } from '../../../electron/ipc/contract.ts';
import { useTrayStore } from '../stores/tray-store.ts';
import { TRAY_ICON_URLS } from './tray-icons.ts';
import { runPageTrayAction } from './tray-actions.ts';

function TrayToast({ notification, onDismiss }: { readonly notification: TrayNotification; readonly onDismiss: () => void }) {
  return (
    <div role="alert" className="tray-notification" aria-label="Notification">
      <p className="notice-title">{notification.title}</p>
      <p>{notification.body}</p>
      <div className="banner-actions">
        <button
          type="button"
          className="button button-primary"
          onClick={() => {
            onDismiss();
            runPageTrayAction(notification.action);
          }}
        >
          Open
        </button>
        <button type="button" className="button" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
    </div>
  );
}

export function TrayView() {
  const model = useTrayStore((s) => s.model);
  const [open, setOpen] = useState(false);
  const [dismissed, setDismissed] = useState<TrayNotification | null>(null);
  const menuId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const itemRefs = useRef<(HTMLButtonElement | null)[]>([]);
  const focusOnOpen = useRef<'first' | 'last'>('first');
  useEffect(() => {
    if (!open) return;
    const items = itemRefs.current.filter((item) => item !== null);
    (focusOnOpen.current === 'first' ? items[0] : items.at(-1))?.focus();
  }, [open]);
  if (model === null) return null;

  const close = (): void => {
    setOpen(false);
    buttonRef.current?.focus();
  };
  const pick = (action: TrayAction): void => {
    setOpen(false);
    runPageTrayAction(action);
  };
  const openMenu = (where: 'first' | 'last'): void => {
    focusOnOpen.current = where;
    setOpen(true);
  };
  const onButtonKey = (event: KeyboardEvent): void => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      openMenu(event.key === 'ArrowDown' ? 'first' : 'last');
    }
  };
  const onMenuKey = (event: KeyboardEvent): void => {
    const items = itemRefs.current.filter((item) => item !== null);
    const at = items.findIndex((item) => item === document.activeElement);
    const move = (to: number): void => {
      event.preventDefault();
      items[(to + items.length) % items.length]?.focus();
    };
    if (event.key === 'ArrowDown') move(at + 1);
    else if (event.key === 'ArrowUp') move(at - 1);
    else if (event.key === 'Home') move(0);
    else if (event.key === 'End') move(items.length - 1);
    else if (event.key === 'Escape') {
      event.preventDefault();
      close();
    } else if (event.key === 'Tab') setOpen(false);
  };
  const notification = model.notification;
  const showToast = notification !== null && JSON.stringify(notification) !== JSON.stringify(dismissed);

  return (
    <div className="tray-view">
      <img className="tray-icon" src={TRAY_ICON_URLS[model.icon]} alt="" width={24} height={24} data-icon={model.icon} />
      <span className="tray-tooltip">{model.tooltip}</span>
      <button
        ref={buttonRef}
        type="button"
        className="button tray-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => (open ? setOpen(false) : openMenu('first'))}
        onKeyDown={onButtonKey}
      >
        Tray menu
      </button>
      {open ? (
        <ul id={menuId} role="menu" aria-label="Tray menu" className="tray-menu" onKeyDown={onMenuKey}>
          {model.menu.map((item, i) => (
            <li key={item.action} role="none">
              <button
                ref={(element) => {
                  itemRefs.current[i] = element;
                }}
                type="button"
                role="menuitem"
                tabIndex={-1}
                // The page cannot end the app: Quit is the desktop tray's.
                aria-disabled={item.action === 'quit' ? true : undefined}
                onClick={() => (item.action === 'quit' ? undefined : pick(item.action))}
              >
                {item.label}
                {item.action === 'quit' ? <span className="muted"> (desktop app only)</span> : null}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {showToast ? <TrayToast notification={notification} onDismiss={() => setDismissed(notification)} /> : null}
    </div>
  );
}
