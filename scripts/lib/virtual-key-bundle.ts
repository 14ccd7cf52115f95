// The virtual YubiKey's CLI bundled into one ES module with esbuild, so a key
// starts in about 0.2 s instead of the 0.6 s `node --import tsx` takes to
// compile its TypeScript each time (the interop tests start a fresh key for
// every test). Rebuilt whenever a source it was built from is newer.
import { mkdirSync, readFileSync, renameSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { z } from 'zod';
import { REPO_ROOT, RUN_DIR } from './paths.ts';

const ENTRY = 'native/virtual-yubikey/cli.ts';
const DIR = join(RUN_DIR, 'virtual-yubikey');
export const VIRTUAL_KEY_BUNDLE = join(DIR, 'cli.mjs');
const INPUTS = join(DIR, 'inputs.json');

const inputList = z.array(z.string());

function mtimeMs(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

/** True when the bundle exists and none of the files it was built from changed since. */
export function bundleIsFresh(): boolean {
  const built = mtimeMs(VIRTUAL_KEY_BUNDLE);
  if (built === undefined) return false;
  let inputs: string[];
  try {
    inputs = inputList.parse(JSON.parse(readFileSync(INPUTS, 'utf8')));
  } catch {
    return false;
  }
  return inputs.length > 0 && inputs.every((input) => (mtimeMs(join(REPO_ROOT, input)) ?? Infinity) <= built);
}

/** Builds the bundle (to a temporary name, then renamed: processes building at once do not see half a file). */
export async function buildVirtualKeyBundle(): Promise<void> {
  mkdirSync(DIR, { recursive: true });
  const stamp = `${process.pid}-${Date.now()}`;
  const started = Date.now();
  const result = await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: [ENTRY],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: `${VIRTUAL_KEY_BUNDLE}.${stamp}`,
    metafile: true,
    logLevel: 'error',
    // Some dependencies are CommonJS that require() Node's modules: give the ES module a require.
    banner: { js: "import { createRequire as __wfaCreateRequire } from 'node:module'; const require = __wfaCreateRequire(import.meta.url);" },
  });
  const inputs = Object.keys(result.metafile.inputs).filter((input) => !input.includes(':'));
  writeFileSync(`${INPUTS}.${stamp}`, JSON.stringify(inputs));
  // Dated when the build began: a source saved during the build is newer, so the bundle is rebuilt next time.
  const began = new Date(started);
  utimesSync(`${VIRTUAL_KEY_BUNDLE}.${stamp}`, began, began);
  renameSync(`${INPUTS}.${stamp}`, INPUTS);
  renameSync(`${VIRTUAL_KEY_BUNDLE}.${stamp}`, VIRTUAL_KEY_BUNDLE);
}

let ready: Promise<string> | undefined;

/** The bundle's path, built first when missing or stale; checked once per process. */
export function virtualKeyBundle(): Promise<string> {
  ready ??= (async () => {
    if (!bundleIsFresh()) await buildVirtualKeyBundle();
    return VIRTUAL_KEY_BUNDLE;
  })();
  return ready;
}
