// Entry of the Electron main process (bundled to build/electron/main.mjs, the
// "main" of package.json): the composition root. The services come from the
// same factory the web shell uses.
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
