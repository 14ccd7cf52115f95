// The bundle reader on real esbuild output (a small bundle made here) and on
// the shapes it must refuse.
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { evaluateFromBundle, topLevelDeclaration } from './bundle-inspection.ts';

async function bundleOf(source: string): Promise<string> {
  const result = await build({ stdin: { contents: source, loader: 'ts' }, bundle: true, platform: 'node', format: 'cjs', write: false, target: ['node22'] });
  return result.outputFiles[0]!.text;
}

describe('evaluateFromBundle', () => {
  it('runs a bundled function and the table it reads, braces in strings and templates included', async () => {
    const bundle = await bundleOf(`
      const TABLE: readonly (readonly [string, readonly string[]])[] = [['a', ["'x'"]], ['b', ['{y}']]];
      export function render(extra: readonly string[] = []): string {
        return TABLE.map(([k, v]) => \`\${k} \${[...v, ...extra].join(' ')}\`).join('; ');
      }
      export function options({ flag = false }: { flag?: boolean }) { return { nested: { flag }, list: [1, 2] }; }
      console.log(render(), options({}));
    `);
    expect(evaluateFromBundle(bundle, ['TABLE', 'render'], 'render(["z"])')).toBe("a 'x' z; b {y} z");
    expect(JSON.stringify(evaluateFromBundle(bundle, ['options'], 'options({ flag: true })'))).toBe('{"nested":{"flag":true},"list":[1,2]}');
  });

  it('says so when the bundle lacks the declaration', () => {
    expect(() => topLevelDeclaration('var other = 1;', 'buildWindowOptions')).toThrow(/no top-level declaration of buildWindowOptions/);
    expect(() => topLevelDeclaration('function cut() { return {', 'cut')).toThrow(/does not end/);
  });
});
