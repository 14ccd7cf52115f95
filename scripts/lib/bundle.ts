// The bundles the PC/SC tests start over and over (the virtual YubiKey's key
// host, one per test process, and the `wfa` CLI): the same
// build/node/ bundles `npm run wfa` and `npm run virtual-yubikey` run, made by
// the one bundler, scripts/bundle.mjs. Bundled, a key starts in about 0.2 s
// instead of the 0.65 s `node --import tsx` takes to load its TypeScript.
import { type BUNDLES, buildBundles, bundlePath, bundlesStale } from '../bundle.mjs';

export type BundleName = keyof typeof BUNDLES;

let ready: Promise<void> | undefined;

/** The path of the bundle of `name` (run it with `node PATH ARGS`), all built first when missing or stale; checked once per process. */
export async function bundled(name: BundleName): Promise<string> {
  ready ??= (async () => {
    if (bundlesStale()) await buildBundles();
  })();
  await ready;
  return bundlePath(name);
}
