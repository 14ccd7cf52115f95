// A Vite plugin that prints the renderer's JavaScript size after gzip and fails
// the build when it passes the budget (150 KB gzip, so the window shows at once). The figure
// is the sum over every emitted JS chunk, compressed one by one as a server
// would send them.
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

export interface BundleBudgetOptions {
  readonly maxGzipBytes: number;
  /** Where the line goes; the terminal by default. */
  readonly report?: (line: string) => void;
}

export function gzipSize(code: string): number {
  return gzipSync(Buffer.from(code, 'utf8'), { level: 9 }).length;
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

export function bundleBudget({ maxGzipBytes, report = (line) => console.log(line) }: BundleBudgetOptions): Plugin {
  return {
    name: 'wfa-bundle-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      let raw = 0;
      let gzip = 0;
      for (const file of Object.values(bundle)) {
        if (file.type !== 'chunk') continue;
        raw += Buffer.byteLength(file.code, 'utf8');
        gzip += gzipSize(file.code);
      }
      report(`renderer JS: ${kb(raw)} raw, ${kb(gzip)} gzip (budget ${kb(maxGzipBytes)} gzip)`);
      if (gzip > maxGzipBytes) this.error(`the renderer's JavaScript is ${kb(gzip)} gzip, over the ${kb(maxGzipBytes)} budget`);
    },
  };
}
