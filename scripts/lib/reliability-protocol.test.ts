// The reliability runner's protocol and table, and the runner itself on a
// folder of tiny suites: one that passes, one with a failed case, one that
// crashes, one that prints no RELIABILITY line.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from './exec.ts';
import { REPO_ROOT } from './paths.ts';
import { formatSuiteLine, formatTable, judgeSuite, parseSuiteOutput } from './reliability-protocol.ts';

const ok = { code: 0, signal: null };
const line = formatSuiteLine({ suite: 'fuzz', tried: 10, passed: 10, failed: 0, note: 'seed 7' });

describe('a suite report', () => {
  it('is read from the last non-empty stdout line only', () => {
    expect(parseSuiteOutput(`progress\n${line}\n\n`)).toEqual({ suite: 'fuzz', tried: 10, passed: 10, failed: 0, note: 'seed 7' });
    expect(parseSuiteOutput(`${line}\nsomething after\n`)).toBeUndefined();
    expect(parseSuiteOutput('RELIABILITY {"suite":"x","tried":1}\n')).toBeUndefined();
    expect(parseSuiteOutput('RELIABILITY not json\n')).toBeUndefined();
    expect(parseSuiteOutput('')).toBeUndefined();
  });

  it('passes only with exit 0, a line, no failure and every case passed', () => {
    expect(judgeSuite('fuzz', ok, line).ok).toBe(true);
    expect(judgeSuite('fuzz', { code: 1, signal: null }, line)).toMatchObject({ ok: false, note: 'exit 1; seed 7' });
    expect(judgeSuite('fuzz', ok, formatSuiteLine({ suite: 'fuzz', tried: 3, passed: 2, failed: 1, note: '' })).ok).toBe(false);
    expect(judgeSuite('fuzz', ok, formatSuiteLine({ suite: 'fuzz', tried: 3, passed: 2, failed: 0, note: '' })).ok).toBe(false);
    expect(judgeSuite('fuzz', { code: null, signal: 'SIGKILL' }, 'half a line')).toMatchObject({
      ok: false,
      failed: 1,
      note: 'no RELIABILITY line (killed by SIGKILL)',
    });
  });

  it('the table ends with the suites passed and failed', () => {
    const table = formatTable([judgeSuite('a', ok, line), judgeSuite('b', { code: 1, signal: null }, '')]);
    expect(table.split('\n')[0]).toMatch(/^suite\s+cases tried\s+recovered or passed\s+failed\s+note$/);
    expect(table).toMatch(/\n✗ b .*no RELIABILITY line \(exit 1\)/);
    expect(table.split('\n').at(-1)).toBe('1 passed, 1 failed');
  });
});

describe('npm run reliability', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wfa-reliability-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const protocol = JSON.stringify(join(REPO_ROOT, 'scripts/lib/reliability-protocol.ts'));
  writeFileSync(
    join(dir, 'a-pass.suite.ts'),
    `import { printSuiteReport } from ${protocol};\nconsole.error('working');\nprintSuiteReport({ suite: 'a-pass', tried: 5, passed: 5, failed: 0, note: 'seed 1' });\n`,
  );
  writeFileSync(
    join(dir, 'b-fail.suite.ts'),
    `import { printSuiteReport } from ${protocol};\nprintSuiteReport({ suite: 'b-fail', tried: 5, passed: 4, failed: 1, note: 'seed 2' });\n`,
  );
  writeFileSync(join(dir, 'c-crash.suite.ts'), `throw new Error('boom');\n`);
  writeFileSync(join(dir, 'd-silent.suite.ts'), `console.log('no report');\n`);
  writeFileSync(join(dir, 'helper.ts'), `export const notASuite = 1;\n`);
  const runner = (...filters: string[]) =>
    run(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'scripts/reliability.ts'), ...filters], {
      cwd: REPO_ROOT,
      env: { ...process.env, WFA_RELIABILITY_DIR: dir },
      timeoutMs: 60_000,
    });

  it('runs every suite, prints one table and counts crashes and silent suites as failed', async () => {
    const result = await runner();
    expect(result.code).toBe(1);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('1 passed, 3 failed');
    expect(lines.filter((l) => /^(✗ )?[a-d]-/.test(l)).map((l) => l.split(/\s+/).filter((c) => c !== '✗')[0])).toEqual([
      'a-pass',
      'b-fail',
      'c-crash',
      'd-silent',
    ]);
    expect(result.stderr).toContain('working');
  });

  it('runs only the suites a filter names, exit 0 when they pass', async () => {
    const result = await runner('pass');
    expect(result.code).toBe(0);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('1 passed, 0 failed');
    expect(result.stdout).not.toContain('b-fail  ');
  });

  it('says so when no suite matches (exit 2)', async () => {
    const result = await runner('nothing-like-this');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no suite in reliability/ matches "nothing-like-this"');
  });
});
