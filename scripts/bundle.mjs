// The Node programs of the repository, bundled with esbuild into build/node/
// so they start without compiling TypeScript (`npm run wfa`, `npm run web`,
// `npm run virtual-yubikey`). Plain JavaScript on purpose: it must run before
// anything is built. A bundle is rebuilt when any source changed since the
// last build, as scripts/setup.sh's stamp does for the whole build.
//
// Each bundle is one CommonJS file run through vm.Script with a V8 code cache
// kept next to it (Node 20 has no module compile cache): parsing the 1 MB
// bundle is most of a cold start, and the cache skips it from the second run.
//
//   node scripts/bundle.mjs                 build every bundle when stale
//   node scripts/bundle.mjs run NAME [ARGS] build when stale, then run bundle NAME with ARGS
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { dirname, join } from 'node:path';
import { constants as vmConstants, Script } from 'node:vm';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const NODE_BUILD_DIR = join(ROOT, 'build', 'node');
const STAMP = join(NODE_BUILD_DIR, '.stamp');

/** Name → entry point. */
export const BUNDLES = {
  wfa: 'electron/cli/main.ts',
  web: 'electron/web-shell/main.ts',
  'virtual-yubikey': 'native/virtual-yubikey/cli.ts',
};

/** What goes into the bundles. */
const SOURCES = ['native', 'electron', 'package.json', 'package-lock.json', 'scripts/bundle.mjs'];

function newestSourceMtime() {
  let newest = 0;
  const visit = (path) => {
    const s = statSync(path, { throwIfNoEntry: false });
    if (s === undefined) return;
    if (s.isDirectory()) {
      for (const entry of readdirSync(path)) visit(join(path, entry));
      return;
    }
    if (s.mtimeMs > newest) newest = s.mtimeMs;
  };
  for (const source of SOURCES) visit(join(ROOT, source));
  return newest;
}

/** True when a bundle is missing or a source changed after the last build. */
export function bundlesStale() {
  const stamp = statSync(STAMP, { throwIfNoEntry: false });
  if (stamp === undefined) return true;
  for (const name of Object.keys(BUNDLES)) if (statSync(bundlePath(name), { throwIfNoEntry: false }) === undefined) return true;
  return newestSourceMtime() > stamp.mtimeMs;
}

export function bundlePath(name) {
  return join(NODE_BUILD_DIR, `${name}.cjs`);
}

/** The code cache of a bundle, per Node version (V8 rejects another version's cache). */
function cachePath(name) {
  return join(NODE_BUILD_DIR, `${name}.${process.version}.v8cache`);
}

export async function buildBundles() {
  const started = Date.now();
  const { build } = await import('esbuild');
  rmSync(NODE_BUILD_DIR, { recursive: true, force: true });
  mkdirSync(NODE_BUILD_DIR, { recursive: true });
  await Promise.all([
    build({
      entryPoints: Object.fromEntries(Object.entries(BUNDLES).map(([name, entry]) => [name, join(ROOT, entry)])),
      outdir: NODE_BUILD_DIR,
      outExtension: { '.js': '.cjs' },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      minify: true,
      keepNames: true,
      sourcemap: 'linked',
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
      outfile: join(NODE_BUILD_DIR, 'bridge-client.js'),
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'chrome120',
      logLevel: 'warning',
    }),
  ]);
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
  const cache = cachePath(name);
  // The entry points start when they are the main module (import.meta.url === argv[1]).
  process.argv = [process.argv[0], path, ...args];
  let cachedData;
  try {
    cachedData = readFileSync(cache);
  } catch {
    cachedData = undefined;
  }
  const script = new Script(Module.wrap(readFileSync(path, 'utf8')), {
    filename: path,
    cachedData,
    importModuleDynamically: vmConstants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (cachedData === undefined || script.cachedDataRejected === true) {
    // Written at exit, so the functions the run compiled are in it too.
    process.once('exit', () => {
      try {
        writeFileSync(cache, script.createCachedData());
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
