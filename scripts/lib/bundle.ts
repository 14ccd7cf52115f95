// The bundles the PC/SC tests start over and over (the virtual YubiKey's key
// host, one per test process, and the `wfa` CLI): the same
// build/node/ bundles `npm run wfa` and `npm run virtual-yubikey` run, made by
// the one bundler, scripts/bundle.mjs. Bundled, a key starts in about 0.2 s
// instead of the 0.65 s `node --import tsx` takes to load its TypeScript.
import { join } from 'node:path';
import { type BUNDLES, buildBundles, bundlesStale } from '../bundle.mjs';
import { REPO_ROOT } from './paths.ts';

export type BundleName = keyof typeof BUNDLES;

const BUNDLER = join(REPO_ROOT, 'scripts', 'bundle.mjs');

let ready: Promise<void> | undefined;

/** Builds every bundle when missing or stale; checked once per process. */
export async function bundlesBuilt(): Promise<void> {
  ready ??= (async () => {
    if (bundlesStale()) await buildBundles();
  })();
  await ready;
}

/**
 * The arguments to `node` that run bundle `name` (add the program's own
 * after them), all built first when missing or stale. They go through
 * `bundle.mjs run`, as `npm run wfa` does: with the V8 code cache beside the
 * bundle, a `wfa` start costs about 0.25 s of CPU instead of 0.32 s.
 */
export async function bundled(name: BundleName): Promise<string[]> {
  await bundlesBuilt();
  return [BUNDLER, 'run', name];
}
