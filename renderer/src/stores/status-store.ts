// Keys and status: what the main process says about this computer (the keys
// plugged in, the pairing, the renewal reminder). Filled by `status.get` and
// kept live by the 'keys.changed' and 'reminder.changed' events, which update
// the one status object, so nothing reads an older copy. No PIN here.
import { create } from 'zustand';
import type { AppError, KeySummary, ReminderView, StatusView } from '../../../electron/ipc/contract.ts';
import { wfa } from '../api.ts';

export interface StatusState {
  /** Null until the first answer. */
  readonly status: StatusView | null;
  readonly loadError: AppError | null;
  readonly loading: boolean;
  refresh(): Promise<StatusView | null>;
  /** The keys plugged in now ('keys.changed'). Before the first answer there is nothing to update: that answer lists the keys. */
  setKeys(keys: readonly KeySummary[]): void;
  /** The reminder now ('reminder.changed', a snooze, a renewal). */
  setReminder(reminder: ReminderView | null): void;
}

export const useStatusStore = create<StatusState>()((set) => ({
  status: null,
  loadError: null,
  loading: false,
  async refresh() {
    set({ loading: true });
    const result = await wfa().statusGet({});
    if (!result.ok) {
      set({ loading: false, loadError: result.error });
      return null;
    }
    set({ status: result.value, loadError: null, loading: false });
    return result.value;
  },
  setKeys: (keys) => set((s) => (s.status === null ? {} : { status: { ...s.status, keys } })),
  setReminder: (reminder) => set((s) => (s.status === null ? {} : { status: { ...s.status, reminder } })),
}));

const NO_KEYS: readonly KeySummary[] = [];

/** The keys plugged in now. */
export const useKeys = (): readonly KeySummary[] => useStatusStore((s) => s.status?.keys ?? NO_KEYS);

/** The renewal reminder now; null with nothing paired. */
export const useReminder = (): ReminderView | null => useStatusStore((s) => s.status?.reminder ?? null);

/** The key with this serial when it is plugged in now. */
export const findKey = (keys: readonly KeySummary[], serial: number): KeySummary | undefined => keys.find((k) => k.serial === serial);

/** The key with this serial, while it is plugged in. */
export const usePluggedInKey = (serial: number): KeySummary | undefined => useStatusStore((s) => findKey(s.status?.keys ?? NO_KEYS, serial));
