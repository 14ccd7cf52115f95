import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXIT, parseCliArgs, UsageError, vpcdReaderName } from './cli-args.ts';
import { saveStateFile } from './state-file.ts';
import { factoryPivState } from './state.ts';

function run(argv: string[]) {
  const command = parseCliArgs(argv);
  if (command.kind !== 'run') throw new Error('expected a run command');
  return command.options;
}

describe('parseCliArgs', () => {
  it('needs only --reader; profile, serial, state and fault are left to defaults', () => {
    expect(run(['--reader', '0'])).toEqual({
      reader: 0,
      port: 35963,
      readerName: 'Virtual PCD 00 00',
      profile: undefined,
      serial: undefined,
      stateFile: undefined,
      faultAfter: undefined,
      exportAttestationRoot: undefined,
    });
  });

  it('takes every option, in either --name value or --name=value form', () => {
    expect(
      run([
        '--reader=1',
        '--profile',
        'yk4.3.7',
        '--serial',
        '4294967295',
        '--state',
        'card.json',
        '--fault-after',
        '12',
        '--export-attestation-root',
        'root.pem',
      ]),
    ).toEqual({
      reader: 1,
      port: 35964,
      readerName: 'Virtual PCD 00 01',
      profile: 'yk4.3.7',
      serial: 4294967295,
      stateFile: 'card.json',
      faultAfter: 12,
      exportAttestationRoot: 'root.pem',
    });
  });

  it('answers help to -h and --help', () => {
    expect(parseCliArgs(['-h'])).toEqual({ kind: 'help' });
    expect(parseCliArgs(['--help', '--reader', 'x'])).toEqual({ kind: 'help' });
  });

  it.each([
    [[], /--reader N is required/],
    [['--reader', 'one'], /--reader must be a whole number/],
    [['--reader', '-1'], /reader/],
    [['--reader', '16'], /between 0 and 15/],
    [['--reader', '0', '--profile', 'yk5'], /--profile must be one of yk5.4.3, yk5.7.1, yk4.3.7, yk4.3.4/],
    [['--reader', '0', '--serial', '0'], /--serial must be between 1 and 4294967295/],
    [['--reader', '0', '--serial', '4294967296'], /--serial/],
    [['--reader', '0', '--serial', '12.5'], /whole number/],
    [['--reader', '0', '--fault-after', '0'], /--fault-after must be between 1/],
    [['--reader', '0', '--state', ''], /--state needs a file name/],
    [['--reader', '0', '--export-attestation-root', ''], /--export-attestation-root needs a file name/],
    [['--reader', '0', '--verbose'], /Unknown option '--verbose'/],
    [['--reader', '0', 'extra'], /positional/],
    [['--reader'], /argument missing/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(UsageError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });

  it('names readers as pcscd does for vpcd slots', () => {
    expect(vpcdReaderName(0)).toBe('Virtual PCD 00 00');
    expect(vpcdReaderName(1)).toBe('Virtual PCD 00 01');
    expect(vpcdReaderName(10)).toBe('Virtual PCD 00 0A');
  });
});

// The process itself, for the paths that end before any reader is touched.
const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));
function cli(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('virtual-yubikey process', () => {
  it('usage errors go to stderr with the usage, exit 2, nothing on stdout', () => {
    const r = cli(['--reader', '0', '--profile', 'nope']);
    expect(r.status).toBe(EXIT.USAGE);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/--profile must be one of/);
    expect(r.stderr).toMatch(/usage: npm run virtual-yubikey/);
  }, 30_000);

  it('refuses --profile/--serial that contradict the --state file (exit 2), and a bad file (exit 1), leaving both files as they were', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vyk-cli-'));
    try {
      const good = join(dir, 'good.json');
      saveStateFile(good, factoryPivState('yk5.4.3', 11111111));
      const goodText = readFileSync(good, 'utf8');
      const profile = cli(['--reader', '0', '--state', good, '--profile', 'yk5.7.1']);
      expect(profile.status).toBe(EXIT.USAGE);
      expect(profile.stderr).toMatch(/holds a yk5.4.3 key/);
      const serial = cli(['--reader', '0', '--state', good, '--serial', '22222222']);
      expect(serial.status).toBe(EXIT.USAGE);
      expect(serial.stderr).toMatch(/holds key 11111111/);
      expect(readFileSync(good, 'utf8')).toBe(goodText);

      const bad = join(dir, 'bad.json');
      writeFileSync(bad, '{"header": "not a card"}');
      const r = cli(['--reader', '0', '--state', bad]);
      expect(r.status).toBe(EXIT.ERROR);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`state file ${bad}`);
      expect(r.stderr).toContain('field "header"');
      expect(readFileSync(bad, 'utf8')).toBe('{"header": "not a card"}');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
