// Notices: the one confirmation to show after a flow ends on another screen
// ("Your PIN was changed", "Security key removed"). Words only, set by the
// flow that ended, cleared when the user starts something else.
import { create } from 'zustand';

export interface NoticeState {
  readonly notice: string | null;
  show(notice: string): void;
  clear(): void;
}

/** A confirmation with what failed after the key changed (a log not written): the change stands, and both are said. */
export function withWarnings(notice: string, warnings: readonly string[]): string {
  return warnings.length === 0 ? notice : `${notice} However: ${warnings.join(' ')}`;
}

export const useNoticeStore = create<NoticeState>()((set) => ({
  notice: null,
  show: (notice) => set({ notice }),
  clear: () => set({ notice: null }),
}));
