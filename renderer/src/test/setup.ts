// After every renderer test in jsdom: fresh stores, no fake bridge left
// behind, nothing rendered left in the document.
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';
import { useErrorStore } from '../stores/error-store.ts';
import { useNoticeStore } from '../stores/notice-store.ts';
import { useProgressStore } from '../stores/progress-store.ts';
import { useRenewalStore } from '../stores/renewal-store.ts';
import { useStatusStore } from '../stores/status-store.ts';
import { useTrayStore } from '../stores/tray-store.ts';
import { useWizardStore } from '../stores/wizard-store.ts';
import { uninstallFakeWfa } from './fake-wfa.ts';

afterEach(() => {
  // The Chromium tests (renderer/chromium/) run in Node: their page, and its stores, are the browser's.
  if (typeof window === 'undefined') return;
  cleanup();
  uninstallFakeWfa();
  useErrorStore.setState(useErrorStore.getInitialState(), true);
  useNoticeStore.setState(useNoticeStore.getInitialState(), true);
  useProgressStore.setState(useProgressStore.getInitialState(), true);
  useStatusStore.setState(useStatusStore.getInitialState(), true);
  useWizardStore.setState(useWizardStore.getInitialState(), true);
  useRenewalStore.setState(useRenewalStore.getInitialState(), true);
  useTrayStore.setState(useTrayStore.getInitialState(), true);
});
