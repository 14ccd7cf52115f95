// Whether a native addon is N-API only, read from its dynamic symbols with
// binutils' nm, as the README's "PC/SC binding" comparison did: an N-API
// addon exports napi_register_module_v1 and imports napi_* functions only,
// so one build loads in Node and in every Electron; a NAN addon exports
// node_register_module_v<ABI> and imports V8/Node C++ symbols, and must be
// rebuilt for each Electron version.
import { execFileSync } from 'node:child_process';

export interface AddonSymbols {
  readonly file: string;
  readonly napiEntryPoint: boolean;
  readonly nodeEntryPoint: boolean;
  /** Imported V8 (_ZN2v8…) and Node (_ZN4node…) C++ symbols. */
  readonly v8Imports: number;
  readonly napiImports: number;
}

function nm(file: string, which: '--defined-only' | '--undefined-only'): string {
  try {
    return execFileSync('nm', ['-D', which, file], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'nm is not installed (Debian package binutils, part of build-essential)' : (error as Error).message;
    throw new Error(`cannot read the symbols of ${file}: ${reason}`);
  }
}

export function addonSymbols(file: string): AddonSymbols {
  const defined = nm(file, '--defined-only');
  const imported = nm(file, '--undefined-only').split('\n');
  return {
    file,
    napiEntryPoint: /\bnapi_register_module_v1\b/.test(defined),
    nodeEntryPoint: /\bnode_register_module_v\d+\b/.test(defined),
    v8Imports: imported.filter((line) => /\s_ZN(2v8|4node)/.test(line)).length,
    napiImports: imported.filter((line) => /\snapi_/.test(line)).length,
  };
}
