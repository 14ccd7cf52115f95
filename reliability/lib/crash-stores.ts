// Crash-safe stores: a child process writes the pairing
// store in a loop (store-writer-child.ts, through the app's JsonStore), and is
// killed with SIGKILL at a random moment, again and again. After each kill the
// store must read back, through the app's own reader, as the version the
// child last finished writing or the one it was writing: never a mix, never
// unreadable (which the app would move aside), never lost.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { pairingStore } from '../../electron/services/pairing/pairing-store.ts';
import { REPO_ROOT, RUN_DIR } from '../../scripts/lib/paths.ts';
import { stateOfVersion } from './store-versions.ts';

export interface CrashOptions {
  readonly kills: number;
  readonly seed: number;
  readonly onProgress?: (line: string) => void;
}

export interface CrashResult {
  readonly tried: number;
  readonly failed: number;
  readonly examples: readonly string[];
  /** Kills that landed between BEGIN and DONE of a write (inside it). */
  readonly midWrite: number;
  /** Temporary files a killed write left beside the store (never read by the app). */
  readonly tempFilesLeft: number;
  readonly versionsWritten: number;
}

/** mulberry32: a small seeded generator, so the kill moments repeat with the seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The child, bundled once: it starts in a fraction of the time tsx takes, so 200 kills take seconds, not minutes. */
async function childBundle(): Promise<string> {
  const out = join(RUN_DIR, 'bundles', 'store-writer', 'main.mjs');
  await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: ['reliability/lib/store-writer-child.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: out,
    logLevel: 'error',
    banner: { js: "import { createRequire as __wfaCreateRequire } from 'node:module'; const require = __wfaCreateRequire(import.meta.url);" },
  });
  return out;
}

interface Killed {
  readonly begun: number | null;
  readonly done: number | null;
}

/** Starts the child at `first`, kills it `delayMs` after its first BEGIN; what it had begun and finished. */
function writeAndKill(child: string, dataDir: string, first: number, delayMs: number): Promise<Killed> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, dataDir, String(first)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let begun: number | null = null;
    let done: number | null = null;
    let buffered = '';
    let timer: NodeJS.Timeout | undefined;
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const [word, n] = line.split(' ');
        if (word === 'BEGIN') begun = Number(n);
        if (word === 'DONE') done = Number(n);
        if (word === 'BEGIN' && timer === undefined) timer = setTimeout(() => proc.kill('SIGKILL'), delayMs);
      }
    });
    proc.once('error', reject);
    proc.once('close', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`the writer ended by itself (exit ${String(code)}, ${String(signal)})`));
      // Lines already written by the child but not yet read are in the pipe: 'close' comes after them.
      else resolve({ begun, done });
    });
  });
}

export async function runCrashStores(options: CrashOptions): Promise<CrashResult> {
  const child = await childBundle();
  const dataDir = await mkdtemp(join(tmpdir(), 'wfa-crash-store-'));
  const next = random(options.seed);
  const examples: string[] = [];
  let failed = 0;
  let midWrite = 0;
  let onDisk: number | null = null;
  let versions = 0;
  try {
    for (let kill = 1; kill <= options.kills; kill++) {
      const first = (onDisk ?? 0) + 1;
      // Up to 40 ms after the loop starts: from inside the first write to a few writes later.
      const killed = await writeAndKill(child, dataDir, first, next() * 40);
      const lastDone: number | null = killed.done ?? onDisk;
      if (killed.begun !== null && killed.begun !== killed.done) midWrite++;
      versions += killed.done === null ? 0 : killed.done - first + 1;
      // Read as the app reads it; an unreadable file would be moved aside and the record lost.
      const store = pairingStore(dataDir);
      const state = await store.read();
      const kept = (await readdir(dataDir)).filter((n) => n.endsWith('.bak'));
      const found = state.pairing?.serial ?? null;
      const allowed: (number | null)[] = [lastDone, killed.begun];
      let problem: string | null = null;
      if (store.problem !== null || kept.length > 0) problem = `the store could not be read and was moved aside (${store.problem?.reason ?? kept.join(', ')})`;
      else if (!allowed.includes(found))
        problem = `read back version ${String(found)}, but the child had finished ${String(lastDone)} and was writing ${String(killed.begun)}`;
      else if (found !== null && JSON.stringify(state) !== JSON.stringify(stateOfVersion(found)))
        problem = `version ${found} read back is not the record written as version ${found}`;
      if (problem !== null) {
        failed++;
        if (examples.length < 5) examples.push(`kill ${kill}: ${problem}`);
        // Go on from what is there; a kept-aside file is counted once.
        for (const name of kept) await rm(join(dataDir, name), { force: true });
      }
      onDisk = found;
      if (kill % 50 === 0) options.onProgress?.(`crash-safe store: ${kill}/${options.kills} kills, ${failed} failed, ${midWrite} inside a write`);
    }
    const tempFilesLeft = (await readdir(dataDir)).filter((n) => n.endsWith('.tmp')).length;
    return { tried: options.kills, failed, examples, midWrite, tempFilesLeft, versionsWritten: versions };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
