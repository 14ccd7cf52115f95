// A pairing whose process is killed mid-way is found at the next
// start and finished with the PIN the user chose; the key then signs in.
// Through pcscd, with `wfa pair` as a real process killed by SIGKILL.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { describeFailure } from '../../scripts/lib/exec.ts';
import { bundled } from '../../scripts/lib/bundle.ts';
import { REPO_ROOT } from '../../scripts/lib/paths.ts';
import { untilPcscdSeesCardAgain } from '../../scripts/lib/virtual-key.ts';
import { pivInfo, useVirtualYubiKey } from './harness.ts';
import { jsonOf, wfa } from './native-support.ts';

const NEW_PIN = '48273916';

/** Starts `wfa pair --default-pin` and kills it (SIGKILL) as soon as it reports `step`. */
async function pairKilledAt(step: string, dataDir: string): Promise<string> {
  const program = await bundled('wfa');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...program, 'pair', '--default-pin', '--data-dir', dataDir, '--user', 'carol'], {
      cwd: REPO_ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stdin.end(`${NEW_PIN}\n`);
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      if (stderr.includes(`] ${step}`)) child.kill('SIGKILL');
    });
    child.once('exit', (code, signal) =>
      signal === 'SIGKILL' ? resolve(stderr) : reject(new Error(`wfa pair ended (${String(code)}) before "${step}":\n${stderr}`)),
    );
  });
}

describe('a pairing killed mid-way, through pcscd', () => {
  const key = useVirtualYubiKey('yk5.4.3', 19_700_001);

  it.each(['securing-key', 'creating-key'])('killed at "%s": status shows it unfinished, the next `wfa pair` finishes it with the chosen PIN', async (step) => {
    const dataDir = key.file('data');
    await pairKilledAt(step, dataDir);
    expect(await untilPcscdSeesCardAgain(key.reader), 'pcscd shows the key again after the killed wfa').toBe(true);
    const status = await wfa(['status', '--data-dir', dataDir, '--json']);
    expect(jsonOf(status)).toMatchObject({ pairing: { serial: key.serial, certificate: null, pending: expect.any(String) as unknown } });

    const resumed = await wfa(['pair', '--data-dir', dataDir, '--user', 'carol', '--json'], { input: `${NEW_PIN}\n` });
    expect(resumed.code, describeFailure(resumed)).toBe(0);
    expect(resumed.stderr).toMatch(/was interrupted after .*; finishing it/);
    expect(jsonOf(resumed)).toMatchObject({ serial: key.serial, pending: null, certificate: { subject: 'CN=carol' } });
    expect(await pivInfo()).toContain('Management key is stored on the YubiKey, protected by PIN.');
    const check = await wfa(['check', '--data-dir', dataDir], { input: `${NEW_PIN}\n` });
    expect(check.code, describeFailure(check)).toBe(0);
  });
});

describe('PIN change and de-registration through pcscd', () => {
  const key = useVirtualYubiKey('yk5.4.3', 19_700_002);

  it('wfa change-pin, then check with the new PIN; wfa deregister --yes leaves a factory key that ykman sees as such', async () => {
    const dataDir = key.file('data');
    const pair = await wfa(['pair', '--default-pin', '--data-dir', dataDir, '--user', 'erin'], { input: `${NEW_PIN}\n` });
    expect(pair.code, describeFailure(pair)).toBe(0);
    const changed = await wfa(['change-pin', '--data-dir', dataDir], { input: `${NEW_PIN}\n59173046\n` });
    expect(changed.code, describeFailure(changed)).toBe(0);
    const check = await wfa(['check', '--data-dir', dataDir], { input: '59173046\n' });
    expect(check.code, describeFailure(check)).toBe(0);
    const removed = await wfa(['deregister', '--yes', '--data-dir', dataDir, '--json']);
    expect(removed.code, describeFailure(removed)).toBe(0);
    expect(jsonOf(removed)).toEqual({ revoked: true, warnings: [] });
    const info = await pivInfo();
    expect(info).toContain('WARNING: Using default PIN!');
    expect(info).toContain('WARNING: Using default Management key!');
    expect(info).not.toMatch(/^Slot 9a:/m);
    expect(jsonOf(await wfa(['status', '--data-dir', dataDir, '--json']))).toMatchObject({ pairing: null });
  });
});
