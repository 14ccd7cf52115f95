// Entry of the Electron main process (bundled to build/electron/main.cjs, the
// "main" of package.json). The services come from the composition root
// (electron/app), the same factory the web shell and the CLI use.
import { join } from 'node:path';
import { createAppServices } from '../app/app-services.ts';
import { startElectronApp } from './app.ts';

startElectronApp({
  createServices: createAppServices,
  // esbuild keeps import.meta.dirname: the bundle's own folder, where preload.cjs is built too.
  preloadPath: join(import.meta.dirname, 'preload.cjs'),
  argv: process.argv,
  env: process.env,
}).catch((error: unknown) => {
  console.error(`[wfa] start failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
