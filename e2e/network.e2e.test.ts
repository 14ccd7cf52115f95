// The company network out of reach (a SCEP service that does not answer):
// the message about the company network and the VPN, with "Try again".
import { createServer } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePcscd, type PcscdHandle } from '../scripts/lib/pcscd.ts';
import { openBrowser, type OpenBrowser, snap } from './support/browser.ts';
import { launchWebShell, type RunningApp } from './support/web-shell.ts';

let pcscd: PcscdHandle;
let app: RunningApp;
let browser: OpenBrowser;
let page: Page;

/** A loopback port nobody listens on: taken, then given back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

beforeAll(async () => {
  // The app's key checks need the smart-card service before the network is tried (the rig starts none for us).
  pcscd = await ensurePcscd();
  const port = await closedPort();
  app = await launchWebShell({
    policy: {
      enrollment: { backend: 'scep', scepUrl: `http://127.0.0.1:${port}/scep`, allowHttp: true, caPin: `sha256:${'0'.repeat(64)}`, timeoutSeconds: 2 },
      certificate: { requiredEku: ['clientAuth'], requireUpn: false },
    },
  });
  browser = await openBrowser();
  page = browser.page;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await pcscd?.stop();
  expect(browser?.problems ?? []).toEqual([]);
});

describe('the company network out of reach', () => {
  it('says to connect to the VPN and try again', async () => {
    await page.goto(app.url);
    await page.getByRole('button', { name: 'Start Pairing', exact: true }).click();
    await page.getByRole('button', { name: 'Security key', exact: true }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor({ timeout: 30_000 });
    expect(await alert.textContent()).toMatch(/The company network can't be reached.*VPN/s);
    expect(await page.getByRole('button', { name: 'Try again', exact: true }).isVisible()).toBe(true);
    expect(await snap(page, '19-company-network-unreachable')).toEqual([]);
  });
});
