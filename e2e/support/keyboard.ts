// Moving through the page with the keyboard alone, as a user without a mouse.
import type { Locator, Page } from 'playwright-core';

/** The little of the page's DOM these helpers read (the project type-checks Node code without the DOM library). */
interface PageElement {
  readonly tagName: string;
  readonly textContent: string | null;
  readonly outerHTML: string;
}
interface PageGlobals {
  readonly document: { readonly activeElement: PageElement | null };
}

const isFocused = (locator: Locator): Promise<boolean> =>
  locator.evaluate((element) => element === (globalThis as unknown as PageGlobals).document.activeElement);

/** Presses Tab (Shift+Tab when `backwards`) until `target` has the focus; fails after `maxPresses`. */
export async function tabTo(page: Page, target: Locator, { maxPresses = 15, backwards = false } = {}): Promise<void> {
  await target.waitFor();
  for (let i = 0; i < maxPresses; i++) {
    if (await isFocused(target)) return;
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
  }
  if (await isFocused(target)) return;
  const focused = await page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.outerHTML.slice(0, 120) ?? 'nothing');
  throw new Error(`Tab did not reach the control within ${maxPresses} presses; the focus is on ${focused}`);
}

/** The focused element as "tag:text", for assertions. */
export function focusedText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = (globalThis as unknown as PageGlobals).document.activeElement;
    return element === null ? '' : `${element.tagName.toLowerCase()}:${element.textContent?.trim() ?? ''}`;
  });
}
