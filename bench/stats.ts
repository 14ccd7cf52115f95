// Figures of `npm run bench`: min / median / max of repeated runs, and the table.

export interface Spread {
  readonly n: number;
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

export function spread(values: readonly number[]): Spread {
  if (values.length === 0) return { n: 0, min: Number.NaN, median: Number.NaN, max: Number.NaN };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { n: sorted.length, min: sorted[0]!, median, max: sorted.at(-1)! };
}

export interface Row {
  readonly figure: string;
  readonly value: string;
  readonly goal: string;
  /** null: a figure without a goal. */
  readonly met: boolean | null;
}

export function ms(s: Spread, digits = 0): string {
  const f = (v: number): string => v.toFixed(digits);
  return `${f(s.median)} ms (${f(s.min)}–${f(s.max)}, n=${s.n})`;
}

export function printTable(rows: readonly Row[]): string {
  const head = ['figure', 'measured (median (min–max, n))', 'goal', ''];
  const cells = rows.map((r) => [r.figure, r.value, r.goal, r.met === null ? '' : r.met ? '✔' : '✘']);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]): string => `| ${c.map((x, i) => x.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}

export function countsText(counts: Readonly<Record<string, number>>): string {
  return Object.entries(counts)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
}
