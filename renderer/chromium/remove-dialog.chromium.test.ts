// @vitest-environment node
// De-registration's dialog in Chromium, where the browser's own modal
// <dialog> runs (jsdom has no showModal): the whole PIV area is reset and the
// key must stay plugged in; the safe choice has the focus, the page behind is
// inert, Escape or Cancel closes it and the focus goes back to the trash
// button; "Remove" resets and unpairs.
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousAxeViolations } from '../../e2e/support/browser.ts';
import { focusedText } from '../../e2e/support/keyboard.ts';
import { SERIAL, status } from '../src/test/fixtures.ts';
import { openRendererPage, type RendererPage } from './test-support.ts';

/** What the tests reach in the page (the project type-checks Node code without the DOM library). */
interface PageFake {
  handle(channel: string, handler: (input: unknown) => unknown): void;
  emit(event: string, payload: unknown): void;
  callsTo(channel: string): unknown[];
}
interface PageElement {
  closest(selector: string): PageElement | null;
  matches(selector: string): boolean;
}
interface PageGlobals {
  readonly testFake: PageFake;
  readonly document: { readonly activeElement: PageElement | null; readonly body: PageElement };
}

let browser: RendererPage;
let page: Page;

beforeAll(async () => {
  browser = await openRendererPage('paired-key-page.tsx');
  page = browser.page;
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

const trashButton = (): Locator => page.getByRole('button', { name: 'Remove security key' });

/** A fresh app; the trash button pressed from the keyboard, as a user without a mouse would. */
async function openDialog(): Promise<Locator> {
  await browser.load();
  await trashButton().focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Remove security key?' });
  await dialog.waitFor();
  return dialog;
}

/** Where the focus is: in the dialog, on the page's body (the browser's own controls), or elsewhere on the page. */
const focusIsWhere = (): Promise<'dialog' | 'body' | 'page'> =>
  page.evaluate(() => {
    const { document } = globalThis as unknown as PageGlobals;
    const active = document.activeElement;
    if (active === null || active === document.body) return 'body';
    return active.closest('dialog') === null ? 'page' : 'dialog';
  });

describe('remove (de-registration) dialog, in Chromium', () => {
  it("is the browser's modal dialog: it says what is reset, the safe choice has the focus, and Tab never leaves it for the page", async () => {
    const dialog = await openDialog();
    expect(await dialog.evaluate((element) => (element as unknown as PageElement).matches(':modal'))).toBe(true);
    const text = (await dialog.textContent()) ?? '';
    expect(text).toMatch(/whole PIV area/);
    expect(text).toMatch(/PIN, PUK, management key and certificates/);
    expect(text).toMatch(/Keep the security key plugged in/);
    expect(await focusedText(page)).toBe('button:Cancel');
    const reached = new Set<string>();
    for (const key of ['Tab', 'Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab']) {
      await page.keyboard.press(key);
      expect(await focusIsWhere()).not.toBe('page');
      reached.add(await focusedText(page));
    }
    expect([...reached].filter((name) => name.startsWith('button:'))).toEqual(expect.arrayContaining(['button:Remove', 'button:Cancel']));
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(browser.problems).toEqual([]);
  });

  it('Escape closes it and gives the focus back to the trash button; nothing is removed', async () => {
    const dialog = await openDialog();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await focusedText(page)).toBe('button:Remove security key');
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).testFake.callsTo('deregistration.remove'))).toEqual([]);
  });

  it('"Cancel" closes it the same way', async () => {
    const dialog = await openDialog();
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    expect(await focusedText(page)).toBe('button:Remove security key');
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).testFake.callsTo('deregistration.remove'))).toEqual([]);
  });

  it('"Remove" resets the paired key and brings back the home screen', async () => {
    await openDialog();
    await page.evaluate((unpaired) => {
      const fake = (globalThis as unknown as PageGlobals).testFake;
      fake.handle('deregistration.remove', () => {
        fake.handle('status.get', () => ({ ok: true, value: unpaired }));
        return { ok: true, value: { revoked: true, warnings: [] } };
      });
    }, status());
    await page.getByRole('button', { name: 'Remove', exact: true }).click();
    await page.getByRole('button', { name: 'Start Pairing' }).waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).testFake.callsTo('deregistration.remove'))).toEqual([
      { serial: SERIAL, confirmOtherKey: false },
    ]);
    expect(await page.getByText(/Security key removed/).count()).toBe(1);
    expect(await page.getByRole('dialog').count()).toBe(0);
  });

  it('a refusal is said inside the dialog, which stays open', async () => {
    const dialog = await openDialog();
    await page.evaluate(() =>
      (globalThis as unknown as PageGlobals).testFake.handle('deregistration.remove', () => ({
        ok: false,
        error: { code: 'OTHER_KEY', message: 'test: OTHER_KEY' },
      })),
    );
    await page.getByRole('button', { name: 'Remove', exact: true }).click();
    await dialog.getByRole('alert').waitFor();
    expect(await dialog.getByRole('alert').textContent()).toMatch(/not your paired security key/);
    expect(await dialog.evaluate((element) => (element as unknown as PageElement).matches(':modal'))).toBe(true);
  });

  it('the key not plugged in: says so in the dialog, live, and again after trying', async () => {
    const dialog = await openDialog();
    await page.evaluate(() => {
      const fake = (globalThis as unknown as PageGlobals).testFake;
      fake.handle('deregistration.remove', () => ({ ok: false, error: { code: 'NO_KEY', message: 'test: NO_KEY' } }));
      fake.emit('keys.changed', []);
    });
    await dialog.getByRole('alert').waitFor();
    expect(await dialog.getByRole('alert').textContent()).toMatch(/your security key isn't plugged in/i);
    await page.getByRole('button', { name: 'Remove', exact: true }).click();
    await expect.poll(() => dialog.getByRole('alert').count()).toBe(2);
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('while the key is being reset, Escape does not close it', async () => {
    const dialog = await openDialog();
    await page.evaluate(() => (globalThis as unknown as PageGlobals).testFake.handle('deregistration.remove', () => new Promise(() => undefined)));
    await page.getByRole('button', { name: 'Remove', exact: true }).click();
    await dialog.getByText('Resetting your security key').waitFor();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    expect(await dialog.count()).toBe(1);
    expect(await dialog.isVisible()).toBe(true);
    expect(await focusIsWhere()).toBe('dialog');
  });
});
