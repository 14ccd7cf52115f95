// axe-core on what is on screen: no serious or critical violation allowed.
// Colour contrast is left out: jsdom lays nothing out and computes no colours
// (contrast is looked at in the Chromium screenshots instead).
import axe from 'axe-core';
import { expect } from 'vitest';

export async function expectNoSeriousAxeViolations(root: Element = document.body): Promise<void> {
  const results = await axe.run(root, { rules: { 'color-contrast': { enabled: false } } });
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const described = serious.map((v) => `${v.id} (${v.impact ?? '?'}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`);
  expect(described).toEqual([]);
}
