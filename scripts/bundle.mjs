// The Node programs of the repository, bundled with esbuild into build/node/
// so they start without compiling TypeScript: `npm run wfa`, `npm run web`,
// `npm run virtual-yubikey`, and the programs the PC/SC tests start over and
// over (the virtual key and its host, `wfa`; scripts/lib/bundle.ts). The one bundler of the
// repository. Plain JavaScript on purpose: it must run before anything is
// built. The bundles are rebuilt when a file they were built from (esbuild's
// list of inputs), the package files or this file changed since the last
// build, as scripts/setup.sh's stamp does for the whole build.
//
// Each bundle is one CommonJS file run through vm.Script with a V8 code cache
// kept next to it (Node 20 has no module compile cache): parsing the 1 MB
// bundle is most of a cold start, and the cache skips it from the second run.
// Processes may build at the same time (test workers): each builds into its
// own folder and renames the files into place, so nobody runs half a file.
//
//   node scripts/bundle.mjs                 build every bundle when stale
//   node scripts/bundle.mjs run NAME [ARGS] build when stale, then run bundle NAME with ARGS
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { dirname, join } from 'node:path';
import { constants as vmConstants, Script } from 'node:vm';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const NODE_BUILD_DIR = join(ROOT, 'build', 'node');
const STAMP = join(NODE_BUILD_DIR, '.stamp');
/** The repository files the last build read (esbuild's metafile), relative to ROOT. */
const INPUTS = join(NODE_BUILD_DIR, 'inputs.json');

/** Name → entry point. */
export const BUNDLES = {
  wfa: 'electron/cli/main.ts',
  web: 'electron/web-shell/main.ts',
  'virtual-yubikey': 'native/virtual-yubikey/cli.ts',
  // Many virtual keys in one process, for the PC/SC tests (scripts/lib/key-host.ts).
  'virtual-yubikey-host': 'native/virtual-yubikey/key-host.ts',
};

/** Always inputs, besides what esbuild read: the dependencies' versions and this bundler. */
const ALWAYS = ['package.json', 'package-lock.json', 'scripts/bundle.mjs'];

const mtimeMs = (path) => statSync(path, { throwIfNoEntry: false })?.mtimeMs;

function lastInputs() {
  try {
    const list = JSON.parse(readFileSync(INPUTS, 'utf8'));
    return Array.isArray(list) && list.length > 0 && list.every((f) => typeof f === 'string') ? list : null;
  } catch {
    return null;
  }
}

/** True when a bundle is missing or a file it was built from changed after the last build. */
export function bundlesStale() {
  const built = mtimeMs(STAMP);
  if (built === undefined) return true;
  for (const name of Object.keys(BUNDLES)) if (mtimeMs(bundlePath(name)) === undefined) return true;
  const inputs = lastInputs();
  if (inputs === null) return true;
  // A file gone counts as changed (Infinity): whoever imported it changed too, but say so anyway.
  return [...ALWAYS, ...inputs].some((input) => (mtimeMs(join(ROOT, input)) ?? Infinity) > built);
}

export function bundlePath(name) {
  return join(NODE_BUILD_DIR, `${name}.cjs`);
}

/**
 * The code cache of a bundle: per Node version (V8 rejects another version's
 * cache) and per build of the bundle (its size and time), so a process still
 * running an older build never leaves its cache beside a newer one.
 */
function cachePath(name, bundle) {
  return join(NODE_BUILD_DIR, `${name}.${process.version}.${bundle.size}-${Math.round(bundle.mtimeMs)}.v8cache`);
}

export async function buildBundles() {
  const started = Date.now();
  const { build } = await import('esbuild');
  mkdirSync(NODE_BUILD_DIR, { recursive: true });
  const staging = join(NODE_BUILD_DIR, `.building-${process.pid}-${started}`);
  mkdirSync(staging);
  try {
    const [programs] = await Promise.all([
      build({
        absWorkingDir: ROOT,
        entryPoints: Object.fromEntries(Object.entries(BUNDLES).map(([name, entry]) => [name, join(ROOT, entry)])),
        outdir: staging,
        outExtension: { '.js': '.cjs' },
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        minify: true,
        keepNames: true,
        sourcemap: 'linked',
        metafile: true,
        logLevel: 'warning',
        // Native or optional at run time: the PC/SC addon, esbuild (the web shell's fallback), ws's optional helpers.
        external: ['smartcard', 'electron', 'esbuild', 'bufferutil', 'utf-8-validate'],
        // The sources are ESM; in the CommonJS bundle import.meta is rebuilt from the bundle's own file (as scripts/electron/build-electron.ts does).
        banner: { js: 'const __wfaImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
        define: { 'import.meta.url': '__wfaImportMetaUrl', 'import.meta.dirname': '__dirname' },
      }),
      // The web shell's page bridge, so the shell does not compile it at start (electron/web-shell/bridge-bundle.ts).
      build({
        entryPoints: [join(ROOT, 'electron', 'web-shell', 'bridge-client.ts')],
        outfile: join(staging, 'bridge-client.js'),
        bundle: true,
        format: 'iife',
        platform: 'browser',
        target: 'chrome120',
        logLevel: 'warning',
      }),
    ]);
    const inputs = Object.keys(programs.metafile.inputs).filter((input) => !input.includes(':'));
    for (const file of readdirSync(staging)) renameSync(join(staging, file), join(NODE_BUILD_DIR, file));
    // The code caches of earlier builds are of no use any more.
    for (const file of readdirSync(NODE_BUILD_DIR)) if (file.endsWith('.v8cache')) rmSync(join(NODE_BUILD_DIR, file), { force: true });
    writeFileSync(`${INPUTS}.${process.pid}`, JSON.stringify(inputs));
    renameSync(`${INPUTS}.${process.pid}`, INPUTS);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  // The stamp is the build's start: an edit made while it ran is seen next time.
  writeFileSync(STAMP, '');
  utimesSync(STAMP, new Date(started), new Date(started));
}

/** Builds when stale, then runs bundle `name` as if it had been started directly with `args`. */
export async function runBundle(name, args) {
  if (!(name in BUNDLES)) throw new Error(`unknown bundle "${name}" (known: ${Object.keys(BUNDLES).join(', ')})`);
  if (bundlesStale()) {
    process.stderr.write('bundle: sources changed, building build/node/ …\n');
    await buildBundles();
  }
  const path = bundlePath(name);
  const source = readFileSync(path, 'utf8');
  const cache = cachePath(name, statSync(path));
  // The entry points start when they are the main module (import.meta.url === argv[1]).
  process.argv = [process.argv[0], path, ...args];
  let cachedData;
  try {
    cachedData = readFileSync(cache);
  } catch {
    cachedData = undefined;
  }
  const script = new Script(Module.wrap(source), {
    filename: path,
    cachedData,
    importModuleDynamically: vmConstants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (cachedData === undefined || script.cachedDataRejected === true) {
    // Written at exit, so the functions the run compiled are in it too.
    process.once('exit', () => {
      try {
        // Renamed into place: another process reading it never sees half a cache.
        writeFileSync(`${cache}.${process.pid}`, script.createCachedData());
        renameSync(`${cache}.${process.pid}`, cache);
      } catch {
        // A read-only checkout starts without the cache.
      }
    });
  }
  const module = { exports: {}, filename: path, id: path };
  script.runInThisContext().call(module.exports, module.exports, createRequire(path), module, path, dirname(path));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [command, name, ...args] = process.argv.slice(2);
  const done =
    command === 'run'
      ? runBundle(name, args)
      : command === undefined
        ? bundlesStale()
          ? buildBundles().then(() => process.stderr.write(`bundle: written to ${NODE_BUILD_DIR}\n`))
          : Promise.resolve()
        : Promise.reject(new Error('usage: node scripts/bundle.mjs [run NAME [ARGS…]]'));
  done.catch((error) => {
    process.stderr.write(`bundle: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
