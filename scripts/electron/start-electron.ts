// `npm start`: builds the Electron main process and preload, then runs
// Electron on this folder. Electron's binary is not in the npm package: it is
// downloaded from GitHub by node_modules/electron/install.js, which
// package.json's allowScripts keeps from running at `npm ci` (so installs
// work offline). It is fetched here, on first start, instead; where that is
// impossible we say so and point to the web shell.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { buildElectron } from './build-electron.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const require = createRequire(import.meta.url);

/** The path of Electron's executable, or null when it has not been downloaded. */
export function electronBinary(): string | null {
  try {
    // In plain Node, the electron package's main export is the path of the binary (it throws when path.txt is missing).
    const path: unknown = require('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

function downloadElectron(): string {
  console.error("start: Electron's binary is not installed yet; downloading it (node_modules/electron/install.js)…");
  const result = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'electron', 'install.js')], { encoding: 'utf8', timeout: 10 * 60_000 });
  const output = `${result.stderr}\n${result.stdout}`.split('\n').find((line) => /error/i.test(line));
  return result.status === 0 ? '' : (output?.trim() ?? `install.js exited with ${String(result.status ?? result.signal)}`);
}

async function main(): Promise<void> {
  let binary = electronBinary();
  if (binary === null) {
    const reason = downloadElectron();
    binary = electronBinary();
    if (binary === null) {
      console.error(
        [
          "npm start: Electron's binary is missing, so the desktop app cannot start on this machine.",
          `  (The electron package is installed, but its binary must be downloaded from GitHub, and that failed: ${reason || 'no binary after install.js'}.)`,
          '  Use `npm run demo` instead: it runs the same app in the web shell (the same services and handlers,',
          '  the renderer served on 127.0.0.1, window.wfa over a token-protected local WebSocket).',
        ].join('\n'),
      );
      process.exit(1);
    }
  }
  await buildElectron();
  const child = spawn(binary, ['.', ...process.argv.slice(2)], { cwd: ROOT, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.once('exit', (code, signal) => process.exit(code ?? (signal === null ? 1 : 128)));
}

main().catch((error: unknown) => {
  console.error(`npm start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
