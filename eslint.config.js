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

const layer = (files, patterns, paths = []) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns, paths }] },
});

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
  layer(
    ['native/**'],
    [
      {
        group: ['**/electron/**', 'electron', 'electron/*'],
        message: 'bad layering: native/ is plain Node and may import only native/ (see style.md, "Who may import whom"). Move app policy to electron/services.',
      },
      {
        group: ['**/renderer/**'],
        message: 'bad layering: native/ may not import the renderer. The renderer talks to the main process through window.wfa.',
      },
    ],
  ),
  layer(
    ['native/**/!(pcsclite-transport).ts'],
    [
      { group: ['**/electron/**', 'electron'], message: 'bad layering: native/ may import only native/.' },
      { group: ['**/renderer/**'], message: 'bad layering: native/ may not import the renderer.' },
      { group: ['pcsclite', '@pokusew/pcsclite', 'smartcard'], message: 'Only native/pcsc/pcsclite-transport.ts imports the PC/SC binding; use the Transport interface.' },
    ],
  ),
  layer(
    ['renderer/**'],
    [
      { group: ['**/native/**'], message: 'bad layering: the renderer may not import native/; ask the main process through renderer/src/api.ts (window.wfa).' },
      {
        group: ['**/electron/main/**', '**/electron/preload/**', '**/electron/services/**', '**/electron/shell/**', '**/electron/web-shell/**', '**/electron/cli/**'],
        message: 'bad layering: the renderer may import from electron/ipc only (the contract and pure shared rules); reach the main process through renderer/src/api.ts.',
      },
      // A regex, not the group 'electron/*': that group also matched relative paths such as ../../electron/ipc/contract.ts.
      { regex: '^electron(/.*)?$', message: 'bad layering: the renderer may not import electron; use renderer/src/api.ts.' },
      { group: ['**/electron/ipc/contract.ts'], allowTypeImports: true, message: 'the renderer imports only types from the contract: its values (the zod schemas) do not belong in the page bundle.' },
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
        { selector: "MemberExpression[property.name='wfa'][object.name=/^(window|globalThis|self)$/]", message: 'Only renderer/src/api.ts touches window.wfa: call wfa() from there (tests install a fake with renderer/src/test/fake-wfa.ts).' },
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
      { group: ['**/electron/main/**', '**/electron/preload/**', '**/electron/services/**'], message: 'bad layering: the IPC contract may import only native types and electron/ipc.' },
      { group: ['**/renderer/**'], message: 'bad layering: the IPC contract may not import the renderer.' },
      webShellBan,
      { group: ['electron'], message: 'bad layering: the IPC contract is shared with the renderer and may not import electron.' },
      { group: ['**/native/**'], allowTypeImports: true, message: 'bad layering: the IPC contract may import only types from native/ (it is bundled into the renderer).' },
    ],
    nodeBuiltins.map((name) => ({ name, message: 'bad layering: electron/ipc is bundled into the renderer and may not import Node built-ins.' })),
  ),
  layer(
    ['electron/services/**'],
    [
      { group: ['**/electron/main/**', '**/electron/preload/**'], message: 'bad layering: services run in plain Node; they may not import electron/main or preload.' },
      { group: ['**/renderer/**'], message: 'bad layering: services may not import the renderer.' },
      webShellBan,
      { group: ['electron', 'electron/*'], message: 'bad layering: services run without Electron; keep Electron calls in electron/main.' },
    ],
  ),
  layer(
    ['electron/main/**', 'electron/preload/**'],
    [{ group: ['**/renderer/**'], message: 'bad layering: the main process may not import the renderer; use the IPC contract.' }, webShellBan],
    [ipcBan],
  ),
  // electron/shell: plain-Node code both shells share (event hub, CSP, static files, build and start scripts).
  layer(
    ['electron/shell/**'],
    [
      { group: ['**/electron/main/**', '**/electron/preload/**'], message: 'bad layering: electron/shell is plain Node, shared by both shells; Electron-only code lives in electron/main.' },
      { group: ['electron', 'electron/*'], message: 'bad layering: electron/shell runs without Electron; keep Electron calls in electron/main.' },
      { group: ['**/renderer/**'], message: 'bad layering: electron/shell may not import the renderer.' },
      webShellBan,
    ],
  ),
  layer(
    ['electron/web-shell/**'],
    [
      { group: ['**/electron/main/**', '**/electron/preload/**'], message: 'bad layering: the web shell runs in plain Node; share code through electron/shell, not electron/main.' },
      { group: ['electron', 'electron/*'], message: 'bad layering: the web shell runs without Electron.' },
      { group: ['**/renderer/**'], message: 'bad layering: the web shell serves the built renderer; it does not import it.' },
    ],
  ),
  // The page side of the web shell's bridge runs in the browser.
  layer(
    ['electron/web-shell/bridge-client.ts', 'electron/web-shell/bridge-protocol.ts'],
    [
      { group: ['**/electron/main/**', '**/electron/preload/**', '**/electron/services/**', '**/electron/shell/**', '**/native/**'], message: 'bad layering: the bridge runs in the page; it may import only electron/ipc (types and wfa-api) and bridge-protocol.ts.' },
      { group: ['electron', 'electron/*', 'ws', 'zod'], message: 'bad layering: the bridge runs in the page (bundled small): no electron, ws or zod.' },
    ],
    nodeBuiltins.map((name) => ({ name, message: 'bad layering: the bridge runs in the page and may not import Node built-ins.' })),
  ),
);
