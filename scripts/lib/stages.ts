// The stages of `npm test` and `npm run e2e`: a command that is one test, a
// vitest project, and a vitest project that needs PC/SC, run in the test rig
// (scripts/lib/rig.ts) — split over several rigs at once when asked — or,
// where the rig cannot run, against the machine's pcscd.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { z } from 'zod';
import { REPO_ROOT, RUN_DIR } from './paths.ts';
import { ensurePcscd, type PcscdHandle } from './pcscd.ts';
import { fallbackLine, rigAvailability, spawnInRig } from './rig.ts';
import { bundlesBuilt } from './bundle.ts';
import { countVitestRun, type StageCount } from './vitest-report.ts';

export interface StageResult extends StageCount {
  readonly name: string;
  readonly seconds: number;
  /** CPU seconds the stage's processes used (a figure a busy shared machine distorts less than wall time). */
  readonly cpuSeconds?: number;
}

/** Linux's USER_HZ: /proc's times are in 1/100 s on every architecture Debian builds (`getconf CLK_TCK`). */
const CLOCK_TICKS = 100;

/**
 * CPU seconds of the processes this one started and waited for, with theirs
 * (/proc/self/stat cutime + cstime; proc(5)); undefined off Linux.
 */
export function childCpuSeconds(): number | undefined {
  try {
    return cpuOfStat(readFileSync('/proc/self/stat', 'utf8'));
  } catch {
    return undefined;
  }
}

/** cutime + cstime of a /proc/PID/stat line, in seconds; undefined when it is not one. */
export function cpuOfStat(stat: string): number | undefined {
  // Fields after the command name, which is in parentheses and may hold spaces: state is field 3, cutime 16, cstime 17.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const seconds = (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS;
  return stat.includes(')') && Number.isFinite(seconds) ? seconds : undefined;
}

/** Runs a stage and adds the CPU seconds its processes used. */
export async function timed(stage: () => Promise<StageResult>): Promise<StageResult> {
  const before = childCpuSeconds();
  const result = await stage();
  const after = childCpuSeconds();
  return before === undefined || after === undefined ? result : { ...result, cpuSeconds: after - before };
}

const VITEST = join(REPO_ROOT, 'node_modules', '.bin', 'vitest');

/** The pcscd to stop if we are interrupted (Ctrl-C) while a fallback stage runs. */
let stopOnSignal: PcscdHandle | undefined;
export const stopPcscdOnSignal = (): Promise<void> => stopOnSignal?.stop() ?? Promise.resolve();

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

export function banner(text: string): void {
  console.log(`\n=== ${text} ${'='.repeat(Math.max(3, 72 - text.length))}`);
}

export function summarize(stage: StageResult): string {
  const skipped = stage.skipped > 0 ? `, ${stage.skipped} skipped` : '';
  const cpu = stage.cpuSeconds === undefined ? '' : `, CPU ${stage.cpuSeconds.toFixed(1)} s`;
  return `${stage.passed} passed, ${stage.failed} failed${skipped} (${stage.seconds.toFixed(1)} s${cpu})`;
}

function commandResult(name: string, started: number, code: number | null): StageResult {
  const ok = code === 0;
  return { name, passed: ok ? 1 : 0, failed: ok ? 0 : 1, skipped: 0, notes: ok ? [] : [`exit code ${code}`], seconds: (Date.now() - started) / 1000 };
}

/** A stage that is one test: the command's exit code is the verdict. */
export async function commandStage(name: string, program: string, args: readonly string[]): Promise<StageResult> {
  banner(`${name}: ${program} ${args.join(' ')}`);
  const started = Date.now();
  return commandResult(name, started, await runInherited(program, args));
}

/**
 * A command stage started now, its output held back: `print()` later prints
 * its banner and output, as commandStage would have, and gives its result.
 * Two single-threaded stages (lint, type-check) then share the two cores and
 * still print one after the other.
 */
export function startCommandStage(name: string, program: string, args: readonly string[]): { print(): Promise<StageResult> } {
  const started = Date.now();
  const output: Buffer[] = [];
  let stat = '';
  const done = new Promise<StageResult>((resolve) => {
    // Through sh, which writes its own /proc stat to fd 3 once the command has ended: its
    // children's CPU (cutime, cstime) is then the command's, as childCpuSeconds() counts ours.
    const script = '"$@"; code=$?; cat /proc/$$/stat >&3; exit $code';
    const child = spawn('sh', ['-c', script, 'sh', program, ...args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...(process.stdout.isTTY ? { FORCE_COLOR: '1' } : {}) },
    });
    child.stdout?.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk));
    (child.stdio[3] as NodeJS.ReadableStream | null)?.on('data', (chunk: Buffer) => (stat += chunk.toString('utf8')));
    child.once('error', (error) => {
      output.push(Buffer.from(`${program}: ${error.message}\n`));
      resolve(commandResult(name, started, null));
    });
    child.once('close', (code) => {
      const result = commandResult(name, started, code);
      const cpuSeconds = cpuOfStat(stat);
      resolve(cpuSeconds === undefined ? result : { ...result, cpuSeconds });
    });
  });
  return {
    print: async () => {
      const result = await done;
      banner(`${name}: ${program} ${args.join(' ')}`);
      process.stdout.write(Buffer.concat(output));
      return result;
    },
  };
}

function vitestArgs(project: string, reportFile: string, files: readonly string[] = []): string[] {
  return ['run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile=${reportFile}`, ...files];
}

function readReport(reportFile: string): string | undefined {
  try {
    return readFileSync(reportFile, 'utf8');
  } catch {
    return undefined;
  }
}

export async function vitestStage(name: string, project: string): Promise<StageResult> {
  banner(`${name}: vitest run --project ${project}`);
  const started = Date.now();
  const reportFile = join(RUN_DIR, `vitest-${project}.json`);
  rmSync(reportFile, { force: true });
  const code = await runInherited(VITEST, vitestArgs(project, reportFile));
  return { name, ...countVitestRun(readReport(reportFile), code), seconds: (Date.now() - started) / 1000 };
}

function failedStage(name: string, started: number, error: unknown): StageResult {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`${name}: ${message}`);
  return { name, passed: 0, failed: 1, skipped: 0, notes: [message.split('\n')[0] ?? message], seconds: (Date.now() - started) / 1000 };
}

/** Against the machine's pcscd (started here when none runs, and stopped after): where the rig cannot run. */
async function hostPcscdStage(name: string, project: string): Promise<StageResult> {
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

/** The test files of a vitest project that lives in one folder, relative to the repository. */
export function testFiles(folder: string, suffix: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(suffix)) found.push(relative(REPO_ROOT, path));
    }
  };
  walk(join(REPO_ROOT, folder));
  return found.sort();
}

const durationsSchema = z.record(z.string(), z.number());
const durationsFile = (project: string): string => join(RUN_DIR, `durations-${project}.json`);

function readDurations(path: string): Record<string, number> {
  try {
    return durationsSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    return {};
  }
}

/**
 * Seconds each file took last time on this machine (from the vitest reports),
 * over the seconds each took in a CI run (checked in, so that a clean clone
 * shares its files out by time too: by size, the renewal sweep looked short).
 */
function lastDurations(project: string): Record<string, number> {
  return { ...readDurations(join(REPO_ROOT, 'scripts', 'file-seconds', `${project}.json`)), ...readDurations(durationsFile(project)) };
}

const fileTimes = z.object({ testResults: z.array(z.object({ name: z.string(), startTime: z.number(), endTime: z.number() })).default([]) });

function saveDurations(project: string, reports: readonly (string | undefined)[]): void {
  const durations = readDurations(durationsFile(project));
  for (const json of reports) {
    if (json === undefined) continue;
    const parsed = fileTimes.safeParse(JSON.parse(json));
    if (!parsed.success) continue;
    for (const file of parsed.data.testResults) durations[relative(REPO_ROOT, file.name)] = (file.endTime - file.startTime) / 1000;
  }
  writeFileSync(durationsFile(project), JSON.stringify(durations, null, 1));
}

/**
 * Shares `files` out over `count` rigs, longest first onto the least loaded
 * (by last run's durations; a file not timed yet weighs by its size).
 */
export function shareOut(files: readonly string[], count: number, durations: Readonly<Record<string, number>>): string[][] {
  const weight = (file: string): number => durations[file] ?? readFileSync(join(REPO_ROOT, file)).length / 1000;
  const shards = Array.from({ length: Math.max(1, Math.min(count, files.length)) }, () => ({ load: 0, files: [] as string[] }));
  for (const file of [...files].sort((a, b) => weight(b) - weight(a))) {
    const lightest = shards.reduce((a, b) => (b.load < a.load ? b : a));
    lightest.files.push(file);
    lightest.load += weight(file);
  }
  return shards.map((s) => s.files.sort());
}

interface ShardRun {
  readonly code: number | null;
  readonly report: string | undefined;
}

/** One vitest run in its own rig; its output goes to a log, printed whole when it ends (rigs run at once). */
function runShard(project: string, index: number, files: readonly string[], count: number): Promise<ShardRun> {
  const reportFile = join(RUN_DIR, `vitest-${project}-${index + 1}.json`);
  const logFile = join(RUN_DIR, `${project}-${index + 1}.log`);
  rmSync(reportFile, { force: true });
  const log = createWriteStream(logFile);
  const command = [VITEST, ...vitestArgs(project, reportFile, files)];
  const single = count === 1;
  // Logged, then printed: in colour only when printed to a terminal.
  const colour: NodeJS.ProcessEnv = single ? {} : process.stdout.isTTY ? { FORCE_COLOR: '1' } : { NO_COLOR: '1' };
  const child = spawnInRig(command, { stdio: ['ignore', single ? 'inherit' : 'pipe', single ? 'inherit' : 'pipe'], env: { ...process.env, ...colour } });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  return new Promise((resolve) => {
    const finish = (code: number | null): void => {
      log.end(() => {
        if (!single) {
          banner(`${project} rig ${index + 1}/${count}: ${files.join(' ')}`);
          process.stdout.write(readFileSync(logFile, 'utf8'));
        }
        resolve({ code, report: readReport(reportFile) });
      });
    };
    child.once('error', (error) => {
      log.write(`could not start the rig: ${error.message}\n`);
      finish(null);
    });
    child.once('exit', (code) => finish(code));
  });
}

export interface PcscStageOptions {
  /** The project's test files (relative paths); the rigs share them out. */
  readonly files: readonly string[];
  /** How many rigs at once (default 1). */
  readonly rigs?: number;
}

/** Merges the counts of several vitest runs of one stage. */
function mergeCounts(runs: readonly ShardRun[]): StageCount {
  const counts = runs.map((r) => countVitestRun(r.report, r.code));
  return {
    passed: counts.reduce((n, c) => n + c.passed, 0),
    failed: counts.reduce((n, c) => n + c.failed, 0),
    skipped: counts.reduce((n, c) => n + c.skipped, 0),
    notes: counts.flatMap((c) => c.notes),
  };
}

/**
 * A vitest project that needs PC/SC: in the rig (several at once when
 * `rigs` > 1, each with its own pcscd), else against the machine's pcscd.
 */
export async function pcscStage(name: string, project: string, options: PcscStageOptions): Promise<StageResult> {
  const started = Date.now();
  const rig = await rigAvailability();
  if (!rig.available) {
    console.log(fallbackLine(rig.reason));
    return hostPcscdStage(name, project);
  }
  try {
    // The bundles (all of them at once), built here so the rigs do not all build them at the same time.
    await bundlesBuilt();
  } catch (error) {
    return failedStage(name, started, error);
  }
  const shards = shareOut(options.files, options.rigs ?? 1, lastDurations(project));
  banner(`${name}: vitest run --project ${project}, in ${shards.length === 1 ? 'a private rig' : `${shards.length} private rigs at once`} (npm run rig)`);
  mkdirSync(RUN_DIR, { recursive: true });
  const runs = await Promise.all(shards.map((files, i) => runShard(project, i, files, shards.length)));
  saveDurations(
    project,
    runs.map((r) => r.report),
  );
  return { name, ...mergeCounts(runs), seconds: (Date.now() - started) / 1000 };
}
