// The renewal flow: whether its screen is open and how far the main process
// is ('renewal.progress'). The PIN stays in the form's own state
// (renewal/RenewalFlow.tsx), never here; the result and the error are the
// flow's screen state.
import { create } from 'zustand';
import type { RenewalProgressEvent } from '../../../electron/ipc/contract.ts';

export interface RenewalState {
  readonly open: boolean;
  readonly progress: RenewalProgressEvent | null;
  start(): void;
  close(): void;
  setProgress(event: RenewalProgressEvent): void;
  resetProgress(): void;
}

export const useRenewalStore = create<RenewalState>()((set) => ({
  open: false,
  progress: null,
  start: () => set({ open: true, progress: null }),
  close: () => set({ open: false, progress: null }),
  setProgress: (progress) => set({ progress }),
  resetProgress: () => set({ progress: null }),
}));
