// The warm ykman must answer as the installed ykman program does: same output,
// same exit code, for the same arguments (the interop tests rely on it).
import { describe, expect, it } from 'vitest';
import { run } from './exec.ts';
import { runYkman } from './ykman-server.ts';

describe('runYkman', () => {
  it.each([[['--version']], [['nonsense']], [['piv', '--help']]])('answers %j exactly as the installed ykman', async (args) => {
    const [installed, warm] = [await run('ykman', args), await runYkman(args)];
    expect(installed.code).not.toBeNull();
    expect(warm).toEqual(installed);
  });

  it('reports a run that outlasts its timeout as killed, as run() does', async () => {
    expect(await runYkman(['--help'], { timeoutMs: 1 })).toMatchObject({ code: null, signal: 'SIGTERM', stdout: '' });
    // The server goes on serving.
    expect((await runYkman(['--version'])).code).toBe(0);
  });
});
