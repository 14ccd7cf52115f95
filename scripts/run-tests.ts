// `npm test` (after scripts/setup.sh): every stage in order — lint, type-check,
// unit, renderer, interop, e2e, package — going on after a failing one, and ending with exactly
// one line `tests: N passed, N failed` (issue 3, section 1). Lint and
// type-check count as one test each; vitest stages count their tests.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, RUN_DIR } from './lib/paths.ts';
import { ensurePcscd, type PcscdHandle } from './lib/pcscd.ts';
import { countVitestRun, type StageCount } from './lib/vitest-report.ts';

/** The pcscd to stop if we are interrupted (Ctrl-C) while the interop stage runs. */
let stopOnSignal: PcscdHandle | undefined;

interface StageResult extends StageCount {
  readonly name: string;
  readonly seconds: number;
}

/** Runs a program with the terminal as its output; resolves with its exit code. */
function runInherited(program: string, args: readonly string[]): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(program, args, { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', (error) => {
      console.error(`${program}: ${error.message}`);
      resolve(null);
    });
    child.once('exit', (code) => resolve(code));
  });
}

function banner(text: string): void {
  console.log(`\n=== ${text} ${'='.repeat(Math.max(3, 72 - text.length))}`);
}

/** A stage that is one test: the command's exit code is the verdict. */
async function commandStage(name: string, program: string, args: readonly string[]): Promise<StageResult> {
  banner(`${name}: ${program} ${args.join(' ')}`);
  const started = Date.now();
  const code = await runInherited(program, args);
  const ok = code === 0;
  return {
    name,
    passed: ok ? 1 : 0,
    failed: ok ? 0 : 1,
    skipped: 0,
    notes: ok ? [] : [`exit code ${code}`],
    seconds: (Date.now() - started) / 1000,
  };
}

async function vitestStage(name: string, project: string): Promise<StageResult> {
  banner(`${name}: vitest run --project ${project}`);
  const started = Date.now();
  const reportFile = join(RUN_DIR, `vitest-${project}.json`);
  rmSync(reportFile, { force: true });
  const vitest = join(REPO_ROOT, 'node_modules', '.bin', 'vitest');
  const code = await runInherited(vitest, [
    'run',
    '--project',
    project,
    '--reporter=default',
    '--reporter=json',
    `--outputFile=${reportFile}`,
  ]);
  let json: string | undefined;
  try {
    json = readFileSync(reportFile, 'utf8');
  } catch {
    json = undefined;
  }
  return { name, ...countVitestRun(json, code), seconds: (Date.now() - started) / 1000 };
}

function failedStage(name: string, started: number, error: unknown): StageResult {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`${name}: ${message}`);
  return { name, passed: 0, failed: 1, skipped: 0, notes: [message.split('\n')[0] ?? message], seconds: (Date.now() - started) / 1000 };
}

/** Interop and e2e tests need pcscd: started here when none runs, and stopped after. */
async function pcscdStage(name: string, project: string): Promise<StageResult> {
  const started = Date.now();
  let pcscd: PcscdHandle;
  try {
    pcscd = await ensurePcscd();
  } catch (error) {
    return failedStage(name, started, error);
  }
  stopOnSignal = pcscd;
  console.log(pcscd.startedByUs ? `pcscd started (log: ${pcscd.logFile ?? ''})` : 'pcscd already running');
  try {
    return await vitestStage(name, project);
  } finally {
    await pcscd.stop();
    stopOnSignal = undefined;
  }
}

function summarize(stage: StageResult): string {
  const skipped = stage.skipped > 0 ? `, ${stage.skipped} skipped` : '';
  return `${stage.passed} passed, ${stage.failed} failed${skipped} (${stage.seconds.toFixed(1)} s)`;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void (stopOnSignal?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  });
}

async function main(): Promise<number> {
  mkdirSync(RUN_DIR, { recursive: true });
  const stages: StageResult[] = [];
  const record = (stage: StageResult): void => {
    stages.push(stage);
    console.log(`--- ${stage.name}: ${stage.failed === 0 ? 'passed' : 'FAILED'}, ${summarize(stage)}`);
    for (const note of stage.notes) console.log(`    ${note}`);
  };

  record(await commandStage('lint', 'npm', ['run', 'lint']));
  record(await commandStage('typecheck', 'npm', ['run', 'typecheck']));
  record(await vitestStage('unit', 'unit'));
  // The renderer's component tests (React in jsdom against a fake window.wfa).
  record(await vitestStage('renderer', 'renderer'));
  record(await pcscdStage('interop', 'interop'));
  // Whole flows in Debian's Chromium through the web shell (needs the renderer built by setup.sh).
  record(await pcscdStage('e2e', 'e2e'));
  // The packaged app (issue 16): electron-builder around a stand-in Electron, then what the package holds.
  record(await commandStage('package', 'npm', ['run', '--silent', 'package:verify']));

  const passed = stages.reduce((n, s) => n + s.passed, 0);
  const failed = stages.reduce((n, s) => n + s.failed, 0);
  banner('summary');
  for (const stage of stages) console.log(`  ${stage.name.padEnd(10)} ${summarize(stage)}`);
  console.log(`tests: ${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main();
