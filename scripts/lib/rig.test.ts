import { afterEach, describe, expect, it, vi } from 'vitest';
import { fallbackLine, isMountPoint, RIG_ENV, rigCommandLine } from './rig.ts';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('the test rig command line', () => {
  it('runs the command in new mount, network and pid namespaces that die with it', () => {
    vi.stubEnv(RIG_ENV, '');
    const { program, args } = rigCommandLine(['npx', 'vitest', 'run']);
    expect(program).toMatch(/unshare$/);
    expect(args.slice(0, 6)).toEqual(['--mount', '--net', '--pid', '--fork', '--mount-proc', '--kill-child=SIGKILL']);
    // sh -c SETUP sh COMMAND…: the command's words are passed as they are, never through a shell string.
    expect(args.slice(-4)).toEqual(['sh', 'npx', 'vitest', 'run']);
  });

  it('gives the namespace its own pcscd socket folder, reader configuration, loopback and quickack — inside only', () => {
    vi.stubEnv(RIG_ENV, '');
    const setup = rigCommandLine(['true']).args[8] ?? '';
    expect(setup).toContain('mount -t tmpfs -o mode=0755 tmpfs /run/pcscd');
    expect(setup).toContain('mount -t tmpfs -o mode=0755 tmpfs /etc/reader.conf.d');
    expect(setup).toContain('ip link set lo up');
    expect(setup).toContain('ip route replace local 127.0.0.1 dev lo table local proto kernel scope host src 127.0.0.1 quickack 1');
    expect(setup).toContain(`${RIG_ENV}=1 "$@"`);
  });

  it('inside a rig, runs the command as it is (no rig in a rig)', () => {
    vi.stubEnv(RIG_ENV, '1');
    expect(rigCommandLine(['npx', 'vitest'])).toEqual({ program: 'npx', args: ['vitest'] });
  });

  it('says in one line why it falls back and what that costs', () => {
    const line = fallbackLine('not root');
    expect(line).not.toContain('\n');
    expect(line).toMatch(/not available \(not root\).*machine's pcscd.*slower/);
  });

  it('tells a mount point from a plain folder', () => {
    // /proc, not /: in a chroot (scripts/fresh-machine.sh) the root is a folder, not a mount.
    expect(isMountPoint('/proc')).toBe(true);
    expect(isMountPoint('/no/such/folder')).toBe(false);
  });
});
