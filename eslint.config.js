// Layering follows the table in shared/style.md ("Who may import whom").
// Each rule's message says where to go instead, as VS Code's code-layering does.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

// GitHub Desktop's rule: ipcMain/ipcRenderer only through the typed wrappers. Each wrapper
// has the one disable comment; every other file gets this message.
const ipcBan = {
  name: 'electron',
  importNames: ['ipcMain', 'ipcRenderer'],
  message: 'Use the typed IPC wrappers: registerIpcHandlers in electron/main/ipc-main.ts (main) and window.wfa from electron/preload/preload.ts (renderer).',
};

// The web shell is a development tool that never ships: nothing that goes into the app may import it.
const webShellBan = {
  group: ['**/web-shell/**'],
  message: 'bad layering: electron/web-shell is a development tool and never ships; the app may not import it.',
};

// Test code: the tests, their helpers (*test-support*) and fixtures, and the suites that drive
// the app from outside (e2e, reliability, bench). Production code may not import it.
const TEST_CODE = [
  '**/*.test.{ts,tsx}',
  '**/*test-support*',
  '**/*test-support*/**',
  '**/test-fixtures/**',
  'renderer/src/test/**',
  'tests/**',
  'e2e/**',
  'reliability/**',
  'bench/**',
];
const testCodeBan = {
  group: ['**/*test-support*', '**/test-fixtures/**', '**/test/**', '**/tests/**', '**/e2e/**', '**/reliability/**', '**/bench/**'],
  message:
    'bad layering: production code may not import test code (*test-support*, test-fixtures, tests/, e2e/, reliability/, bench/). Only tests and those suites may; move what production needs out of the test helper.',
};

// electron/app is the composition root: the shells and the CLI start the app through it, nothing else.
const appRootBan = {
  group: ['**/app/**'],
  message:
    'bad layering: electron/app is the composition root; only the shells (electron/main, electron/web-shell) and the CLI (electron/cli) may import it. Take what you need as a parameter instead.',
};
// The PC/SC binding's transport is made in one place, the composition root.
const systemTransportBan = {
  group: ['**/native/pcsc/smartcard-transport*'],
  message: 'bad layering: only the composition root (electron/app) makes the PC/SC transport; take a Transport (native/pcsc/transport.ts) as a parameter.',
};
// The software YubiKey is for tests, the demo and the rig: the product code knows nothing of it.
const emulatorBan = {
  group: ['**/virtual-yubikey/**'],
  message:
    'bad layering: the product (native/pcsc, native/piv, native/yubikey, electron/) knows nothing of the emulator (native/virtual-yubikey); only tests, scripts and the emulator itself may import it.',
};
const pcscBindingBan = {
  group: ['pcsclite', '@pokusew/pcsclite', 'smartcard'],
  message: 'Only native/pcsc/smartcard-transport.ts imports the PC/SC binding; use the Transport interface.',
};

// Patterns match the import as written, not the file it resolves to: inside electron/ a folder is named by its own
// name ('**/shell/**' catches '../shell/csp.ts' and '../../electron/shell/csp.ts'); those names are unique in electron/.
// ESLint gives a file the options of the LAST config that sets a rule, so each layer lists all of its bans.
const layer = (files, patterns, paths = [], ignores = []) => ({
  files,
  ...(ignores.length === 0 ? {} : { ignores }),
  rules: { 'no-restricted-imports': ['error', { patterns, paths }] },
});
// A layer whose production files (outside TEST_CODE) are also refused `productionBans`; its tests are not.
const layerAndTests = (files, bans, productionBans, paths = []) => [layer(files, bans, paths), layer(files, [...bans, ...productionBans], paths, TEST_CODE)];

// The native layer's bans; the emulator may be imported by the emulator itself and by tests.
const nativeBans = [
  {
    group: ['**/electron/**', 'electron', 'electron/*'],
    message: 'bad layering: native/ is plain Node and may import only native/ (see style.md, "Who may import whom"). Move app policy to electron/services.',
  },
  {
    group: ['**/renderer/**'],
    message: 'bad layering: native/ may not import the renderer. The renderer talks to the main process through window.wfa.',
  },
];

// Services run in plain Node below the shells, the CLI and the composition root.
const servicesBans = [
  { group: ['**/main/**', '**/preload/**'], message: 'bad layering: services run in plain Node; they may not import electron/main or preload.' },
  { group: ['**/renderer/**'], message: 'bad layering: services may not import the renderer.' },
  webShellBan,
  { group: ['electron', 'electron/*'], message: 'bad layering: services run without Electron; keep Electron calls in electron/main.' },
  {
    group: ['**/shell/**', '**/cli/**'],
    message:
      'bad layering: services are below the shells and the CLI; they may not import electron/shell or electron/cli. Take what you need as a parameter (the composition root, electron/app, passes it).',
  },
  systemTransportBan,
];

export default tseslint.config(
  { ignores: ['.wfa-run/**', 'node_modules/**', 'build/**', 'dist/**', 'e2e/screenshots/**', 'renderer/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      // Byte parsing under noUncheckedIndexedAccess checks bounds first, then indexes.
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-restricted-imports': ['error', { paths: [ipcBan] }],
    },
  },
  // native/: tests and the emulator; then the product code, which also may not import the emulator; then the one file that imports the binding.
  layer(['native/**'], [...nativeBans, pcscBindingBan]),
  layer(['native/**'], [...nativeBans, pcscBindingBan, emulatorBan], [], ['native/virtual-yubikey/**', ...TEST_CODE]),
  layer(['native/pcsc/smartcard-transport.ts'], [...nativeBans, emulatorBan]),
  layer(
    ['renderer/**'],
    [
      { group: ['**/native/**'], message: 'bad layering: the renderer may not import native/; ask the main process through renderer/src/api.ts (window.wfa).' },
      {
        group: [
          '**/electron/main/**',
          '**/electron/preload/**',
          '**/electron/services/**',
          '**/electron/shell/**',
          '**/electron/web-shell/**',
          '**/electron/cli/**',
          '**/electron/app/**',
        ],
        message:
          'bad layering: the renderer may import from electron/ipc only (the contract and pure shared rules); reach the main process through renderer/src/api.ts.',
      },
      // A regex, not the group 'electron/*': that group also matched relative paths such as ../../electron/ipc/contract.ts.
      { regex: '^electron(/.*)?$', message: 'bad layering: the renderer may not import electron; use renderer/src/api.ts.' },
      {
        group: ['**/electron/ipc/contract.ts'],
        allowTypeImports: true,
        message: 'the renderer imports only types from the contract: its values (the zod schemas) do not belong in the page bundle.',
      },
    ],
    nodeBuiltins.map((name) => ({ name, message: 'bad layering: the renderer runs in a sandboxed page and may not import Node built-ins.' })),
  ),
  // The renderer's page code: browser globals instead of Node's, and window.wfa only through renderer/src/api.ts.
  {
    files: ['renderer/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...Object.fromEntries(Object.keys(globals.node).map((name) => [name, 'off'])), ...globals.browser } },
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[property.name='wfa'][object.name=/^(window|globalThis|self)$/]",
          message: 'Only renderer/src/api.ts touches window.wfa: call wfa() from there (tests install a fake with renderer/src/test/fake-wfa.ts).',
        },
      ],
    },
  },
  { files: ['renderer/src/api.ts', 'renderer/src/test/**'], rules: { 'no-restricted-syntax': 'off' } },
  // The renderer's build tooling runs in Node (Vite's config and plugins), not in the page; so do its
  // Chromium tests (renderer/chromium/), which drive a browser whose page is built from renderer/src/test/chromium/.
  {
    files: ['renderer/vite.config.ts', 'renderer/tooling/**', 'renderer/chromium/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [ipcBan] }] },
  },
  layer(
    ['electron/ipc/**'],
    [
      {
        group: ['**/main/**', '**/preload/**', '**/services/**', '**/app/**', '**/shell/**', '**/cli/**'],
        message: 'bad layering: the IPC contract may import only native types and electron/ipc.',
      },
      { group: ['**/renderer/**'], message: 'bad layering: the IPC contract may not import the renderer.' },
      webShellBan,
      { group: ['electron'], message: 'bad layering: the IPC contract is shared with the renderer and may not import electron.' },
      {
        group: ['**/native/**'],
        allowTypeImports: true,
        message: 'bad layering: the IPC contract may import only types from native/ (it is bundled into the renderer).',
      },
    ],
    nodeBuiltins.map((name) => ({ name, message: 'bad layering: electron/ipc is bundled into the renderer and may not import Node built-ins.' })),
  ),
  // Services' tests may drive the whole app through the composition root's fixture (electron/app/test-support) and use the emulator.
  ...layerAndTests(['electron/services/**'], servicesBans, [appRootBan, emulatorBan]),
  // The composition root: everything below the shells and the CLI, nothing above.
  ...layerAndTests(
    ['electron/app/**'],
    [
      {
        group: ['**/main/**', '**/preload/**', '**/shell/**', '**/cli/**'],
        message: 'bad layering: electron/app is below the shells and the CLI; they call it, it does not call them.',
      },
      {
        group: ['electron', 'electron/*'],
        message: 'bad layering: the composition root runs without Electron (the web shell and the CLI use it too); keep Electron calls in electron/main.',
      },
      { group: ['**/renderer/**'], message: 'bad layering: the composition root may not import the renderer.' },
      webShellBan,
    ],
    [emulatorBan],
  ),
  ...layerAndTests(
    ['electron/main/**'],
    [
      { group: ['**/renderer/**'], message: 'bad layering: the main process may not import the renderer; use the IPC contract.' },
      webShellBan,
      systemTransportBan,
    ],
    [emulatorBan],
    [ipcBan],
  ),
  layer(
    ['electron/preload/**'],
    [
      { group: ['**/renderer/**'], message: 'bad layering: the preload may not import the renderer; use the IPC contract.' },
      webShellBan,
      appRootBan,
      systemTransportBan,
      emulatorBan,
    ],
    [ipcBan],
  ),
  // electron/shell: plain-Node code both shells run (CSP, static files, safe dispatch, clock watcher, placeholder page).
  layer(
    ['electron/shell/**'],
    [
      {
        group: ['**/main/**', '**/preload/**'],
        message: 'bad layering: electron/shell is plain Node, shared by both shells; Electron-only code lives in electron/main.',
      },
      { group: ['electron', 'electron/*'], message: 'bad layering: electron/shell runs without Electron; keep Electron calls in electron/main.' },
      { group: ['**/renderer/**'], message: 'bad layering: electron/shell may not import the renderer.' },
      webShellBan,
      appRootBan,
      systemTransportBan,
      emulatorBan,
    ],
  ),
  layer(
    ['electron/web-shell/**'],
    [
      {
        group: ['**/main/**', '**/preload/**'],
        message: 'bad layering: the web shell runs in plain Node; share code through electron/shell, not electron/main.',
      },
      { group: ['electron', 'electron/*'], message: 'bad layering: the web shell runs without Electron.' },
      { group: ['**/renderer/**'], message: 'bad layering: the web shell serves the built renderer; it does not import it.' },
      systemTransportBan,
    ],
  ),
  // The page side of the web shell's bridge runs in the browser.
  layer(
    ['electron/web-shell/bridge-client.ts', 'electron/web-shell/bridge-protocol.ts'],
    [
      {
        group: ['**/main/**', '**/preload/**', '**/services/**', '**/shell/**', '**/app/**', '**/native/**'],
        message: 'bad layering: the bridge runs in the page; it may import only electron/ipc (types and wfa-api) and bridge-protocol.ts.',
      },
      { group: ['electron', 'electron/*', 'ws', 'zod'], message: 'bad layering: the bridge runs in the page (bundled small): no electron, ws or zod.' },
    ],
    nodeBuiltins.map((name) => ({ name, message: 'bad layering: the bridge runs in the page and may not import Node built-ins.' })),
  ),
  // The CLI: the app's flows from a terminal, started through the composition root like the shells.
  ...layerAndTests(
    ['electron/cli/**'],
    [
      { group: ['**/main/**', '**/preload/**', 'electron', 'electron/*'], message: 'bad layering: the CLI runs in plain Node, without Electron.' },
      { group: ['**/renderer/**'], message: 'bad layering: the CLI may not import the renderer.' },
      webShellBan,
      systemTransportBan,
    ],
    [emulatorBan],
    [ipcBan],
  ),
  // Build, launch and test-running scripts: development tools, not a shell of the app.
  layer(['scripts/**'], [appRootBan], [ipcBan], TEST_CODE),
  // A rule of its own (so the layer rules above cannot replace it): production code, the product's folders (native/,
  // electron/, renderer/) outside TEST_CODE, never imports test code. scripts/ is build, demo and test tooling and may
  // (make-rsa-key-pool.ts fills the tests' key pool).
  {
    files: ['native/**', 'electron/**', 'renderer/**'],
    ignores: TEST_CODE,
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [testCodeBan] }] },
  },
);
