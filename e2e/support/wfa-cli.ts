// The app's command line (`npm run wfa -- …`) for e2e set-up: pairing a key
// before the page opens, so a spec starts at the screen it is about.
import { describeFailure, run } from '../../scripts/lib/exec.ts';
import { REPO_ROOT } from '../../scripts/lib/paths.ts';

/** Pairs the one plugged-in key with the default temporary PIN and `newPin`, into `dataDir` under `configPath`'s policy. */
export async function pairWithCli(dataDir: string, configPath: string, newPin: string): Promise<void> {
  const result = await run('npm', ['run', '--silent', 'wfa', '--', 'pair', '--default-pin', '--data-dir', dataDir, '--config', configPath, '--json'], {
    cwd: REPO_ROOT,
    input: `${newPin}\n`,
    timeoutMs: 120_000,
  });
  if (result.code !== 0) throw new Error(`wfa pair failed:\n${describeFailure(result)}`);
}
