// The reliability suites' protocol (`npm run reliability`): each suite
// is `reliability/NAME.suite.ts`, run as a child process; it writes progress on
// stderr and, as its LAST stdout line, one
//   RELIABILITY {"suite":"NAME","tried":N,"passed":N,"failed":N,"note":"…"}
// A suite that crashes or prints no such line has failed. The runner
// (scripts/reliability.ts) and the suites both use this module.
import { z } from 'zod';

export const RELIABILITY_PREFIX = 'RELIABILITY ';

export const SuiteReportSchema = z.strictObject({
  suite: z.string().min(1),
  /** Cases tried (fuzz cases, kills, faults, flows…). */
  tried: z.number().int().nonnegative(),
  /** Cases that recovered or passed. */
  passed: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  /** Short: the seed and the figures that reproduce the run. */
  note: z.string(),
});
export type SuiteReport = z.infer<typeof SuiteReportSchema>;

/** The one line a suite prints last on stdout. */
export function formatSuiteLine(report: SuiteReport): string {
  return RELIABILITY_PREFIX + JSON.stringify(SuiteReportSchema.parse(report));
}

/** Prints the suite's line (the last stdout line) and sets the exit code: 1 when a case failed. */
export function printSuiteReport(report: SuiteReport): void {
  process.stdout.write(`${formatSuiteLine(report)}\n`);
  process.exitCode = report.failed === 0 && report.passed === report.tried ? 0 : 1;
}

/** The suite's report from its whole stdout: its last non-empty line, or undefined when that is not a valid RELIABILITY line. */
export function parseSuiteOutput(stdout: string): SuiteReport | undefined {
  const last = stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .at(-1);
  if (last === undefined || !last.startsWith(RELIABILITY_PREFIX)) return undefined;
  try {
    const parsed = SuiteReportSchema.safeParse(JSON.parse(last.slice(RELIABILITY_PREFIX.length)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** How one suite's run went, as the runner judges it: its counts, under the file's name (without `.suite.ts`). */
export type SuiteOutcome = Readonly<Omit<SuiteReport, 'suite'> & { name: string; ok: boolean }>;

/**
 * Judges one run: passed only when the process exited 0, printed a valid line
 * last, and that line counts no failure. A crash or a missing line is a failure.
 */
export function judgeSuite(name: string, exit: { code: number | null; signal: string | null }, stdout: string): SuiteOutcome {
  const report = parseSuiteOutput(stdout);
  const how = exit.code === null ? `killed by ${exit.signal ?? 'a signal'}` : `exit ${exit.code}`;
  if (report === undefined) {
    return { name, tried: 0, passed: 0, failed: 1, note: `no RELIABILITY line (${how})`, ok: false };
  }
  const ok = exit.code === 0 && report.failed === 0 && report.passed === report.tried;
  const note = exit.code === 0 ? report.note : `${how}; ${report.note}`;
  return { name, tried: report.tried, passed: report.passed, failed: report.failed, note, ok };
}

/** The runner's table and its last line, `N passed, N failed` (suites). */
export function formatTable(outcomes: readonly SuiteOutcome[]): string {
  const head = ['suite', 'cases tried', 'recovered or passed', 'failed', 'note'];
  const rows = outcomes.map((o) => [`${o.ok ? '' : '✗ '}${o.name}`, String(o.tried), String(o.passed), String(o.failed), o.note]);
  const widths = head.slice(0, 4).map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === 0 || i === 4 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const passed = outcomes.filter((o) => o.ok).length;
  return [line(head), line(widths.map((w) => '-'.repeat(w)).concat('----')), ...rows.map(line), `${passed} passed, ${outcomes.length - passed} failed`].join(
    '\n',
  );
}
