// CLI secrets on a real terminal (a pty from `script`), through pcscd:
// `wfa key …` prompts for secrets without echoing them, Backspace edits what
// was typed, and Ctrl-C stops the command before anything reaches the key.
import { describe, expect, it } from 'vitest';
import { describeFailure } from '../../scripts/lib/exec.ts';
import { REPO_ROOT } from '../../scripts/lib/paths.ts';
import { DEFAULT_PIN, READER, useVirtualYubiKey } from './harness.ts';
import { jsonOf, wfa } from './native-support.ts';
import { onTerminal } from './terminal-support.ts';

const ENTER = '\r';
const BACKSPACE = '\x7f';
const CTRL_C = '\x03';
const NEW_PIN = '58203917';

const wfaOnTerminal = (args: readonly string[]) => onTerminal(['npm', 'run', '--silent', 'wfa', '--', ...args], { cwd: REPO_ROOT });

async function pinRetries(): Promise<number> {
  const info = await wfa(['key', 'info', '--reader', READER, '--json']);
  expect(info.code, describeFailure(info)).toBe(0);
  return (jsonOf(info) as { pinRetries: number }).pinRetries;
}

describe('wfa key on a terminal, through pcscd (yk5.4.3)', () => {
  useVirtualYubiKey('yk5.4.3', 19_800_001);

  it('change-pin: nothing typed is shown, Backspace corrects a typo, the PIN is changed', async () => {
    const terminal = wfaOnTerminal(['key', 'change-pin', '--reader', READER]);
    await terminal.waitFor('Current PIN: ');
    terminal.type(`1239${BACKSPACE}456${ENTER}`);
    await terminal.waitFor('New PIN: ');
    terminal.type(`5820xy${BACKSPACE}${BACKSPACE}3917${ENTER}`);
    expect(await terminal.exit(), terminal.shown()).toBe(0);
    expect(terminal.shown()).toContain('PIN changed.');
    for (const typed of ['1239', '456', DEFAULT_PIN, '5820', '3917', NEW_PIN, 'xy']) expect(terminal.shown()).not.toContain(typed);
    const verify = await wfa(['key', 'verify-pin', '--reader', READER], { input: `${NEW_PIN}\n` });
    expect(verify.code, describeFailure(verify)).toBe(0);
  }, 120_000);

  it('Ctrl-C at a prompt cancels with exit 130: no PIN try is spent, the PIN is unchanged', async () => {
    const verify = wfaOnTerminal(['key', 'verify-pin', '--reader', READER]);
    await verify.waitFor('PIN: ');
    verify.type(`999999${CTRL_C}`);
    expect(await verify.exit(), verify.shown()).toBe(130);
    expect(verify.shown()).toContain('CANCELLED: Cancelled (Ctrl-C). Nothing was sent to the security key.');

    const change = wfaOnTerminal(['key', 'change-pin', '--reader', READER]);
    await change.waitFor('Current PIN: ');
    change.type(`${DEFAULT_PIN}${ENTER}`);
    await change.waitFor('New PIN: ');
    change.type(`5820${CTRL_C}`);
    expect(await change.exit(), change.shown()).toBe(130);

    expect(await pinRetries()).toBe(3);
    const old = await wfa(['key', 'verify-pin', '--reader', READER], { input: `${DEFAULT_PIN}\n` });
    expect(old.code, describeFailure(old)).toBe(0);
  }, 120_000);
});
