// The real TrayFactory: Electron's Tray, Menu and Notification. Kept to the
// calls alone (type-checked; Electron cannot run on the build machines): what
// to show and when is decided in system-tray.ts and the presenter, tested in Node.
import { Menu, Notification, nativeImage, Tray } from 'electron';
import type { TrayIconName } from '../ipc/contract.ts';
import type { NotificationHandle, TrayFactory, TrayHandle } from './system-tray.ts';
import { trayIconPath } from './tray-icons.ts';

export function createElectronTrayFactory(trayDir: string, log: (line: string) => void): TrayFactory {
  const image = (icon: TrayIconName): Electron.NativeImage => {
    const path = trayIconPath(trayDir, icon, process.platform);
    const loaded = nativeImage.createFromPath(path);
    if (loaded.isEmpty()) log(`tray: no icon at ${path}`);
    // "…Template.png" marks it already; said again in case the file was renamed.
    if (process.platform === 'darwin') loaded.setTemplateImage(true);
    return loaded;
  };
  // Electron closes a notification that is garbage-collected: keep the one on screen referenced.
  let current: Notification | null = null;
  return {
    createTray(icon): TrayHandle {
      const tray = new Tray(image(icon));
      return {
        setIcon: (next) => tray.setImage(image(next)),
        setToolTip: (text) => tray.setToolTip(text),
        setMenu: (items, onPick) => tray.setContextMenu(Menu.buildFromTemplate(items.map((item) => ({ label: item.label, click: () => onPick(item.action) })))),
        onClick: (listener) => {
          tray.on('click', listener);
        },
        destroy: () => tray.destroy(),
      };
    },
    showNotification(content, onClick): NotificationHandle {
      if (!Notification.isSupported()) {
        log('tray: this system shows no notifications; the tray icon and the window say it instead');
        return { close: () => undefined };
      }
      const notification = new Notification({ title: content.title, body: content.body, urgency: 'normal' });
      notification.on('click', onClick);
      notification.on('close', () => {
        if (current === notification) current = null;
      });
      current = notification;
      notification.show();
      return { close: () => notification.close() };
    },
  };
}
