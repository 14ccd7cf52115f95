// The page's bridge script, bundled from bridge-client.ts when the shell
// starts (esbuild, a development dependency: the web shell is a development
// tool and never ships). One IIFE, no imports left, no eval: it runs under
// the app's CSP like any other file of the app.
import { build } from 'esbuild';
import { join } from 'node:path';

export async function bundleBridgeClient(): Promise<string> {
  const result = await build({
    entryPoints: [join(import.meta.dirname, 'bridge-client.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (output === undefined) throw new Error('esbuild produced no bridge script');
  return output.text;
}
