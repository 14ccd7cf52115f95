// PINs live in the forms' component state only: never in a store, the URL or
// storage, and gone once the form is.
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { useErrorStore } from '../stores/error-store.ts';
import { useNoticeStore } from '../stores/notice-store.ts';
import { useProgressStore } from '../stores/progress-store.ts';
import { useStatusStore } from '../stores/status-store.ts';
import { useWizardStore } from '../stores/wizard-store.ts';
import { errResult, okResult } from '../test/fake-wfa.ts';
import { precheck, status } from '../test/fixtures.ts';
import { renderApp } from '../test/render-app.tsx';
import { finishWith, goToNewPin } from '../test/wizard-steps.ts';

const TEMPORARY = '24a6b8';
const NEW = '19x7q5';

function everythingKeptOutsideTheForm(): string {
  const stores = [useErrorStore, useNoticeStore, useProgressStore, useStatusStore, useWizardStore].map((s) => JSON.stringify(s.getState()));
  return [...stores, window.location.href, JSON.stringify({ ...window.localStorage }), JSON.stringify({ ...window.sessionStorage }), document.cookie].join(
    '\n',
  );
}

describe('PIN privacy', () => {
  it('no PIN in any store, the URL or storage, while typing and after a failure', async () => {
    const { user } = await renderApp(status(), (f) => {
      f.handle('pairing.precheck', () => okResult(precheck()));
      f.handle('pairing.pair', () => errResult('PIN_INCORRECT', { retries: 2 }));
    });
    await goToNewPin(user, TEMPORARY);
    await user.type(screen.getByLabelText('New PIN'), NEW);
    expect(everythingKeptOutsideTheForm()).not.toContain(TEMPORARY);
    expect(everythingKeptOutsideTheForm()).not.toContain(NEW);
    await user.clear(screen.getByLabelText('New PIN'));
    await finishWith(user, NEW);
    await screen.findAllByRole('alert');
    expect(everythingKeptOutsideTheForm()).not.toContain(TEMPORARY);
    expect(everythingKeptOutsideTheForm()).not.toContain(NEW);
    // The form was closed by FINISH: back on the temporary-PIN step, nothing typed survives.
    expect((screen.getByLabelText('Temporary PIN') as HTMLInputElement).value).toBe('');
    expect(document.body.innerHTML).not.toContain(TEMPORARY);
    expect(document.body.innerHTML).not.toContain(NEW);
  });
});
