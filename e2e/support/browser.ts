// Debian's Chromium through playwright-core (never a downloaded browser), in
// a fresh profile, with what the page logs kept for the failure report and
// any CSP violation counted.
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { CHROMIUM } from '../../scripts/lib/app-window.ts';
import { REPO_ROOT } from '../../scripts/lib/paths.ts';

export { CHROMIUM };
/** Headless and quiet: without the background-networking flags Chromium keeps calling hosts this closed network refuses. */
export const HEADLESS_CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const SCREENSHOT_DIR = join(REPO_ROOT, 'e2e', 'screenshots');

export interface OpenBrowser {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Console errors and CSP reports of the page. */
  readonly problems: string[];
  close(): Promise<void>;
}

export async function openBrowser(): Promise<OpenBrowser> {
  const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'wfa-e2e-chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 900, height: 760 },
    colorScheme: 'light',
    args: HEADLESS_CHROMIUM_ARGS,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('console', (message) => {
    // The browser asks for /favicon.ico on its own; the app has none to serve.
    if (message.type() === 'error' && !/favicon|status of 404/.test(message.text())) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return { context, page, problems, close: () => context.close() };
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core in the real page, colour contrast included (jsdom cannot judge
 * that): the serious and critical violations, described. Evaluated through
 * the DevTools protocol, which the page's CSP does not govern, so the app's
 * own policy stays as it ships.
 */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    interface AxeResult {
      violations: { id: string; impact?: string | null; help: string; nodes: { target: unknown[] }[] }[];
    }
    const axe = (globalThis as unknown as { axe: { run(root: unknown): Promise<AxeResult> } }).axe;
    const results = await axe.run((globalThis as unknown as { document: unknown }).document);
    return results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact ?? '?'}): ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`);
  });
}

/**
 * Saves the screen as e2e/screenshots/NAME-light.png and NAME-dark.png
 * (looked at by people, ignored by git), and returns axe's serious and
 * critical findings in either scheme.
 */
export async function snap(page: Page, name: string): Promise<string[]> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const findings: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    // The icons are masks loaded by the stylesheet: let them arrive before the picture.
    await page.waitForLoadState('networkidle').catch(() => undefined);
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-${scheme}.png`), fullPage: true });
    for (const finding of await seriousAxeViolations(page)) findings.push(`${name} (${scheme}): ${finding}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return findings;
}
