// `npm run demo` (after scripts/setup.sh): pcscd, a fresh virtual YubiKey in
// reader 0, what ykman sees of it, and the app on the embedded defaults (local
// CA) in the web shell, since Electron's binary cannot run on the build
// machines (design.md), shown in a Chromium app window when there is a
// display. Runs until Ctrl-C or SIGTERM, then stops what it started.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AppWindow, APP_WINDOW_PROFILE, displayOf, openAppWindow } from './lib/app-window.ts';
import { run } from './lib/exec.ts';
import { RUN_DIR } from './lib/paths.ts';
import { ensurePcscd, type PcscdHandle } from './lib/pcscd.ts';
import { requirePrograms } from './lib/programs.ts';
import { readerName, startVirtualYubiKey, type RunningVirtualYubiKey } from './lib/virtual-key.ts';
import { startWebShell, type RunningWebShell } from './lib/web-shell.ts';

const READER = 0;
const PROFILE = 'yk5.4.3';
const STATE_FILE = join(RUN_DIR, 'demo-key.json');
/** The card's own attestation root and the demo's policy, which trusts it (so the demo key proves where its key was made): the local CA and the defaults otherwise. */
const ATTESTATION_ROOT_FILE = join(RUN_DIR, 'demo-attestation-root.pem');
const POLICY_FILE = join(RUN_DIR, 'demo-policy.json');
/** The app's data folder for the demo: fresh each time, like the key. */
const DATA_DIR = join(RUN_DIR, 'demo-data');

let pcscd: PcscdHandle | undefined;
let key: RunningVirtualYubiKey | undefined;
let app: RunningWebShell | undefined;
let window: AppWindow | undefined;
let stopping = false;

async function stopAll(exitCode: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    console.log('\nstopping…');
    await window?.stop();
    await app?.stop();
    if (app) console.log('app (web shell) stopped');
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
  rmSync(ATTESTATION_ROOT_FILE, { force: true });
  // Its own process, as `npm run virtual-yubikey` runs it: the one the README's demo section describes.
  key = await startVirtualYubiKey({ reader: READER, profile: PROFILE, state: STATE_FILE, exportAttestationRoot: ATTESTATION_ROOT_FILE, ownProcess: true });
  const running = key;
  void running.exited.then(() => {
    if (stopping) return;
    console.error(`demo: the virtual YubiKey exited unexpectedly\n${running.stderr()}`);
    key = undefined;
    void stopAll(1);
  });
  console.log(`virtual YubiKey: profile ${PROFILE}, serial ${key.serial}, firmware ${key.firmware}, in "${key.reader}" (${key.label}, state ${STATE_FILE})`);

  await show(['--reader', readerName(READER), 'info']);
  await show(['--reader', readerName(READER), 'piv', 'info']);

  rmSync(DATA_DIR, { recursive: true, force: true });
  // The virtual card's attestation root is trusted through the policy, as an organisation adds a root; nothing else trusts it.
  writeFileSync(POLICY_FILE, `${JSON.stringify({ attestation: { require: false, extraRoots: [readFileSync(ATTESTATION_ROOT_FILE, 'utf8')] } }, null, 2)}\n`);
  app = await startWebShell({ dataDir: DATA_DIR, configPath: POLICY_FILE });
  const shell = app;
  void shell.exited.then((code) => {
    if (stopping) return;
    console.error(`demo: the app exited unexpectedly (code ${String(code)})\n${shell.log()}`);
    app = undefined;
    void stopAll(1);
  });
  console.log(
    `\nThe app runs in the web shell (data folder ${DATA_DIR}, local CA, policy ${POLICY_FILE} trusting the card's attestation root), at this address (a browser on this machine can open it):`,
  );
  console.log(`  ${shell.url}`);
  const display = displayOf(process.env);
  if (display === null) {
    console.log('No display (DISPLAY and WAYLAND_DISPLAY are unset), so no window was opened: open the address above in a browser.');
  } else {
    // A desktop window (Chromium's app mode, its own profile), closed again on Ctrl-C.
    window = openAppWindow({ url: shell.url, runningAsRoot: process.getuid?.() === 0 });
    console.log(`Opened it in a Chromium app window on ${display} (pid ${String(window.pid)}, profile ${APP_WINDOW_PROFILE}).`);
  }
  console.log('Then press "Start Pairing"; the default PIN of the virtual key is 123456.');
  console.log(`\nThe virtual YubiKey stays plugged in: try \`ykman --reader "${readerName(READER)}" piv info\` in another terminal.`);
  console.log("Where Electron's binary can run, `npm start` opens the same app as a desktop window.");
  console.log('Press Ctrl-C to stop.');
  // Keep running until a signal; stopAll() exits.
  setInterval(() => undefined, 1 << 30);
}

main().catch((error: unknown) => {
  console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
  void stopAll(1);
});
