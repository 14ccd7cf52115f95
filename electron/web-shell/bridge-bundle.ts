// The page's bridge script: built with the shell's bundle (scripts/bundle.mjs
// writes build/node/bridge-client.js next to it), else bundled from
// bridge-client.ts when the shell starts from sources (esbuild, a development
// dependency: the web shell is a development tool and never ships). One IIFE,
// no imports left, no eval: it runs under the app's CSP like any other file.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export async function bundleBridgeClient(): Promise<string> {
  const prebuilt = await readFile(join(import.meta.dirname, 'bridge-client.js'), 'utf8').catch(() => null);
  if (prebuilt !== null) return prebuilt;
  const { build } = await import('esbuild');
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
