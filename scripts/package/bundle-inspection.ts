// Reads the hardening out of the bundled main process (build/electron/main.cjs
// as packed in app.asar): the window options and the CSP are produced by
// running the bundle's own pure functions (buildWindowOptions,
// contentSecurityPolicy) in a Node vm. Only those declarations are run, never
// the bundle as a whole: the rest needs Electron.
import { runInNewContext } from 'node:vm';

/** The text of a top-level `function NAME(` or `var NAME =` declaration in an esbuild bundle, up to its closing bracket. */
export function topLevelDeclaration(bundle: string, name: string): string {
  const start = new RegExp(`^(?:async )?function ${name}\\(|^var ${name} = `, 'm').exec(bundle);
  if (start === null) throw new Error(`the bundle has no top-level declaration of ${name}`);
  if (start[0].startsWith('var')) return bundle.slice(start.index, closingBracket(bundle, start.index + start[0].length, name) + 1);
  // A function: past its parameter list (which may hold braces of its own), then its body.
  const parametersEnd = closingBracket(bundle, start.index + start[0].length - 1, name);
  return bundle.slice(start.index, closingBracket(bundle, bundle.indexOf('{', parametersEnd), name) + 1);
}

/** The index of the bracket that closes the one at `open`, counting every bracket kind in between. */
function closingBracket(text: string, open: number, name: string): number {
  let depth = 0;
  for (let i = open; i >= 0 && i < text.length; i++) {
    const c = text[i];
    if (c === '{' || c === '[' || c === '(') depth++;
    else if (c === '}' || c === ']' || c === ')') {
      depth--;
      if (depth === 0) return i;
    }
  }
  throw new Error(`the declaration of ${name} in the bundle does not end`);
}

/** Runs the named declarations (in order) in a fresh context and returns the value of `expression`. */
export function evaluateFromBundle(bundle: string, declarations: readonly string[], expression: string): unknown {
  const source = `${declarations.map((name) => topLevelDeclaration(bundle, name)).join(';\n')};\n${expression}`;
  return runInNewContext(source, {}, { timeout: 1000 });
}

export interface BundledHardening {
  readonly windowOptions: unknown;
  /** With no devTools argument: what a caller that forgets it gets. */
  readonly windowOptionsDefault: unknown;
  readonly csp: string;
}

/** buildWindowOptions and the settings table it spreads. */
const WINDOW_OPTIONS = ['HARDENED_WEB_PREFERENCES', 'buildWindowOptions'];

export function bundledHardening(bundle: string): BundledHardening {
  const windowOptions = evaluateFromBundle(
    bundle,
    WINDOW_OPTIONS,
    'JSON.parse(JSON.stringify(buildWindowOptions({ preloadPath: "/app/preload.cjs", devTools: false })))',
  );
  const windowOptionsDefault = evaluateFromBundle(
    bundle,
    WINDOW_OPTIONS,
    'JSON.parse(JSON.stringify(buildWindowOptions({ preloadPath: "/app/preload.cjs" })))',
  );
  const csp = evaluateFromBundle(bundle, ['DIRECTIVES', 'contentSecurityPolicy'], 'contentSecurityPolicy()');
  if (typeof csp !== 'string') throw new Error('the bundled contentSecurityPolicy() did not return a string');
  return { windowOptions, windowOptionsDefault, csp };
}
