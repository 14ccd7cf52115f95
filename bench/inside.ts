// The measurements that need pcscd, run by bench/run.ts inside a private
// namespace (its own pcscd, its own loopback; with or without the quickack
// route). Writes its figures as JSON to the file named by WFA_BENCH_OUT.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CountingTransport } from '../native/pcsc/counting-transport.ts';
import { createPcscStatusSource, createPcscTransport } from '../native/pcsc/smartcard-transport.ts';
import { createAppServices } from '../electron/app/app-services.ts';
import { createEnrollmentBackend } from '../electron/services/enrollment/create-backend.ts';
import { loadPolicy } from '../electron/services/policy/policy-loader.ts';
import type { KeySummary } from '../electron/ipc/contract.ts';
import { run } from '../scripts/lib/exec.ts';
import { REPO_ROOT } from '../scripts/lib/paths.ts';
import { ensurePcscd } from '../scripts/lib/pcscd.ts';
import { readerName, type RunningVirtualYubiKey, startVirtualYubiKey } from '../scripts/lib/virtual-key.ts';
import { splitTime, type TimeSplit } from './timeline.ts';
import {
  freshDataDir,
  opensslCa,
  pairThroughCli,
  pairThroughServicesProcess,
  pairThroughYkmanCommands,
  pairThroughYubikit,
  writeJson,
} from './pairing-runs.ts';

const RUNS = Number(process.env['WFA_BENCH_RUNS'] ?? 5);
const READER = readerName(0);
let nextSerial = 27_000_001;

/**
 * pcscd powers a card down at its first poll (every ~400 ms) after nobody used it (pcsc-lite's on-demand power;
 * the key's start checks its reader with opensc-tool, so two polls), and the next connection powers it up again:
 * two vpcd exchanges. A pairing started sooner after the key's READY finds it still powered, and which side does
 * depended on how fast its interpreter starts. Both start as a user's would, on a key plugged in a while ago.
 */
const POWERED_DOWN_AFTER_MS = 1200;

async function withFreshKey<T>(fn: () => Promise<T>): Promise<T> {
  const key = await startVirtualYubiKey({ reader: 0, profile: 'yk5.4.3', serial: nextSerial++ });
  await new Promise((r) => setTimeout(r, POWERED_DOWN_AFTER_MS));
  try {
    return await fn();
  } finally {
    await key.stop();
  }
}

async function caTemplate(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'wfa-bench-template-'));
  const { policy } = await loadPolicy({ configFlag: undefined, env: {} });
  await createEnrollmentBackend(policy, { dataDir: dir, now: () => new Date() }).caCertificates();
  return dir;
}

async function pairings() {
  const template = await caTemplate();
  const ca = await opensslCa();
  const out = {
    services: [] as number[],
    yubikit: [] as number[],
    yubikitKeysAhead: [] as number[],
    servicesNoGenerate: [] as number[],
    yubikitKeysAheadNoGenerate: [] as number[],
    yubikitAttest: [] as number[],
    yubikitAttestNoGenerate: [] as number[],
    yubikitProcess: [] as number[],
    ykman: [] as number[],
    cli: [] as number[],
    cliRssKb: [] as number[],
  };
  const splits = { services: [] as TimeSplit[], yubikit: [] as TimeSplit[], yubikitKeysAhead: [] as TimeSplit[], yubikitAttest: [] as TimeSplit[] };
  /** The last run's whole timeline of each, for a closer look (bench/results.json). */
  const timelines: Record<string, unknown> = {};
  let servicesApdus: Record<string, number> = {};
  let yubikitApdus: Record<string, number> = {};
  let yubikitAttestApdus: Record<string, number> = {};
  for (let i = 0; i < RUNS; i++) {
    // Alternated: which goes first changes every round.
    const order =
      i % 2 === 0
        ? ['yubikit', 'services', 'yubikitKeysAhead', 'yubikitAttest', 'ykman', 'cli']
        : ['services', 'yubikitAttest', 'yubikitKeysAhead', 'yubikit', 'cli', 'ykman'];
    for (const which of order) {
      await withFreshKey(async () => {
        if (which === 'services') {
          const r = await pairThroughServicesProcess(READER, freshDataDir(template));
          out.services.push(r.ms);
          out.servicesNoGenerate.push(r.ms - r.generateMs);
          splits.services.push(splitTime(r.ms, r.timeline));
          timelines['services'] = r.timeline;
          servicesApdus = r.byInstruction;
        } else if (which === 'yubikit') {
          const r = await pairThroughYubikit(READER);
          out.yubikit.push(r.ms);
          out.yubikitProcess.push(r.processMs);
          splits.yubikit.push(splitTime(r.ms, r.timeline));
          timelines['yubikit'] = r.timeline;
          yubikitApdus = r.byInstruction;
        } else if (which === 'yubikitKeysAhead') {
          const r = await pairThroughYubikit(READER, true);
          out.yubikitKeysAhead.push(r.ms);
          out.yubikitKeysAheadNoGenerate.push(r.ms - r.generateMs);
          splits.yubikitKeysAhead.push(splitTime(r.ms, r.timeline));
        } else if (which === 'yubikitAttest') {
          // Like for like with the app's attestation (issue 17): host keys ahead, ATTEST, the F9 read and the chain check.
          const r = await pairThroughYubikit(READER, true, true);
          out.yubikitAttest.push(r.ms);
          out.yubikitAttestNoGenerate.push(r.ms - r.generateMs);
          splits.yubikitAttest.push(splitTime(r.ms, r.timeline));
          yubikitAttestApdus = r.byInstruction;
        } else if (which === 'ykman') {
          out.ykman.push(await pairThroughYkmanCommands(READER, ca));
        } else {
          const r = await pairThroughCli(READER, freshDataDir(template));
          out.cli.push(r.ms);
          out.cliRssKb.push(r.rssKb);
        }
      });
    }
    process.stderr.write(`bench: pairing round ${i + 1}/${RUNS} done\n`);
  }
  return { ...out, servicesApdus, yubikitApdus, yubikitAttestApdus, splits, timelines };
}

/** `wfa status --json` with pcscd running and no key: wall time, and CPU time (user + system, GNU time). */
async function cliStart() {
  const wall: number[] = [];
  const cpu: number[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'wfa-bench-status-'));
  const timeFile = join(dataDir, 'time');
  // The first run may build the bundle or write its code cache: not counted.
  for (let i = 0; i <= RUNS + 1; i++) {
    const started = performance.now();
    const r = await run(
      '/usr/bin/time',
      ['-f', '%U %S', '-o', timeFile, process.execPath, 'scripts/bundle.mjs', 'run', 'wfa', 'status', '--json', '--data-dir', dataDir],
      { cwd: REPO_ROOT },
    );
    const ms = performance.now() - started;
    if (r.code !== 0 || !r.stdout.includes('"keys":[]')) throw new Error(`wfa status --json: ${r.stderr}${r.stdout}`);
    if (i === 0) continue;
    wall.push(ms);
    const { readFileSync } = await import('node:fs');
    const [user, sys] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
    cpu.push((user! + sys!) * 1000);
  }
  const node = [] as number[];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await run(process.execPath, ['-e', '0']);
    node.push(performance.now() - started);
  }
  return { wall, cpu, nodeBaseline: node };
}

/** A moment the virtual key logged on the machine's clock (native/virtual-yubikey/cli.ts), in epoch ms. */
function keyClock(key: RunningVirtualYubiKey, event: 'powered up by pcscd' | 'unplugged'): number {
  const m = new RegExp(`${event} \\(clock ([\\d.]+)\\)`).exec(key.stderr());
  if (m === null) throw new Error(`the virtual key did not log "${event}"`);
  return Number(m[1]);
}

/** Now, on the machine's clock (epoch ms, sub-millisecond), as the virtual key stamps its own moments. */
const clockNow = (): number => performance.timeOrigin + performance.now();

/**
 * From the key's arrival and departure to the app's keys.changed, with what the app read for it. All moments
 * on the machine's clock: the app sees a key as soon as pcscd has powered it, which is before its READY line
 * (printed 150 ms later, cli.ts READY_SETTLE_MS), so the insertion is timed from the key's own "powered up"
 * stamp, and READY → keys.changed is kept beside it (negative: seen before READY). The removal is timed from
 * the key's "unplugged" stamp (its vpcd connection closed), written just before it exits.
 */
async function keyEvents() {
  const counter = new CountingTransport(createPcscTransport());
  const app = await createAppServices({
    dataDir: mkdtempSync(join(tmpdir(), 'wfa-bench-events-')),
    env: {},
    transport: counter,
    statusSource: createPcscStatusSource(),
    userName: 'alice',
    log: () => undefined,
  });
  const changes: { at: number; keys: readonly KeySummary[] }[] = [];
  app.events.subscribe((e) => {
    if (e.name === 'keys.changed') changes.push({ at: clockNow(), keys: e.payload });
  });
  const waitFor = async (test: (keys: readonly KeySummary[]) => boolean): Promise<number> => {
    const deadline = performance.now() + 20_000;
    for (;;) {
      const hit = changes.find((c) => test(c.keys));
      if (hit !== undefined) return hit.at;
      if (performance.now() > deadline) throw new Error('no keys.changed within 20 s');
      await new Promise((r) => setTimeout(r, 2));
    }
  };
  // pcscd asks vpcd whether the card is still there once per poll (pcsc-lite eventhandler.c: 400 ms sleep, plus the
  // presence check itself, ~45 ms at vpcd's default latency), so a removal is seen at the next poll. With a fixed
  // schedule every pull falls at the same moment of that cycle (it restarts when pcscd powers a new key) and every
  // run measures the same latency. A user pulls a key at any moment: each pull here waits a further stretch spread
  // evenly over two cycles, so the pulls cover the whole cycle. More runs than the others: the
  // spread over one cycle is the figure.
  const pulls = Math.max(RUNS * 3, 15);
  const pullDelays = Array.from({ length: pulls }, (_, i) => ((i + Math.random()) / pulls) * 2 * 450);
  const insert: number[] = [];
  const readyToSeen: number[] = [];
  const remove: number[] = [];
  const removeSeenByPcscd: number[] = [];
  const pcscd = createPcscTransport();
  let pcscdSawGone: Promise<number> = Promise.resolve(Number.NaN);
  const apdusPerInsert: number[] = [];
  const holdMs: number[] = [];
  const exclusivePerInsert: number[] = [];
  await new Promise((r) => setTimeout(r, 1500));
  for (const pullDelay of pullDelays) {
    const serial = nextSerial++;
    changes.length = 0;
    counter.reset();
    const key = await startVirtualYubiKey({ reader: 0, profile: 'yk5.4.3', serial, waitForCard: false });
    try {
      const ready = clockNow();
      const seen = await waitFor((keys) => keys.some((k) => k.serial === serial));
      insert.push(seen - keyClock(key, 'powered up by pcscd'));
      readyToSeen.push(seen - ready);
      await new Promise((r) => setTimeout(r, 300));
      apdusPerInsert.push(counter.sent.length);
      exclusivePerInsert.push(counter.connects.exclusive);
      holdMs.push(...counter.holds);
      await new Promise((r) => setTimeout(r, pullDelay));
      changes.length = 0;
      // pcscd's own view, beside the app's: when it reports the reader empty (its presence poll of vpcd).
      pcscdSawGone = (async () => {
        for (;;) {
          const state = (await pcscd.readerStates()).find((r) => r.name === key.reader);
          if (state?.cardPresent !== true) return clockNow();
          await new Promise((r) => setTimeout(r, 2));
        }
      })();
    } finally {
      await key.stop();
    }
    const gone = await waitFor((keys) => !keys.some((k) => k.serial === serial));
    const unplugged = keyClock(key, 'unplugged');
    remove.push(gone - unplugged);
    removeSeenByPcscd.push((await pcscdSawGone) - unplugged);
    await new Promise((r) => setTimeout(r, 300));
  }
  await app.close();
  return { insert, readyToSeen, remove, removeSeenByPcscd, apdusPerInsert, exclusivePerInsert, holdMs };
}

/** GET VERSION round trips through pcscd for two seconds. */
async function apdusPerSecond() {
  return withFreshKey(async () => {
    const transport = createPcscTransport();
    const c = await transport.connect(READER, 'exclusive');
    try {
      await c.transmit(Uint8Array.from([0x00, 0xa4, 0x04, 0x00, 0x05, 0xa0, 0x00, 0x00, 0x03, 0x08]));
      const rates: number[] = [];
      for (let round = 0; round < RUNS; round++) {
        const started = performance.now();
        let n = 0;
        while (performance.now() - started < 1000) {
          await c.transmit(Uint8Array.from([0x00, 0xfd, 0x00, 0x00, 0x00]));
          n++;
        }
        rates.push((n * 1000) / (performance.now() - started));
      }
      return rates;
    } finally {
      await c.disconnect();
    }
  });
}

/** The web shell from its bundle to the first paint of the home screen in Chromium (browser already running). */
async function webShellColdStart() {
  const { openBrowser } = await import('../e2e/support/browser.ts');
  const { startWebShell } = await import('../scripts/lib/web-shell.ts');
  const browser = await openBrowser();
  const toHome: number[] = [];
  const firstPaint: number[] = [];
  try {
    for (let i = 0; i <= RUNS; i++) {
      const started = performance.now();
      const shell = await startWebShell({ dataDir: mkdtempSync(join(tmpdir(), 'wfa-bench-web-')) });
      try {
        await browser.page.goto(shell.url);
        await browser.page.locator('h1').first().waitFor({ state: 'visible', timeout: 30_000 });
        const home = performance.now() - started;
        const paint = await browser.page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1);
        // The first start may build the bundle and write its code cache: not counted.
        if (i > 0) {
          toHome.push(home);
          firstPaint.push(paint);
        }
      } finally {
        await shell.stop();
      }
    }
  } finally {
    await browser.close();
  }
  return { toHome, firstContentfulPaintInPage: firstPaint };
}

async function main(): Promise<void> {
  const out = process.env['WFA_BENCH_OUT'];
  if (out === undefined) throw new Error('bench/inside.ts is run by bench/run.ts (WFA_BENCH_OUT)');
  const pcscd = await ensurePcscd();
  if (!pcscd.startedByUs) throw new Error('a pcscd was already running: the bench runs only in its own namespace');
  try {
    const result: Record<string, unknown> = {};
    const step = async (name: string, fn: () => Promise<unknown>): Promise<void> => {
      process.stderr.write(`bench: ${name}…\n`);
      try {
        result[name] = await fn();
      } catch (e) {
        result[name] = { error: e instanceof Error ? e.message : String(e) };
        process.stderr.write(`bench: ${name} failed: ${e instanceof Error ? e.message : String(e)}\n`);
      }
      writeJson(out, result);
    };
    const only = (process.env['WFA_BENCH_ONLY'] ?? '').split(',').filter((s) => s !== '');
    const want = (name: string): boolean => only.length === 0 || only.includes(name);
    if (want('cliStart')) await step('cliStart', cliStart);
    if (want('keyEvents')) await step('keyEvents', keyEvents);
    if (want('apdusPerSecond')) await step('apdusPerSecond', apdusPerSecond);
    if (want('pairings')) await step('pairings', pairings);
    if (want('webShell')) await step('webShell', webShellColdStart);
  } finally {
    await pcscd.stop();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
