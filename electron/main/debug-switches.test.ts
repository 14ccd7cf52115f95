import { describe, expect, it } from 'vitest';
import { remoteDebuggingSwitch } from './debug-switches.ts';

describe('remoteDebuggingSwitch', () => {
  it('finds the port and pipe switches in every spelling Chromium takes', () => {
    for (const arg of ['--remote-debugging-port=9222', '--remote-debugging-port', '-remote-debugging-port=0', '--remote-debugging-port=']) {
      expect(remoteDebuggingSwitch(['--data-dir', '/tmp/x', arg], 'linux')).toBe('remote-debugging-port');
    }
    expect(remoteDebuggingSwitch(['--remote-debugging-pipe'], 'darwin')).toBe('remote-debugging-pipe');
  });

  it('on Windows also takes "/" and any letter case, as Chromium does there', () => {
    expect(remoteDebuggingSwitch(['/remote-debugging-port=9222'], 'win32')).toBe('remote-debugging-port');
    expect(remoteDebuggingSwitch(['--Remote-Debugging-Port=9222'], 'win32')).toBe('remote-debugging-port');
    // Elsewhere "/…" is a path and switch names are case-sensitive.
    expect(remoteDebuggingSwitch(['/remote-debugging-port=9222', '--Remote-Debugging-Port=1'], 'linux')).toBeNull();
  });

  it('lets an ordinary command line through', () => {
    expect(remoteDebuggingSwitch([], 'linux')).toBeNull();
    expect(remoteDebuggingSwitch(['--config', '/etc/wfa.json', '--at-login', '--remote-debugging-portal'], 'linux')).toBeNull();
    expect(remoteDebuggingSwitch(['--data-dir', '--remote-debugging-port-file'], 'win32')).toBeNull();
  });

  it('ignores what follows a bare "--" (not switches for Chromium either)', () => {
    expect(remoteDebuggingSwitch(['--', '--remote-debugging-port=9222'], 'linux')).toBeNull();
  });
});
