// Errors: the one failure on show and the screen it belongs to, so the
// screen the user returns to shows it (a wrong temporary PIN goes back to the
// temporary-PIN step, with the tries left). Only the code, the tries left and
// the detail are kept: never a PIN, never the English log sentence.
import { create } from 'zustand';
import type { AppError } from '../../../electron/ipc/contract.ts';

export type ErrorScope = 'status' | 'precheck' | 'temporary-pin' | 'pairing' | 'resume' | 'pin-change' | 'remove' | 'signin' | 'snooze' | 'renewal';

/** What is kept of an error: its code, the tries left and the detail (never the English log sentence). */
export interface ShownError extends Pick<AppError, 'code' | 'retries' | 'detail'> {
  readonly scope: ErrorScope;
}

export interface ErrorState {
  readonly shown: ShownError | null;
  show(scope: ErrorScope, error: AppError): void;
  clear(): void;
}

export const useErrorStore = create<ErrorState>()((set) => ({
  shown: null,
  show: (scope, error) =>
    set({
      shown: {
        scope,
        code: error.code,
        ...(error.retries === undefined ? {} : { retries: error.retries }),
        ...(error.detail === undefined ? {} : { detail: error.detail }),
      },
    }),
  clear: () => set({ shown: null }),
}));

/** The error for one screen, or null. */
export const useErrorFor = (scope: ErrorScope): ShownError | null => useErrorStore((s) => (s.shown?.scope === scope ? s.shown : null));
