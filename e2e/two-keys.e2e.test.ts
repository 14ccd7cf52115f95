// Two security keys plugged in. In real Chromium through the
// web shell, with two virtual YubiKeys behind pcscd: the app asks which key to
// pair, the user chooses the second, and only that key changes (the other's
// whole state — PIN, keys, objects — is byte for byte what it was).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStateFile } from '../native/virtual-yubikey/state-file.ts';
import { DEFAULT_PIN_HEX } from '../native/virtual-yubikey/state.ts';
import { ensurePcscd, type PcscdHandle } from '../scripts/lib/pcscd.ts';
import { startVirtualYubiKey, type RunningVirtualYubiKey } from '../scripts/lib/virtual-key.ts';
import { openBrowser, type OpenBrowser, snap } from './support/browser.ts';
import { E2E_PROFILE, E2E_READER_INDEX } from './support/keys.ts';
import { launchWebShell, type RunningApp } from './support/web-shell.ts';

const UNCHOSEN = 31000201;
const CHOSEN = 31000202;
const NEW_PIN = '190753';

let pcscd: PcscdHandle;
let app: RunningApp;
let browser: OpenBrowser;
let page: Page;
const keys: RunningVirtualYubiKey[] = [];
const stateDir = mkdtempSync(join(tmpdir(), 'wfa-e2e-two-keys-'));
const stateFile = (serial: number): string => join(stateDir, `${serial}.json`);

const heading = (name: string) => page.getByRole('heading', { level: 1, name, exact: true });
const button = (name: string) => page.getByRole('button', { name, exact: true });
/** The chooser's button for a key: its model, then its serial. */
const keyButton = (serial: number) => page.getByRole('button', { name: new RegExp(`, serial number ${serial}$`) });

beforeAll(async () => {
  pcscd = await ensurePcscd();
  app = await launchWebShell({ policy: { key: { algorithm: 'ECCP256' } } });
  browser = await openBrowser();
  page = browser.page;
  // vpcd has two readers: 0 and the e2e reader, 1. Reader 0 is free in the e2e stage's own rig.
  keys.push(await startVirtualYubiKey({ reader: 0, profile: E2E_PROFILE, serial: UNCHOSEN, state: stateFile(UNCHOSEN) }));
  keys.push(await startVirtualYubiKey({ reader: E2E_READER_INDEX, profile: E2E_PROFILE, serial: CHOSEN, state: stateFile(CHOSEN) }));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await Promise.all(keys.map((k) => k.stop()));
  await pcscd?.stop();
  expect(browser?.problems ?? []).toEqual([]);
});

describe('two security keys plugged in', () => {
  it('the user chooses which key to pair, and only that key changes', async () => {
    const unchosenBefore = readFileSync(stateFile(UNCHOSEN), 'utf8');
    await page.goto(app.url);
    await heading('Sign in without a password').waitFor();
    await button('Start Pairing').click();
    await button('Security key').click();
    await heading('Which security key do you want to pair?').waitFor({ timeout: 30_000 });
    await keyButton(UNCHOSEN).waitFor();
    expect(await snap(page, '20-two-keys-choose')).toEqual([]);
    await keyButton(CHOSEN).click();

    await heading('Enter your temporary PIN').waitFor({ timeout: 30_000 });
    await page.getByRole('switch', { name: 'Try Default PIN' }).click();
    await button('Next').click();
    await heading('Choose your new PIN').waitFor();
    await page.getByLabel('New PIN', { exact: true }).fill(NEW_PIN);
    await page.getByLabel('Confirm New PIN', { exact: true }).fill(NEW_PIN);
    await button('Finish').click();
    await heading('Security Key paired').waitFor({ timeout: 60_000 });
    await button('Show my security key').click();
    await heading('Your security key').waitFor();
    expect(await page.locator('dl.details').textContent()).toContain(String(CHOSEN));

    // The chosen key has the new PIN and a certificate in 9a; the other is exactly as it was.
    const chosen = loadStateFile(stateFile(CHOSEN))!;
    expect(chosen.pinHex).not.toBe(DEFAULT_PIN_HEX);
    expect(chosen.objects['5fc105']).toBeDefined();
    expect(readFileSync(stateFile(UNCHOSEN), 'utf8')).toBe(unchosenBefore);
    expect(loadStateFile(stateFile(UNCHOSEN))!.pinHex).toBe(DEFAULT_PIN_HEX);
  });
});
