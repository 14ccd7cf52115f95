// Types of scripts/bundle.mjs (plain JavaScript: it runs before anything is built).

export declare const NODE_BUILD_DIR: string;
/** Name → entry point. */
export declare const BUNDLES: { readonly wfa: string; readonly web: string; readonly 'virtual-yubikey': string; readonly 'virtual-yubikey-host': string };
/** True when a bundle is missing or a file it was built from changed after the last build. */
export declare function bundlesStale(): boolean;
export declare function bundlePath(name: keyof typeof BUNDLES): string;
export declare function buildBundles(): Promise<void>;
/** Builds when stale, then runs bundle `name` in this process as if it had been started directly with `args`. */
export declare function runBundle(name: keyof typeof BUNDLES, args: readonly string[]): Promise<void>;
