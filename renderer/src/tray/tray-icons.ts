// The tray icons the desktop app shows (assets/tray/linux, in colour), for the
// in-page tray view; Vite copies them as files.
import type { TrayIconName } from '../../../electron/ipc/contract.ts';
import expired from '../../../assets/tray/linux/expired.png';
import final from '../../../assets/tray/linux/final.png';
import notice from '../../../assets/tray/linux/notice.png';
import ok from '../../../assets/tray/linux/ok.png';
import urgent from '../../../assets/tray/linux/urgent.png';

export const TRAY_ICON_URLS: Readonly<Record<TrayIconName, string>> = { ok, notice, urgent, final, expired };
