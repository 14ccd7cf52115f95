// Renewal in real Chromium through the web shell: a key paired on
// the local CA with certificates valid for 20, 5 and 1 days gives the notice,
// urgent and final stages. For each: the banner and the in-page tray view
// (icon, tooltip, menu, notification) from the same model the desktop tray
// renders; snooze where the rules allow it and refused where they do not;
// and "Renew now" to the end, with a new certificate on the key.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result, StatusView } from '../electron/ipc/contract.ts';
import { ensurePcscd, type PcscdHandle } from '../scripts/lib/pcscd.ts';
import type { RunningVirtualYubiKey } from '../scripts/lib/virtual-key.ts';
import { openBrowser, type OpenBrowser, snap } from './support/browser.ts';
import { tabTo } from './support/keyboard.ts';
import { plugInKey } from './support/keys.ts';
import { launchWebShell, type RunningApp } from './support/web-shell.ts';
import { pairWithCli } from './support/wfa-cli.ts';

const PIN = '190753';

let pcscd: PcscdHandle;
let browser: OpenBrowser;
let page: Page;
const stateDir = mkdtempSync(join(tmpdir(), 'wfa-e2e-renewal-keys-'));

interface Stage {
  readonly app: RunningApp;
  readonly key: RunningVirtualYubiKey;
  stop(): Promise<void>;
}

/** A key paired (with the wfa CLI) on a certificate valid for `validityDays`, and the web shell on that data folder. */
async function pairedStage(validityDays: number, serial: number): Promise<Stage> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wfa-e2e-renewal-data-'));
  const policy = { key: { algorithm: 'ECCP256' }, certificate: { validityDays } };
  writeFileSync(join(dataDir, 'policy.json'), JSON.stringify(policy));
  const key = await plugInKey(serial, stateDir, `key-${serial}`);
  await pairWithCli(dataDir, join(dataDir, 'policy.json'), PIN);
  const app = await launchWebShell({ dataDir, policy });
  return {
    app,
    key,
    async stop() {
      // Leave the page first: a shell that stops under an open page makes the page log the lost connection.
      await page.goto('about:blank');
      await app.stop();
      await key.stop();
    },
  };
}

const heading = (name: string) => page.getByRole('heading', { level: 1, name, exact: true });
const button = (name: string) => page.getByRole('button', { name, exact: true });
const banner = () => page.getByRole('complementary', { name: 'Certificate renewal' });
const bannerButtons = () => banner().getByRole('button').allTextContents();
const trayTooltip = () => page.locator('.tray-tooltip').textContent();
const trayIcon = () => page.locator('.tray-icon').getAttribute('data-icon');
const toast = () => page.getByRole('alert', { name: 'Notification' });

async function trayMenuItems(): Promise<string[]> {
  await button('Tray menu').click();
  const items = await page.getByRole('menuitem').allTextContents();
  await page.keyboard.press('Escape');
  return items;
}

/** The page's status, through its own window.wfa (what the app shows comes from the same call). */
function pageStatus(): Promise<Result<StatusView>> {
  return page.evaluate(() => (globalThis as unknown as { wfa: { statusGet(input: object): Promise<Result<StatusView>> } }).wfa.statusGet({}));
}

beforeAll(async () => {
  pcscd = await ensurePcscd();
  browser = await openBrowser();
  page = browser.page;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await pcscd?.stop();
  // Anything the page logged as an error (a CSP violation included) fails the run.
  expect(browser?.problems ?? []).toEqual([]);
});

describe('notice: 20 days left', () => {
  let stage: Stage;
  beforeAll(async () => {
    stage = await pairedStage(20, 32000001);
  }, 180_000);
  afterAll(() => stage?.stop());

  it('the banner and the tray say a renewal awaits, with "Renew now" and three snooze lengths; no notification', async () => {
    await page.goto(stage.app.url);
    await heading('Your security key').waitFor({ timeout: 30_000 });
    expect(await banner().textContent()).toMatch(/expires in 20 days/);
    expect(await bannerButtons()).toEqual(['Renew now', 'Snooze for 1 day', 'Snooze for 3 days', 'Snooze for 7 days']);
    expect(await trayIcon()).toBe('notice');
    expect(await trayTooltip()).toBe('Workforce Access: sign-in certificate expires in 20 days');
    expect(await toast().count()).toBe(0);
    expect(await snap(page, '30-renewal-notice')).toEqual([]);
    await button('Tray menu').click();
    expect(await page.getByRole('menuitem').allTextContents()).toEqual([
      'Renew now',
      'Snooze for 1 day',
      'Snooze for 3 days',
      'Snooze for 7 days',
      'Open Workforce Access',
      'Quit (desktop app only)',
    ]);
    expect(await snap(page, '31-renewal-notice-tray-menu')).toEqual([]);
    await page.keyboard.press('Escape');
  });

  it('snoozes for 7 days from the banner; the tray follows; the snooze survives a reload', async () => {
    await banner().getByRole('button', { name: 'Snooze for 7 days' }).click();
    await banner()
      .getByText(/Reminder snoozed until/)
      .waitFor();
    await expect.poll(trayTooltip, { timeout: 10_000 }).toBe('Workforce Access: sign-in certificate expires in 20 days (reminder snoozed)');
    expect(await snap(page, '32-renewal-notice-snoozed')).toEqual([]);
    await page.reload();
    await banner()
      .getByText(/Reminder snoozed until/)
      .waitFor({ timeout: 30_000 });
  });
});

describe('urgent: 5 days left', () => {
  let stage: Stage;
  beforeAll(async () => {
    stage = await pairedStage(5, 32000002);
  }, 180_000);
  afterAll(() => stage?.stop());

  it('the app asks: a notification, the urgent icon, snooze until the next day only', async () => {
    await page.goto(stage.app.url);
    await heading('Your security key').waitFor({ timeout: 30_000 });
    expect(await banner().textContent()).toMatch(/expires in 5 days/);
    expect(await bannerButtons()).toEqual(['Renew now', 'Snooze for 1 day']);
    expect(await trayIcon()).toBe('urgent');
    expect(await toast().textContent()).toMatch(/Renew your sign-in certificate.*expires in 5 days/s);
    expect(await snap(page, '33-renewal-urgent')).toEqual([]);
  });

  it('the notification opens the app; the tray menu snoozes by keyboard, and the notification goes', async () => {
    await toast().getByRole('button', { name: 'Open' }).click();
    expect(await toast().count()).toBe(0);
    await tabTo(page, button('Tray menu'), { backwards: true, maxPresses: 30 });
    await page.keyboard.press('Enter');
    expect(await page.getByRole('menuitem').allTextContents()).toEqual(['Renew now', 'Snooze for 1 day', 'Open Workforce Access', 'Quit (desktop app only)']);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await banner()
      .getByText(/Reminder snoozed until/)
      .waitFor({ timeout: 10_000 });
    await expect.poll(trayTooltip, { timeout: 10_000 }).toMatch(/\(reminder snoozed\)$/);
    expect(await snap(page, '34-renewal-urgent-snoozed')).toEqual([]);
  });
});

describe('final: 1 day left', () => {
  let stage: Stage;
  beforeAll(async () => {
    stage = await pairedStage(1, 32000003);
  }, 180_000);
  afterAll(() => stage?.stop());

  it('no snooze offered anywhere; the notification says it cannot be snoozed', async () => {
    await page.goto(stage.app.url);
    await heading('Your security key').waitFor({ timeout: 30_000 });
    expect(await banner().textContent()).toMatch(/expires in 1 day/);
    expect(await bannerButtons()).toEqual(['Renew now']);
    expect(await trayIcon()).toBe('final');
    expect(await toast().textContent()).toMatch(/expires very soon.*cannot be snoozed/s);
    expect(await trayMenuItems()).toEqual(['Renew now', 'Open Workforce Access', 'Quit (desktop app only)']);
    expect(await snap(page, '35-renewal-final')).toEqual([]);
  });

  it("a snooze asked anyway, through the page's bridge, is refused with SNOOZE_NOT_ALLOWED", async () => {
    const refused = await page.evaluate(() =>
      (globalThis as unknown as { wfa: { renewalSnooze(input: object): Promise<unknown> } }).wfa.renewalSnooze({ days: 1 }),
    );
    expect(refused).toMatchObject({ ok: false, error: { code: 'SNOOZE_NOT_ALLOWED' } });
  });

  it('"Renew now" to the end: the PIN, the progress, a new certificate on the key', async () => {
    const before = await pageStatus();
    if (!before.ok) throw new Error(`status: ${before.error.code}`);
    const old = before.value.pairing?.certificate;
    await toast().getByRole('button', { name: 'Dismiss' }).click();
    await banner().getByRole('button', { name: 'Renew now' }).click();
    await heading('Renew your sign-in certificate').waitFor();
    expect(await snap(page, '36-renewal-form')).toEqual([]);
    await page.getByLabel('PIN', { exact: true }).fill(PIN);
    await button('Renew').click();
    await heading('Certificate renewed').waitFor({ timeout: 60_000 });
    expect(await page.getByText(/Your new sign-in certificate is valid until/).isVisible()).toBe(true);
    expect(await snap(page, '37-renewal-done')).toEqual([]);
    const after = await pageStatus();
    if (!after.ok) throw new Error(`status: ${after.error.code}`);
    const renewed = after.value.pairing?.certificate;
    expect(renewed?.serial).not.toBe(old?.serial);
    expect(new Date(renewed?.notAfter ?? 0).getTime()).toBeGreaterThan(new Date(old?.notAfter ?? 0).getTime());
    expect(after.value.keys[0]?.pinRetries).toBe(3);
    await button('Done').click();
    await heading('Your security key').waitFor();
  });

  it('a wrong PIN on renewal: its words, the tries left, and the current certificate still works', async () => {
    await banner().getByRole('button', { name: 'Renew now' }).click();
    await page.getByLabel('PIN', { exact: true }).fill('000000');
    await button('Renew').click();
    await page.getByRole('alert').filter({ hasText: 'The PIN is incorrect' }).waitFor({ timeout: 30_000 });
    expect(await page.getByRole('alert').filter({ hasText: 'The PIN is incorrect' }).textContent()).toMatch(/2 PIN attempts left/);
    expect(await page.getByText(/you can still sign in with your current certificate/).isVisible()).toBe(true);
    expect(await snap(page, '38-renewal-wrong-pin')).toEqual([]);
    await button('Cancel').click();
    await heading('Your security key').waitFor();
  });
});
