// The key host answers as the CLI's own process would, for the keys that never
// reach a reader: the same stderr and exit code (the paths that touch no vpcd;
// the interop stage plugs every other key through it).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../native/virtual-yubikey/cli-args.ts';
import { hostKey, type KeyOutput } from './key-host.ts';

function collect(): KeyOutput & { text: () => { stdout: string; stderr: string } } {
  let stdout = '';
  let stderr = '';
  return {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    text: () => ({ stdout, stderr }),
  };
}

describe('key host', () => {
  it('refuses a bad command line and a bad state file as the CLI does (exit 2 and 1, the message on stderr), and goes on serving', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wfa-key-host-'));
    try {
      const usage = collect();
      const first = await hostKey(['--reader', '0', '--profile', 'nope'], usage);
      expect(await first.ended).toBe(`code ${EXIT.USAGE}`);
      expect(first.hasEnded()).toBe(true);
      expect(usage.text().stdout).toBe('');
      expect(usage.text().stderr).toMatch(/--profile must be one of/);
      expect(usage.text().stderr).toMatch(/usage: npm run virtual-yubikey/);

      const bad = join(dir, 'bad.json');
      writeFileSync(bad, '{"header": "not a card"}');
      const output = collect();
      const second = await hostKey(['--reader', '0', '--state', bad], output);
      expect(await second.ended).toBe(`code ${EXIT.ERROR}`);
      expect(output.text().stderr).toContain(`state file ${bad}`);
      expect(output.text().stderr).toContain('(the file was left as it is)');
      // One host for both keys.
      expect(second.label.replace(/key #\d+/, '')).toBe(first.label.replace(/key #\d+/, ''));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
