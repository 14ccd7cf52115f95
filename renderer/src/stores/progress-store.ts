// Pairing progress: the last 'pairing.progress' event (which step the main
// process is on), reset when a pairing starts.
import { create } from 'zustand';
import type { ProgressEvent } from '../../../electron/ipc/contract.ts';

export interface ProgressState {
  readonly current: ProgressEvent | null;
  setProgress(event: ProgressEvent): void;
  reset(): void;
}

export const useProgressStore = create<ProgressState>()((set) => ({
  current: null,
  setProgress: (current) => set({ current }),
  reset: () => set({ current: null }),
}));
