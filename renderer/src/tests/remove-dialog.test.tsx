// De-registration: the trash button opens a modal dialog that says the whole
// PIV area is reset and the key must stay plugged in; focus stays inside,
// Escape cancels, "Remove" resets and unpairs.
import { act, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { expectNoSeriousAxeViolations } from '../test/axe.ts';
import { errResult, type FakeWfa, okResult } from '../test/fake-wfa.ts';
import { pairedStatus, SERIAL, status } from '../test/fixtures.ts';
import { renderApp } from '../test/render-app.tsx';

async function openDialog(configure: (f: FakeWfa) => void = () => undefined) {
  const app = await renderApp(pairedStatus(), configure);
  await app.user.click(screen.getByRole('button', { name: 'Remove security key' }));
  return { ...app, dialog: screen.getByRole('dialog', { name: 'Remove security key?' }) };
}

describe('remove (de-registration) dialog', () => {
  it('says the whole PIV area is reset and the key must stay plugged in', async () => {
    const { dialog } = await openDialog();
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    const text = dialog.textContent ?? '';
    expect(text).toMatch(/whole PIV area/);
    expect(text).toMatch(/PIN, PUK, management key and certificates/);
    expect(text).toMatch(/Keep the security key plugged in/);
    expect(screen.getByRole('button', { name: 'Remove' })).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Cancel' }));
    await expectNoSeriousAxeViolations();
  });

  it('keeps the focus inside (Tab wraps both ways)', async () => {
    const { user } = await openDialog();
    const remove = screen.getByRole('button', { name: 'Remove' });
    const cancel = screen.getByRole('button', { name: 'Cancel' });
    await user.tab();
    expect(document.activeElement).toBe(remove);
    await user.tab({ shift: true });
    expect(document.activeElement).toBe(cancel);
    await user.tab();
    await user.tab();
    expect(document.activeElement).toBe(cancel);
  });

  it('Escape cancels and gives the focus back to the trash button', async () => {
    const { user, fake } = await openDialog();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Remove security key' }));
    expect(fake.callsTo('deregistration.remove')).toEqual([]);
  });

  it('"Remove" resets the paired key and brings back the home screen', async () => {
    const { user, fake } = await openDialog((f) =>
      f.handle('deregistration.remove', () => {
        f.handle('status.get', () => okResult(status()));
        return okResult({ revoked: true, warnings: [] });
      }),
    );
    await user.click(screen.getByRole('button', { name: 'Remove' }));
    expect(await screen.findByRole('button', { name: 'Start Pairing' })).toBeTruthy();
    expect(fake.callsTo('deregistration.remove')).toEqual([{ serial: SERIAL, confirmOtherKey: false }]);
    expect(screen.getByText(/Security key removed/)).toBeTruthy();
  });

  it("the key not plugged in: says so in the dialog, live, and after trying", async () => {
    const { user, fake } = await openDialog((f) => f.handle('deregistration.remove', () => errResult('NO_KEY')));
    act(() => fake.emit('keys.changed', []));
    expect(screen.getByRole('alert').textContent).toMatch(/your security key isn't plugged in/i);
    await user.click(screen.getByRole('button', { name: 'Remove' }));
    expect((await screen.findAllByRole('alert')).length).toBe(2);
    expect(screen.getByRole('dialog')).toBeTruthy();
    await expectNoSeriousAxeViolations();
  });

  it('another key plugged in instead: says it is not the paired key', async () => {
    const { user } = await openDialog((f) => f.handle('deregistration.remove', () => errResult('OTHER_KEY')));
    await user.click(screen.getByRole('button', { name: 'Remove' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/not your paired security key/);
  });
});
