// The tray's model (icon, tooltip, menu, notification), as the main process
// makes it: from 'tray.get', kept live by 'tray.changed'. The in-page tray
// view renders it, and the renewal banner takes its actions from its menu,
// so the page offers exactly what the tray offers.
import { create } from 'zustand';
import type { TrayModel } from '../../../electron/ipc/contract.ts';
import { wfa } from '../api.ts';
import { snoozeDays } from '../tray/snooze-days.ts';

export interface TrayState {
  readonly model: TrayModel | null;
  refresh(): Promise<void>;
  setModel(model: TrayModel): void;
}

export const useTrayStore = create<TrayState>()((set) => ({
  model: null,
  async refresh() {
    const result = await wfa().trayGet({});
    // Without a model the page shows no tray view and the banner no actions; the status error says why elsewhere.
    if (result.ok) set({ model: result.value });
  },
  setModel: (model) => set({ model }),
}));

/** The snooze lengths the tray offers now, in days. */
export function snoozeChoicesOf(model: TrayModel | null): number[] {
  const days: number[] = [];
  for (const item of model?.menu ?? []) {
    const d = snoozeDays(item.action);
    if (d !== null) days.push(d);
  }
  return days;
}

export const canRenewFrom = (model: TrayModel | null): boolean => model?.menu.some((item) => item.action === 'renew') ?? false;
