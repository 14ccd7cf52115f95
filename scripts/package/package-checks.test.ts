// Each check of package:verify passes on a good package and fails, saying
// why, on a package with that one thing wrong.
import { describe, expect, it } from 'vitest';
import { HARDENED_WEB_PREFERENCES } from '../../electron/main/window-options.ts';
import { ADDON_PATH, checkPackage, packageOf, type PackageFindings } from './package-checks.ts';

const CSP = "default-src 'none'; script-src 'self'; style-src 'self'";
const window = { webPreferences: { ...HARDENED_WEB_PREFERENCES, preload: '/app/preload.cjs' } };

const good: PackageFindings = {
  asarFiles: [
    { path: 'package.json', unpacked: false },
    { path: 'build/electron/main.cjs', unpacked: false },
    { path: 'build/electron/preload.cjs', unpacked: false },
    { path: 'renderer/dist/index.html', unpacked: false },
    { path: 'renderer/dist/assets/index-abc.js', unpacked: false },
    { path: 'assets/tray/urgent.png', unpacked: false },
    { path: 'assets/attestation/yubico-piv-root-ca-serial-263751.pem', unpacked: false },
    { path: 'node_modules/zod/index.js', unpacked: false },
    { path: 'node_modules/@peculiar/x509/build/x509.cjs.js', unpacked: false },
    { path: 'node_modules/smartcard/dist/lib/index.js', unpacked: true },
    { path: ADDON_PATH, unpacked: true },
  ],
  unpackedDirFiles: ['node_modules/smartcard/dist/lib/index.js', ADDON_PATH],
  runtimeAssets: ['assets/tray/urgent.png', 'assets/attestation/yubico-piv-root-ca-serial-263751.pem'],
  productionPackages: new Set(['zod', '@peculiar/x509', 'smartcard', 'node-addon-api']),
  directDependencies: ['zod', '@peculiar/x509', 'smartcard'],
  bundled: { windowOptions: window, windowOptionsDefault: window, csp: CSP, refusesRemoteDebugging: true },
  sourceCsp: CSP,
  fuseProblems: [],
  addon: { file: ADDON_PATH, napiEntryPoint: true, v8Imports: 0, nodeEntryPoint: false },
};

function failures(findings: PackageFindings): string[] {
  return checkPackage(findings)
    .filter((c) => !c.ok)
    .map((c) => `${c.name}: ${c.detail}`);
}

const withFile = (path: string, unpacked = false): PackageFindings => ({ ...good, asarFiles: [...good.asarFiles, { path, unpacked }] });

describe('checkPackage', () => {
  it('passes a good package, every check', () => {
    expect(failures(good)).toEqual([]);
    expect(checkPackage(good)).toHaveLength(11);
  });

  it('fails a package without the main bundle, or without renderer scripts', () => {
    expect(failures({ ...good, asarFiles: good.asarFiles.filter((e) => e.path !== 'build/electron/main.cjs') })).toEqual([
      'the asar holds the main, preload and renderer bundles: build/electron/main.cjs is missing',
    ]);
    expect(failures({ ...good, asarFiles: good.asarFiles.filter((e) => !e.path.endsWith('.js') || e.path.startsWith('node_modules')) })[0]).toMatch(
      /no renderer script/,
    );
  });

  it('fails a tray icon of the repository that is not packaged', () => {
    expect(failures({ ...good, runtimeAssets: [...good.runtimeAssets, 'assets/tray/final@2x.png'] })).toEqual([
      'the tray icons and attestation certificates of assets/ are in it: assets/tray/final@2x.png is missing',
    ]);
  });

  it('fails other files of the app: sources, the web shell, tests, maps', () => {
    expect(failures(withFile('electron/main/app.ts'))).toEqual(['and no other file of the app: unexpected electron/main/app.ts']);
    expect(failures(withFile('build/electron/main.cjs.map'))).toEqual([
      'and no other file of the app: unexpected build/electron/main.cjs.map',
      'no web shell, test, e2e or source map inside: build/electron/main.cjs.map is packaged',
    ]);
    expect(failures(withFile('node_modules/zod/web-shell/x.js'))).toEqual([
      'no web shell, test, e2e or source map inside: node_modules/zod/web-shell/x.js is packaged',
    ]);
    expect(failures(withFile('node_modules/zod/tests/a.js'))).toHaveLength(1);
    expect(failures({ ...good, unpackedDirFiles: [...good.unpackedDirFiles, 'node_modules/smartcard/x.test.js'] })).toEqual([
      'no web shell, test, e2e or source map inside: app.asar.unpacked/node_modules/smartcard/x.test.js is packaged',
    ]);
  });

  it('fails a dev dependency in node_modules, and a missing production one', () => {
    expect(failures(withFile('node_modules/vitest/index.js'))).toEqual([
      'its node_modules are production dependencies only: vitest is not a production dependency',
    ]);
    expect(failures({ ...good, asarFiles: good.asarFiles.filter((e) => !e.path.includes('zod')) })).toEqual([
      'its node_modules are production dependencies only: dependency zod is missing',
    ]);
  });

  it('fails the addon packed in the asar, or missing on disk, or built against V8', () => {
    const packed = { ...good, asarFiles: good.asarFiles.map((e) => (e.path === ADDON_PATH ? { ...e, unpacked: false } : e)) };
    expect(failures(packed)[0]).toMatch(/is inside the asar; .* is packed inside the asar$/);
    expect(failures({ ...good, unpackedDirFiles: [] })[0]).toMatch(/is not on disk$/);
    expect(failures({ ...good, addon: { file: ADDON_PATH, napiEntryPoint: false, v8Imports: 44, nodeEntryPoint: true } })).toEqual([
      'the PC/SC addon is N-API only (no rebuild per Electron version): no napi_register_module_v1; it exports a node_register_module_v* entry point (V8 ABI); it imports 44 V8/Node C++ symbols',
    ]);
  });

  it('fails softened window options, by default or as called', () => {
    const soft = { webPreferences: { ...HARDENED_WEB_PREFERENCES, sandbox: false } };
    expect(failures({ ...good, bundled: { ...good.bundled, windowOptions: soft } })).toEqual([
      "the bundled main's window options are the hardened ones: sandbox is false, should be true",
    ]);
    const devTools = { webPreferences: { ...HARDENED_WEB_PREFERENCES, devTools: true } };
    expect(failures({ ...good, bundled: { ...good.bundled, windowOptionsDefault: devTools } })).toEqual([
      "the bundled main's window options are the hardened ones: by default: devTools is true, should be false",
    ]);
  });

  it('fails a CSP that differs from the source or is loose', () => {
    const loose = "default-src 'none'; script-src 'self' 'unsafe-inline'";
    expect(failures({ ...good, bundled: { ...good.bundled, csp: loose } })[0]).toMatch(
      /differs from the source's.*script-src is not 'self' alone; the CSP allows unsafe-\* or a wildcard$/,
    );
    expect(failures({ ...good, sourceCsp: 'default-src *', bundled: { ...good.bundled, csp: 'default-src *' } })[0]).toMatch(/default-src is not 'none'/);
  });

  it('fails a main without the remote-debugging refusal, and wrong fuses', () => {
    expect(failures({ ...good, bundled: { ...good.bundled, refusesRemoteDebugging: false } })).toHaveLength(1);
    expect(failures({ ...good, fuseProblems: ['runAsNode is true, should be false'] })).toEqual([
      'the fuse settings in electron-builder.yml are the required ones: runAsNode is true, should be false',
    ]);
  });
});

describe('packageOf', () => {
  it('names the innermost package of a node_modules path, scoped or not, and null for the app', () => {
    expect(packageOf('node_modules/zod/index.js')).toBe('zod');
    expect(packageOf('node_modules/@peculiar/x509/a.js')).toBe('@peculiar/x509');
    expect(packageOf('node_modules/tsyringe/node_modules/tslib/tslib.js')).toBe('tslib');
    expect(packageOf('build/electron/main.cjs')).toBeNull();
    expect(packageOf('renderer/dist/my_node_modules/x.js')).toBeNull();
  });
});
