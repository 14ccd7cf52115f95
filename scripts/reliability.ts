// `npm run reliability [-- SUBSTRING…]`: runs every
// reliability/*.suite.ts (sorted; only those whose name holds one of the
// substrings when given), each as its own child process under tsx. A suite whose
// file name holds `.pcsc.` needs pcscd and runs in a fresh test rig
// (scripts/lib/rig.ts), else against the machine's pcscd after the rig's
// fallback line. Each suite's stderr (progress) and stdout go to the terminal;
// its last stdout line is its RELIABILITY report (scripts/lib/reliability-protocol.ts).
// Prints one table and ends with exactly `N passed, N failed` (suites); exit 1
// when any failed, 2 when no suite matched. WFA_RELIABILITY_TIMEOUT_S (default
// 3600) ends a suite that runs longer, as a failure.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './lib/paths.ts';
import { formatTable, judgeSuite, type SuiteOutcome } from './lib/reliability-protocol.ts';
import { fallbackLine, rigAvailability, rigCommandLine } from './lib/rig.ts';

// WFA_RELIABILITY_DIR: another folder of suites (the runner's own test uses one).
const SUITE_DIR = process.env['WFA_RELIABILITY_DIR'] ?? join(REPO_ROOT, 'reliability');
const SUITE_SUFFIX = '.suite.ts';
const TIMEOUT_MS = Number(process.env['WFA_RELIABILITY_TIMEOUT_S'] ?? 3600) * 1000;

/** The suites' file names, sorted, kept when a filter substring matches (all when there is none). */
export function selectSuites(files: readonly string[], filters: readonly string[]): string[] {
  return files
    .filter((f) => f.endsWith(SUITE_SUFFIX))
    .sort()
    .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));
}

let running: number | undefined;

async function runSuite(file: string): Promise<SuiteOutcome> {
  const name = file.slice(0, -SUITE_SUFFIX.length);
  const command = [process.execPath, '--import', 'tsx', join(SUITE_DIR, file)];
  let program = command[0]!;
  let args = command.slice(1);
  if (file.includes('.pcsc.')) {
    const rig = await rigAvailability();
    if (rig.available) ({ program, args } = rigCommandLine(command));
    else console.error(fallbackLine(rig.reason));
  }
  console.error(`=== reliability: ${name}${file.includes('.pcsc.') ? ' (in a private pcscd rig)' : ''}`);
  return new Promise((resolve) => {
    let stdout = '';
    // Its own process group, so a suite that runs too long ends with everything it started.
    const child = spawn(program, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
    running = child.pid;
    const timer = setTimeout(() => {
      console.error(`reliability: ${name} ran longer than ${TIMEOUT_MS / 1000} s; ending it`);
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, TIMEOUT_MS);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      process.stdout.write(chunk);
    });
    const finish = (code: number | null, signal: string | null): void => {
      clearTimeout(timer);
      running = undefined;
      resolve(judgeSuite(name, { code, signal }, stdout));
    };
    child.once('error', (error) => {
      console.error(`reliability: ${name}: ${error.message}`);
      finish(null, 'spawn error');
    });
    child.once('close', finish);
  });
}

async function main(filters: readonly string[]): Promise<number> {
  const files = selectSuites(existsSync(SUITE_DIR) ? readdirSync(SUITE_DIR) : [], filters);
  if (files.length === 0) {
    console.error(`reliability: no suite in reliability/ matches ${filters.map((f) => JSON.stringify(f)).join(' or ')}`);
    return 2;
  }
  const outcomes: SuiteOutcome[] = [];
  for (const file of files) outcomes.push(await runSuite(file));
  console.log(`\n${formatTable(outcomes)}`);
  return outcomes.every((o) => o.ok) ? 0 : 1;
}

if (process.argv[1] === import.meta.filename) {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      if (running !== undefined) process.kill(-running, 'SIGKILL');
      process.exit(130);
    });
  }
  process.exitCode = await main(process.argv.slice(2));
}
