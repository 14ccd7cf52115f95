// The programs the PC/SC tests start over and over, bundled into one ES module
// each with esbuild: the virtual YubiKey's CLI (a fresh key for nearly every
// interop test) and the `wfa` CLI. Bundled, a key starts in about 0.2 s
// instead of the 0.65 s `node --import tsx` takes to load its TypeScript, and
// `wfa` in about a quarter of the CPU `npm run wfa` takes. The same sources,
// the same program; rebuilt whenever a source it was built from is newer.
import { mkdirSync, readFileSync, renameSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { z } from 'zod';
import { REPO_ROOT, RUN_DIR } from './paths.ts';

/** What can be bundled: name, and its entry point in the repository. */
export const BUNDLE_ENTRIES = {
  'virtual-yubikey': 'native/virtual-yubikey/cli.ts',
  wfa: 'electron/cli/main.ts',
} as const;
export type BundleName = keyof typeof BUNDLE_ENTRIES;

const dirOf = (name: BundleName): string => join(RUN_DIR, 'bundles', name);
/** Where the bundle of `name` is written. */
export const bundlePath = (name: BundleName): string => join(dirOf(name), 'main.mjs');
const inputsPath = (name: BundleName): string => join(dirOf(name), 'inputs.json');

const inputList = z.array(z.string());

function mtimeMs(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

/** True when the bundle exists and none of the files it was built from changed since. */
export function bundleIsFresh(name: BundleName): boolean {
  const built = mtimeMs(bundlePath(name));
  if (built === undefined) return false;
  let inputs: string[];
  try {
    inputs = inputList.parse(JSON.parse(readFileSync(inputsPath(name), 'utf8')));
  } catch {
    return false;
  }
  return inputs.length > 0 && inputs.every((input) => (mtimeMs(join(REPO_ROOT, input)) ?? Infinity) <= built);
}

/** Builds the bundle (to a temporary name, then renamed: processes building at once do not see half a file). */
export async function buildBundle(name: BundleName): Promise<void> {
  const out = bundlePath(name);
  const inputsFile = inputsPath(name);
  mkdirSync(dirOf(name), { recursive: true });
  const stamp = `${process.pid}-${Date.now()}`;
  const started = Date.now();
  const result = await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: [BUNDLE_ENTRIES[name]],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: `${out}.${stamp}`,
    metafile: true,
    logLevel: 'error',
    // Some dependencies are CommonJS that require() Node's modules: give the ES module a require.
    banner: { js: "import { createRequire as __wfaCreateRequire } from 'node:module'; const require = __wfaCreateRequire(import.meta.url);" },
  });
  const inputs = Object.keys(result.metafile.inputs).filter((input) => !input.includes(':'));
  writeFileSync(`${inputsFile}.${stamp}`, JSON.stringify(inputs));
  // Dated when the build began: a source saved during the build is newer, so the bundle is rebuilt next time.
  const began = new Date(started);
  utimesSync(`${out}.${stamp}`, began, began);
  renameSync(`${inputsFile}.${stamp}`, inputsFile);
  renameSync(`${out}.${stamp}`, out);
}

const ready = new Map<BundleName, Promise<string>>();

/** The path of the bundle of `name`, built first when missing or stale; checked once per process. */
export function bundled(name: BundleName): Promise<string> {
  let path = ready.get(name);
  if (path === undefined) {
    path = (async () => {
      if (!bundleIsFresh(name)) await buildBundle(name);
      return bundlePath(name);
    })();
    ready.set(name, path);
  }
  return path;
}
