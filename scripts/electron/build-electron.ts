// `npm run build:electron`: bundles the Electron main process and the preload
// with esbuild into build/electron/ (package.json "main" points at main.cjs).
// The web shell is never part of it: it is not imported from electron/main
// (eslint forbids it), so it cannot end up in the bundle.
import { build, type BuildOptions } from 'esbuild';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
export const ELECTRON_BUILD_DIR = join(ROOT, 'build', 'electron');

const common: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  // Electron 41 runs Chromium 14x and Node 24.
  target: ['node22', 'chrome140'],
  sourcemap: 'linked',
  logLevel: 'warning',
  // Provided by Electron itself at run time.
  external: ['electron'],
};

export async function buildElectron(): Promise<void> {
  await Promise.all([
    build({
      ...common,
      entryPoints: [join(ROOT, 'electron', 'main', 'main.ts')],
      outfile: join(ELECTRON_BUILD_DIR, 'main.cjs'),
      // The PC/SC addon is a native module: loaded from node_modules at run time, never bundled.
      external: ['electron', 'smartcard'],
      // The sources are ESM; in the CommonJS bundle import.meta is rebuilt from the bundle's own file.
      banner: { js: 'const __wfaImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
      define: { 'import.meta.url': '__wfaImportMetaUrl', 'import.meta.dirname': '__dirname' },
    }),
    build({
      ...common,
      entryPoints: [join(ROOT, 'electron', 'preload', 'preload.ts')],
      outfile: join(ELECTRON_BUILD_DIR, 'preload.cjs'),
      // A sandboxed preload may require only 'electron' and a few built-ins: everything else is in the bundle.
      platform: 'browser',
    }),
  ]);
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  buildElectron().then(
    () => console.error(`build: Electron main and preload written to ${ELECTRON_BUILD_DIR}`),
    (error: unknown) => {
      console.error(`build: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
