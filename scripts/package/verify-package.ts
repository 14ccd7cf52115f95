// `npm run package:verify`: builds the Linux app, unpacked, with
// electron-builder from electron-builder.yml — offline, around a STAND-IN for
// Electron's distribution (stand-in-electron.ts), with no npm rebuild and no
// fuses (both skipped, and said so) — then checks what the package holds
// (package-checks.ts) and prints its size. Nothing here runs Electron.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { extractFile, getRawHeader } from '@electron/asar';
import { Arch, archFromString, build, Platform } from 'electron-builder';
import { z } from 'zod';
import { buildElectron } from '../electron/build-electron.ts';
import { contentSecurityPolicy } from '../../electron/shell/csp.ts';
import { REPO_ROOT, RUN_DIR } from '../lib/paths.ts';
import { bundledHardening, evaluateFromBundle } from './bundle-inspection.ts';
import { fuseProblems, readBuilderConfig } from './builder-config.ts';
import { addonSymbols } from './napi-check.ts';
import { ADDON_PATH, type AsarEntry, checkPackage, packageOf } from './package-checks.ts';
import { makeElectronStandIn, STAND_IN_NOTE } from './stand-in-electron.ts';

const WORK_DIR = join(RUN_DIR, 'package-verify');
const STAND_IN_DIR = join(WORK_DIR, 'electron-stand-in');
const OUTPUT_DIR = join(WORK_DIR, 'dist');

const say = (line: string): void => console.log(`package:verify: ${line}`);

/** Every file of an asar, with its unpacked flag, from the archive's header. */
function asarEntries(archive: string): AsarEntry[] {
  const entries: AsarEntry[] = [];
  const walk = (node: unknown, prefix: string): void => {
    const files = (node as { files?: Record<string, unknown> }).files;
    if (files === undefined) {
      entries.push({ path: prefix, unpacked: (node as { unpacked?: boolean }).unpacked === true });
      return;
    }
    for (const [name, child] of Object.entries(files)) walk(child, prefix === '' ? name : `${prefix}/${name}`);
  };
  walk(getRawHeader(archive).header, '');
  return entries;
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)));
}

const sizeOf = (path: string): number =>
  statSync(path).isDirectory() ? readdirSync(path).reduce((n, name) => n + sizeOf(join(path, name)), 0) : statSync(path).size;
const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

const lockSchema = z.looseObject({ packages: z.record(z.string(), z.looseObject({ dev: z.boolean().optional() })) });

/** What `npm ci --omit=dev` installs, by package name (package-lock.json). */
function productionPackages(): Set<string> {
  const lock = lockSchema.parse(JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')));
  return new Set(
    Object.entries(lock.packages)
      .filter(([path, entry]) => path !== '' && entry.dev !== true)
      .map(([path]) => packageOf(`${path}/`))
      .filter((name): name is string => name !== null),
  );
}

const packageJsonSchema = z.looseObject({ dependencies: z.record(z.string(), z.string()) });
const electronPackageSchema = z.looseObject({ version: z.string() });

async function main(): Promise<number> {
  say('building the Linux app (unpacked) with electron-builder, offline, around a stand-in for Electron');
  await buildElectron();
  if (!existsSync(join(REPO_ROOT, 'renderer', 'dist', 'index.html'))) {
    say('renderer/dist is not built: npm run build:renderer');
    if (spawnSync('npm', ['run', '--silent', 'build:renderer'], { cwd: REPO_ROOT, stdio: 'inherit' }).status !== 0)
      throw new Error('npm run build:renderer failed');
  }
  const electronVersion = electronPackageSchema.parse(JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', 'electron', 'package.json'), 'utf8'))).version;
  makeElectronStandIn(STAND_IN_DIR, electronVersion);
  say(`electronDist: ${STAND_IN_DIR} — ${STAND_IN_NOTE}`);
  say(
    "fuses: SKIPPED in this build — @electron/fuses flips bits in Electron's real binary, and the stand-in has none; electron-builder.yml's fuse settings are checked below instead",
  );
  say('npm rebuild: SKIPPED (npmRebuild: false) — the smartcard addon is N-API: the build in node_modules is packaged as it is');
  rmSync(OUTPUT_DIR, { recursive: true, force: true });
  await build({
    projectDir: REPO_ROOT,
    targets: Platform.LINUX.createTarget('dir', archFromString(process.arch) ?? Arch.x64),
    publish: 'never',
    config: { electronDist: STAND_IN_DIR, electronFuses: null, npmRebuild: false, directories: { output: OUTPUT_DIR } },
  });

  const appDir = readdirSync(OUTPUT_DIR)
    .map((name) => join(OUTPUT_DIR, name))
    .find((path) => /linux.*unpacked$/.test(path));
  if (appDir === undefined) throw new Error(`electron-builder wrote no linux-unpacked folder in ${OUTPUT_DIR}`);
  const resources = join(appDir, 'resources');
  const asar = join(resources, 'app.asar');
  const unpackedDir = join(resources, 'app.asar.unpacked');
  const mainBundle = readFileSync(join(REPO_ROOT, 'build', 'electron', 'main.cjs'), 'utf8');
  // The main bundle as packed: the checks read the asar's copy, not the build folder's.
  const packedMain = extractFile(asar, 'build/electron/main.cjs').toString('utf8');
  if (packedMain !== mainBundle) say('note: the packed main.cjs differs from build/electron/main.cjs; checking the packed one');
  const bundled = bundledHardening(packedMain);
  const refuses = ['--remote-debugging-port=9222', '-remote-debugging-port'].every(
    (arg) =>
      evaluateFromBundle(
        packedMain,
        ['REMOTE_DEBUGGING_SWITCHES', 'remoteDebuggingSwitch'],
        `remoteDebuggingSwitch(${JSON.stringify(['--data-dir', '/x', arg])}, "linux")`,
      ) === 'remote-debugging-port',
  );
  const lets =
    evaluateFromBundle(packedMain, ['REMOTE_DEBUGGING_SWITCHES', 'remoteDebuggingSwitch'], 'remoteDebuggingSwitch(["--config", "/p.json"], "linux")') === null;
  const addonFile = join(unpackedDir, ADDON_PATH);

  const results = checkPackage({
    asarFiles: asarEntries(asar),
    unpackedDirFiles: filesUnder(unpackedDir),
    runtimeAssets: ['tray', 'attestation'].flatMap((folder) => filesUnder(join(REPO_ROOT, 'assets', folder)).map((p) => `assets/${folder}/${p}`)),
    productionPackages: productionPackages(),
    directDependencies: Object.keys(packageJsonSchema.parse(JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'))).dependencies),
    bundled: { ...bundled, refusesRemoteDebugging: refuses && lets },
    sourceCsp: contentSecurityPolicy(),
    fuseProblems: fuseProblems(readBuilderConfig().electronFuses),
    addon: existsSync(addonFile) ? addonSymbols(addonFile) : null,
  });

  console.log('');
  for (const r of results) console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name} — ${r.detail}`);
  const asarSize = statSync(asar).size;
  const unpackedSize = existsSync(unpackedDir) ? sizeOf(unpackedDir) : 0;
  console.log(
    `\npackage size: app.asar ${megabytes(asarSize)} + app.asar.unpacked ${megabytes(unpackedSize)} = ${megabytes(asarSize + unpackedSize)} of app in ${relative(REPO_ROOT, appDir)}`,
  );
  console.log("  (plus Electron's own files in a real build; the stand-in has none of them, and its executable is a script that only says it is a stand-in)");
  const failed = results.filter((r) => !r.ok).length;
  console.log(`package:verify: ${results.length - failed} checks passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

// Exits explicitly, once stdout is flushed: after electron-builder's build, process.exitCode alone came out as 0.
const exit = (code: number): void => {
  process.stdout.write('', () => process.exit(code));
};
main().then(exit, (error: unknown) => {
  console.error(`package:verify: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  exit(1);
});
