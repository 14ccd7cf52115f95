// `npm run demo` (after scripts/setup.sh): pcscd, a fresh virtual YubiKey in
// reader 0, and — until the app exists — what ykman sees of it. Runs until
// Ctrl-C or SIGTERM, then stops what it started (issue 3, section 2).
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './lib/exec.ts';
import { RUN_DIR } from './lib/paths.ts';
import { ensurePcscd, type PcscdHandle } from './lib/pcscd.ts';
import { requirePrograms } from './lib/programs.ts';
import { readerName, startVirtualYubiKey, type RunningVirtualYubiKey } from './lib/virtual-key.ts';

const READER = 0;
const PROFILE = 'yk5.4.3';
const STATE_FILE = join(RUN_DIR, 'demo-key.json');

let pcscd: PcscdHandle | undefined;
let key: RunningVirtualYubiKey | undefined;
let stopping = false;

async function stopAll(exitCode: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    console.log('\nstopping…');
    await key?.stop();
    if (key) console.log('virtual YubiKey unplugged');
    await pcscd?.stop();
    if (pcscd?.startedByUs) console.log('pcscd stopped');
  }
  process.exit(exitCode);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => void stopAll(0));
}

/** Prints what a ykman command shows, indented under its command line. */
async function show(args: readonly string[]): Promise<void> {
  console.log(`\n$ ykman ${args.map((a) => (a.includes(' ') ? `"${a}"` : a)).join(' ')}`);
  const result = await run('ykman', args);
  const text = (result.stdout + result.stderr).trimEnd();
  console.log(text.replace(/^/gm, '  '));
}

async function main(): Promise<void> {
  requirePrograms(['pcscd', 'opensc-tool', 'ykman']);
  mkdirSync(RUN_DIR, { recursive: true });
  pcscd = await ensurePcscd();
  console.log(pcscd.startedByUs ? `pcscd: started by the demo (log ${pcscd.logFile ?? ''})` : 'pcscd: already running (left running on exit)');

  // A fresh key each time: the demo starts from factory state.
  rmSync(STATE_FILE, { force: true });
  key = await startVirtualYubiKey({ reader: READER, profile: PROFILE, state: STATE_FILE });
  const running = key;
  void running.exited.then(() => {
    if (stopping) return;
    console.error(`demo: the virtual YubiKey exited unexpectedly\n${running.stderr()}`);
    key = undefined;
    void stopAll(1);
  });
  console.log(`virtual YubiKey: profile ${PROFILE}, serial ${key.serial}, firmware ${key.firmware}, in "${key.reader}" (pid ${key.pid}, state ${STATE_FILE})`);

  // The Electron app does not exist yet (see README): show the key through Yubico's own tool.
  await show(['--reader', readerName(READER), 'info']);
  await show(['--reader', readerName(READER), 'piv', 'info']);

  console.log(`\nThe virtual YubiKey stays plugged in: try \`ykman --reader "${readerName(READER)}" piv info\` in another terminal.`);
  console.log('Press Ctrl-C to stop.');
  // Keep running until a signal; stopAll() exits.
  setInterval(() => undefined, 1 << 30);
}

main().catch((error: unknown) => {
  console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
  void stopAll(1);
});
