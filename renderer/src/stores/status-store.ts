// Keys and status: what the main process says about this computer (the keys
// plugged in, the pairing, the renewal reminder). Filled by `status.get` and
// kept live by the 'keys.changed' and 'reminder.changed' events. No PIN here.
import { create } from 'zustand';
import type { AppError, KeySummary, ReminderView, StatusView } from '../../../electron/ipc/contract.ts';
import { wfa } from '../api.ts';

export interface StatusState {
  /** Null until the first answer. */
  readonly status: StatusView | null;
  /** The keys plugged in now (from the status, then from each 'keys.changed'). */
  readonly keys: readonly KeySummary[];
  readonly reminder: ReminderView | null;
  readonly loadError: AppError | null;
  readonly loading: boolean;
  refresh(): Promise<StatusView | null>;
  setKeys(keys: readonly KeySummary[]): void;
  setReminder(reminder: ReminderView | null): void;
}

export const useStatusStore = create<StatusState>()((set) => ({
  status: null,
  keys: [],
  reminder: null,
  loadError: null,
  loading: false,
  async refresh() {
    set({ loading: true });
    const result = await wfa().statusGet({});
    if (!result.ok) {
      set({ loading: false, loadError: result.error });
      return null;
    }
    const status = result.value;
    set({ status, keys: status.keys, reminder: status.reminder, loadError: null, loading: false });
    return status;
  },
  setKeys: (keys) => set({ keys }),
  setReminder: (reminder) => set({ reminder }),
}));

/** The key with this serial when it is plugged in now. */
export const findKey = (keys: readonly KeySummary[], serial: number): KeySummary | undefined => keys.find((k) => k.serial === serial);
