// Renders the tray's model (electron/services/renewal/tray-presenter.ts) with
// whatever a TrayFactory gives: Electron's Tray, Menu and Notification in the
// app (electron-tray-factory.ts), a recording fake in tests. The pattern is
// Signal Desktop's app/SystemTrayService.ts: an options object with an
// injectable factory, setters that do nothing when the value has not changed
// (each Tray call makes the OS redraw, and on Linux resets an open menu), and
// a test-only accessor that says so. No Electron import here: the rendering
// decisions are tested in Node; Electron itself is not.
import type { TrayAction, TrayIconName, TrayMenuItem, TrayModel, TrayNotification } from '../ipc/contract.ts';

/** One tray icon in the OS's notification area. */
export interface TrayHandle {
  setIcon(icon: TrayIconName): void;
  setToolTip(text: string): void;
  /** Replaces the context menu; `onPick` gets the action of the item chosen. */
  setMenu(items: readonly TrayMenuItem[], onPick: (action: TrayAction) => void): void;
  /** A click on the icon itself (Windows opens the window on it). */
  onClick(listener: () => void): void;
  destroy(): void;
}

/** A notification on screen. */
export interface NotificationHandle {
  close(): void;
}

export interface TrayFactory {
  createTray(icon: TrayIconName): TrayHandle;
  showNotification(notification: TrayNotification, onClick: () => void): NotificationHandle;
}

export interface SystemTrayOptions {
  readonly factory: TrayFactory;
  /** What a menu item, a notification click or a click on the icon asks for. */
  readonly onAction: (action: TrayAction) => void;
  readonly log?: (line: string) => void;
}

const sameMenu = (a: readonly TrayMenuItem[], b: readonly TrayMenuItem[]): boolean =>
  a.length === b.length && a.every((item, i) => item.action === b[i]?.action && item.label === b[i]?.label);
const sameNotification = (a: TrayNotification | null, b: TrayNotification | null): boolean =>
  a === b || (a !== null && b !== null && a.title === b.title && a.body === b.body && a.action === b.action);

export class SystemTray {
  readonly #factory: TrayFactory;
  readonly #onAction: (action: TrayAction) => void;
  readonly #log: (line: string) => void;
  #tray: TrayHandle | null = null;
  #icon: TrayIconName | null = null;
  #tooltip: string | null = null;
  #menu: readonly TrayMenuItem[] | null = null;
  #notification: TrayNotification | null = null;
  #shown: NotificationHandle | null = null;

  constructor({ factory, onAction, log = () => undefined }: SystemTrayOptions) {
    this.#factory = factory;
    this.#onAction = onAction;
    this.#log = log;
  }

  /** Brings the tray up to date with `model`; the first call creates the icon. */
  render(model: TrayModel): void {
    this.#setIcon(model.icon);
    this.#setToolTip(model.tooltip);
    this.#setMenu(model.menu);
    this.#setNotification(model.notification);
  }

  /** Removes the icon and any notification shown (on quit). */
  destroy(): void {
    this.#shown?.close();
    this.#shown = null;
    this.#tray?.destroy();
    this.#tray = null;
    this.#icon = null;
    this.#tooltip = null;
    this.#menu = null;
    this.#notification = null;
  }

  #setIcon(icon: TrayIconName): void {
    if (this.#tray === null) {
      this.#log(`tray: created with the ${icon} icon`);
      this.#tray = this.#factory.createTray(icon);
      this.#tray.onClick(() => this.#onAction('open'));
    } else if (icon !== this.#icon) {
      this.#log(`tray: icon ${this.#icon ?? 'none'} -> ${icon}`);
      this.#tray.setIcon(icon);
    }
    this.#icon = icon;
  }

  #setToolTip(tooltip: string): void {
    if (tooltip === this.#tooltip) return;
    this.#tooltip = tooltip;
    this.#tray?.setToolTip(tooltip);
  }

  #setMenu(menu: readonly TrayMenuItem[]): void {
    if (this.#menu !== null && sameMenu(menu, this.#menu)) return;
    this.#menu = menu;
    this.#tray?.setMenu(menu, (action) => this.#onAction(action));
  }

  /**
   * A notification is shown when it differs from the last one in the model
   * (the scheduler asks at most once a day, and the days left differ from one
   * day to the next); one that leaves the model (snoozed, renewed) is closed.
   */
  #setNotification(notification: TrayNotification | null): void {
    if (sameNotification(notification, this.#notification)) return;
    this.#notification = notification;
    this.#shown?.close();
    this.#shown = null;
    if (notification === null) return;
    this.#log(`tray: notification "${notification.title}"`);
    this.#shown = this.#factory.showNotification(notification, () => this.#onAction(notification.action));
  }

  /** For tests only: the tray the factory made, or null. */
  _getTrayForTesting(): TrayHandle | null {
    return this.#tray;
  }
}
