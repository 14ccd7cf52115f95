import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { locateMachinePolicy, machinePolicyFile, parseRegQuery } from './machine-policy.ts';
import { loadPolicy, PolicyError } from './policy-loader.ts';

async function policyFile(content: string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'wfa-machine-policy-')), 'policy.json');
  await writeFile(path, content);
  return path;
}

// What `reg query "HKLM\SOFTWARE\Policies\Workforce Access" /v PolicyPath` prints (CRLF, four-space columns).
const REG_OUTPUT = '\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Workforce Access\r\n    PolicyPath    REG_SZ    \\\\files\\it share\\wfa-policy.json\r\n\r\n';

describe('machinePolicyFile', () => {
  it('is the per-machine place of each OS', () => {
    expect(machinePolicyFile('linux', {})).toBe('/etc/workforce-access/policy.json');
    expect(machinePolicyFile('darwin', {})).toBe('/Library/Application Support/Workforce Access/policy.json');
    expect(machinePolicyFile('win32', { ProgramData: 'D:\\ProgramData' })).toBe('D:\\ProgramData\\Workforce Access\\policy.json');
    expect(machinePolicyFile('win32', {})).toBe('C:\\ProgramData\\Workforce Access\\policy.json');
  });
});

describe('parseRegQuery', () => {
  it('reads the value the installers write, spaces included', () => {
    expect(parseRegQuery(REG_OUTPUT, 'PolicyPath')).toBe('\\\\files\\it share\\wfa-policy.json');
    expect(parseRegQuery(REG_OUTPUT, 'policypath')).toBe('\\\\files\\it share\\wfa-policy.json');
  });

  it('expands a REG_EXPAND_SZ value, and treats an empty or other value as none', () => {
    expect(parseRegQuery('    PolicyPath    REG_EXPAND_SZ    %ProgramData%\\wfa.json\r\n', 'PolicyPath', { ProgramData: 'C:\\ProgramData' })).toBe(
      'C:\\ProgramData\\wfa.json',
    );
    expect(parseRegQuery('    PolicyPath    REG_SZ    \r\n', 'PolicyPath')).toBeNull();
    expect(parseRegQuery('    Other    REG_SZ    x\r\n', 'PolicyPath')).toBeNull();
    expect(parseRegQuery('    PolicyPath    REG_DWORD    0x1\r\n', 'PolicyPath')).toBeNull();
  });
});

describe('locateMachinePolicy', () => {
  const nowhere = (): Promise<boolean> => Promise.resolve(false);

  it('on Windows takes the registry value first, even when its file is missing', async () => {
    expect(await locateMachinePolicy({ platform: 'win32', env: {}, readRegistry: () => Promise.resolve('\\\\files\\wfa.json'), exists: nowhere })).toEqual({
      path: '\\\\files\\wfa.json',
      from: 'registry',
    });
  });

  it('else the fixed file of the OS when it exists, else none', async () => {
    const seen: string[] = [];
    const existsOnly = (target: string) => (path: string) => {
      seen.push(path);
      return Promise.resolve(path === target);
    };
    expect(
      await locateMachinePolicy({
        platform: 'win32',
        env: {},
        readRegistry: () => Promise.resolve(null),
        exists: existsOnly('C:\\ProgramData\\Workforce Access\\policy.json'),
      }),
    ).toEqual({ path: 'C:\\ProgramData\\Workforce Access\\policy.json', from: 'file' });
    expect(await locateMachinePolicy({ platform: 'linux', env: {}, exists: existsOnly('/etc/workforce-access/policy.json') })).toEqual({
      path: '/etc/workforce-access/policy.json',
      from: 'file',
    });
    expect(await locateMachinePolicy({ platform: 'darwin', env: {}, exists: nowhere })).toBeNull();
    // The registry is Windows-only: elsewhere it is never asked.
    expect(await locateMachinePolicy({ platform: 'linux', env: {}, exists: nowhere, readRegistry: () => Promise.reject(new Error('asked')) })).toBeNull();
    expect(seen).toContain('/etc/workforce-access/policy.json');
  });
});

describe('loadPolicy with a per-machine policy', () => {
  it('the machine policy wins over --config and WFA_POLICY, and says which it set aside', async () => {
    const machine = await policyFile('{"certificate":{"validityDays":5}}');
    const user = await policyFile('{"certificate":{"validityDays":50}}');
    const loaded = await loadPolicy({ machinePath: machine, configFlag: user, env: { WFA_POLICY: user } });
    expect(loaded.policy.certificate.validityDays).toBe(5);
    expect(loaded.source).toBe(machine);
    expect(loaded.ignored).toEqual([`--config ${user}`, `WFA_POLICY ${user}`]);
  });

  it('without one, --config and WFA_POLICY apply as before', async () => {
    const user = await policyFile('{"certificate":{"validityDays":50}}');
    const loaded = await loadPolicy({ machinePath: null, configFlag: user, env: {} });
    expect(loaded.policy.certificate.validityDays).toBe(50);
    expect(loaded.ignored).toEqual([]);
  });

  it('a machine policy that is missing or invalid stops the start; the user file is not used instead', async () => {
    const user = await policyFile('{}');
    const missing = await loadPolicy({ machinePath: '/nonexistent/machine-policy.json', configFlag: user }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(PolicyError);
    expect((missing as PolicyError).file).toBe('/nonexistent/machine-policy.json');
    const invalid = await loadPolicy({ machinePath: await policyFile('{"key":{"algorithm":"DSA"}}'), configFlag: user }).catch((e: unknown) => e);
    expect((invalid as PolicyError).problems[0]).toMatch(/^key\.algorithm/);
  });
});
