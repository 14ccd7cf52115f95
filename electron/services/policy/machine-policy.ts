// Where the per-machine organisation policy is, per OS: the place the
// installers write and administrators deploy to (README, "Organisation
// policy"). A policy found here wins over --config and WFA_POLICY: a user
// cannot replace the organisation's policy with their own file.
//   Windows: the registry value HKLM\SOFTWARE\Policies\Workforce Access\PolicyPath
//            (the installers' /POLICY= or WFA_POLICY=, or a GPO), else
//            %ProgramData%\Workforce Access\policy.json
//   macOS:   /Library/Application Support/Workforce Access/policy.json
//   Linux:   /etc/workforce-access/policy.json
import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import { posix, win32 } from 'node:path';

export const POLICY_REGISTRY_KEY = 'HKLM\\SOFTWARE\\Policies\\Workforce Access';
export const POLICY_REGISTRY_VALUE = 'PolicyPath';

/** The fixed per-machine policy file of each OS. */
export function machinePolicyFile(platform: NodeJS.Platform, env: Readonly<Record<string, string | undefined>>): string {
  if (platform === 'win32') return win32.join(env['ProgramData'] ?? env['PROGRAMDATA'] ?? 'C:\\ProgramData', 'Workforce Access', 'policy.json');
  if (platform === 'darwin') return posix.join('/Library', 'Application Support', 'Workforce Access', 'policy.json');
  return posix.join('/etc', 'workforce-access', 'policy.json');
}

/** The data of `value` in the output of `reg query KEY /v VALUE` (REG_SZ, or REG_EXPAND_SZ with %VAR% expanded); null when absent or empty. */
export function parseRegQuery(output: string, value: string, env: Readonly<Record<string, string | undefined>> = {}): string | null {
  for (const line of output.split(/\r?\n/)) {
    const match = /^\s+(\S(?:.*?\S)?)\s{4}(REG_SZ|REG_EXPAND_SZ)\s{4}(.*)$/.exec(line);
    if (match === null || match[1]!.toLowerCase() !== value.toLowerCase()) continue;
    const data = match[2] === 'REG_EXPAND_SZ' ? match[3]!.replace(/%([^%]+)%/g, (all, name: string) => env[name] ?? all) : match[3]!;
    return data.trim() === '' ? null : data.trim();
  }
  return null;
}

/** `reg query` of the policy value in the 64-bit view; null when the key or value is not there. */
export function readPolicyRegistryValue(env: Readonly<Record<string, string | undefined>>): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('reg', ['query', POLICY_REGISTRY_KEY, '/v', POLICY_REGISTRY_VALUE, '/reg:64'], { windowsHide: true, timeout: 10_000 }, (error, stdout) => {
      // reg exits 1 when the key or the value does not exist.
      resolve(error === null ? parseRegQuery(stdout, POLICY_REGISTRY_VALUE, env) : null);
    });
  });
}

export interface MachinePolicyLocation {
  readonly path: string;
  readonly from: 'registry' | 'file';
}

export interface LocateOptions {
  readonly platform?: NodeJS.Platform;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly exists?: (path: string) => Promise<boolean>;
  readonly readRegistry?: (env: Readonly<Record<string, string | undefined>>) => Promise<string | null>;
}

const fileExists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

/**
 * The per-machine policy, or null when this machine has none. A registry
 * value is returned even if its file is missing: the administrator said
 * there is a policy, so the app must not start without it (loadPolicy then
 * reports the missing file) rather than fall back to the user's.
 */
export async function locateMachinePolicy(options: LocateOptions = {}): Promise<MachinePolicyLocation | null> {
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  if (platform === 'win32') {
    const fromRegistry = await (options.readRegistry ?? readPolicyRegistryValue)(env);
    if (fromRegistry !== null) return { path: fromRegistry, from: 'registry' };
  }
  const file = machinePolicyFile(platform, env);
  return (await (options.exists ?? fileExists)(file)) ? { path: file, from: 'file' } : null;
}
