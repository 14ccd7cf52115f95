// The checks `npm run package:verify` makes on the Linux app that
// electron-builder built, as plain functions of what was found,
// so each one is shown to fail on a bad package (package-checks.test.ts).
import { HARDENED_WEB_PREFERENCES } from '../../electron/main/window-options.ts';

export interface AsarEntry {
  /** Path inside the asar, without a leading slash: "build/electron/main.cjs". */
  readonly path: string;
  /** Stored beside the asar in app.asar.unpacked. */
  readonly unpacked: boolean;
}

export interface PackageFindings {
  readonly asarFiles: readonly AsarEntry[];
  /** Files on disk under resources/app.asar.unpacked, relative to it. */
  readonly unpackedDirFiles: readonly string[];
  /** What the app loads from the asar at run time (relative to the repository): the tray icons (assets/tray/) and the attestation trust store (assets/attestation/). */
  readonly runtimeAssets: readonly string[];
  /** Names of the packages `npm ci --omit=dev` installs (from package-lock.json). */
  readonly productionPackages: ReadonlySet<string>;
  /** package.json "dependencies". */
  readonly directDependencies: readonly string[];
  readonly bundled: {
    readonly windowOptions: unknown;
    readonly windowOptionsDefault: unknown;
    readonly csp: string;
    /** What the bundled remoteDebuggingSwitch says of a few command lines. */
    readonly refusesRemoteDebugging: boolean;
  };
  /** The CSP the source (electron/shell/csp.ts) gives. */
  readonly sourceCsp: string;
  readonly fuseProblems: readonly string[];
  readonly addon: { readonly file: string; readonly napiEntryPoint: boolean; readonly v8Imports: number; readonly nodeEntryPoint: boolean } | null;
}

export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

export const ADDON_PATH = 'node_modules/smartcard/build/Release/smartcard_napi.node';

/** Files of the app itself allowed in the asar: the bundles, the renderer, the tray icons, Yubico's attestation certificates. */
const APP_FILES = [/^package\.json$/, /^build\/electron\/(main|preload)\.cjs$/, /^renderer\/dist\//, /^assets\/tray\//, /^assets\/attestation\/[^/]+\.pem$/];
/** Never in a package: the web shell, tests and their sources, e2e, source maps. */
const FORBIDDEN = [/(^|\/)web-shell(\/|$)/, /\.(test|spec)\.[cm]?[jt]sx?$/, /(^|\/)(tests?|__tests__|e2e)\//, /\.map$/];

/** The package a node_modules path belongs to: "node_modules/a/node_modules/@b/c/x.js" -> "@b/c" (the innermost); null for the app's own files. */
export function packageOf(path: string): string | null {
  const at = path.lastIndexOf('node_modules/');
  if (at < 0 || (at > 0 && path[at - 1] !== '/')) return null;
  const [first = '', second = ''] = path.slice(at + 'node_modules/'.length).split('/');
  if (first === '') return null;
  return first.startsWith('@') ? `${first}/${second}` : first;
}

function webPreferencesProblems(options: unknown): string[] {
  const prefs = (options as { webPreferences?: Record<string, unknown> } | null)?.webPreferences;
  if (prefs === undefined) return ['no webPreferences'];
  return Object.entries(HARDENED_WEB_PREFERENCES)
    .filter(([key, wanted]) => prefs[key] !== wanted)
    .map(([key, wanted]) => `${key} is ${String(prefs[key])}, should be ${String(wanted)}`);
}

const check = (name: string, problems: readonly string[], okDetail: string): CheckResult => ({
  name,
  ok: problems.length === 0,
  detail: problems.length === 0 ? okDetail : problems.join('; '),
});

export function checkPackage(f: PackageFindings): CheckResult[] {
  const paths = f.asarFiles.map((e) => e.path);
  const own = paths.filter((p) => packageOf(p) === null);
  const required = ['package.json', 'build/electron/main.cjs', 'build/electron/preload.cjs', 'renderer/dist/index.html'];
  const rendererScripts = own.filter((p) => /^renderer\/dist\/.*\.js$/.test(p));
  const packages = [...new Set(paths.map(packageOf).filter((p): p is string => p !== null))].sort();
  const notProduction = packages.filter((p) => !f.productionPackages.has(p));
  const missingDeps = f.directDependencies.filter((d) => !packages.includes(d));
  const addonEntry = f.asarFiles.find((e) => e.path === ADDON_PATH);
  const packedNative = f.asarFiles.filter((e) => e.path.endsWith('.node') && !e.unpacked).map((e) => e.path);
  const forbidden = [...paths, ...f.unpackedDirFiles.map((p) => `app.asar.unpacked/${p}`)].filter((p) => FORBIDDEN.some((re) => re.test(p)));
  const cspProblems = [
    ...(f.bundled.csp === f.sourceCsp ? [] : [`bundled CSP "${f.bundled.csp}" differs from the source's "${f.sourceCsp}"`]),
    ...(/(^|; )default-src 'none'(;|$)/.test(f.bundled.csp) ? [] : ["default-src is not 'none'"]),
    ...(/(^|; )script-src 'self'(;|$)/.test(f.bundled.csp) ? [] : ["script-src is not 'self' alone"]),
    ...(/unsafe-|\*/.test(f.bundled.csp) ? ['the CSP allows unsafe-* or a wildcard'] : []),
  ];
  return [
    check(
      'the asar holds the main, preload and renderer bundles',
      [
        ...required.filter((p) => !paths.includes(p)).map((p) => `${p} is missing`),
        ...(rendererScripts.length === 0 ? ['no renderer script under renderer/dist'] : []),
      ],
      `${required.join(', ')} and ${rendererScripts.length} renderer script(s)`,
    ),
    check(
      'the tray icons and attestation certificates of assets/ are in it',
      f.runtimeAssets.filter((p) => !paths.includes(p)).map((p) => `${p} is missing`),
      `${f.runtimeAssets.length} file(s)`,
    ),
    check(
      'and no other file of the app',
      own.filter((p) => !APP_FILES.some((re) => re.test(p))).map((p) => `unexpected ${p}`),
      `${own.length} files of the app`,
    ),
    check(
      'its node_modules are production dependencies only',
      [...notProduction.map((p) => `${p} is not a production dependency`), ...missingDeps.map((d) => `dependency ${d} is missing`)],
      `${packages.length} packages, every one installed by npm ci --omit=dev`,
    ),
    check(
      'the PC/SC addon is unpacked from the asar',
      [
        ...(addonEntry?.unpacked === true ? [] : [`${ADDON_PATH} is ${addonEntry === undefined ? 'not in the package' : 'inside the asar'}`]),
        ...(f.unpackedDirFiles.includes(ADDON_PATH) ? [] : [`app.asar.unpacked/${ADDON_PATH} is not on disk`]),
        ...packedNative.map((p) => `${p} is packed inside the asar`),
      ],
      `app.asar.unpacked/${ADDON_PATH}`,
    ),
    check(
      'the PC/SC addon is N-API only (no rebuild per Electron version)',
      f.addon === null
        ? ['the addon was not found']
        : [
            ...(f.addon.napiEntryPoint ? [] : ['no napi_register_module_v1']),
            ...(f.addon.nodeEntryPoint ? ['it exports a node_register_module_v* entry point (V8 ABI)'] : []),
            ...(f.addon.v8Imports > 0 ? [`it imports ${f.addon.v8Imports} V8/Node C++ symbols`] : []),
          ],
      'exports napi_register_module_v1, imports no V8 or Node C++ symbol (nm -D)',
    ),
    check(
      'no web shell, test, e2e or source map inside',
      forbidden.map((p) => `${p} is packaged`),
      'none found',
    ),
    check(
      "the bundled main's window options are the hardened ones",
      [...webPreferencesProblems(f.bundled.windowOptions), ...webPreferencesProblems(f.bundled.windowOptionsDefault).map((p) => `by default: ${p}`)],
      'context isolation, sandbox, no Node, web security, no webview, no DevTools',
    ),
    check("the bundled main's CSP is the hardened one", cspProblems, f.bundled.csp),
    check(
      'the bundled main refuses --remote-debugging-port',
      f.bundled.refusesRemoteDebugging ? [] : ['remoteDebuggingSwitch does not find --remote-debugging-port'],
      'remoteDebuggingSwitch finds it',
    ),
    check(
      'the fuse settings in electron-builder.yml are the required ones',
      f.fuseProblems,
      'RunAsNode off, NODE_OPTIONS off, --inspect off, cookie encryption on, ASAR integrity on, only load from asar',
    ),
  ];
}
