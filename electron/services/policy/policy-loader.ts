// Loads the organisation policy: the per-machine policy (machine-policy.ts) when
// the machine has one, whatever the user passes; else --config, else
// WFA_POLICY, else the per-user settings' copy; no file at all means the
// defaults (local CA). A file
// that fails validation is one error listing every bad field: the app does not
// start half-configured.
import { readFile } from 'node:fs/promises';
import { type Policy, policySchema } from './policy-schema.ts';
import { messageFor } from '../../ipc/error-messages.ts';

export class PolicyError extends Error {
  readonly code = 'POLICY_INVALID';
  constructor(
    readonly file: string | null,
    readonly problems: readonly string[],
  ) {
    super(messageFor('POLICY_INVALID', { file, problems }));
    this.name = 'PolicyError';
  }
}

export const DEFAULT_POLICY: Policy = policySchema.parse({});

/** Validates parsed JSON; every problem names its field. */
export function parsePolicy(raw: unknown, file: string | null = null): Policy {
  const result = policySchema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      const where = path === '' ? '' : `${path}.`;
      return issue.keys.map((k) => `${where}${k}: unknown field`).join('; ');
    }
    return `${path === '' ? '(top level)' : path}: ${issue.message}`;
  });
  throw new PolicyError(file, problems);
}

export interface PolicySources {
  /** The per-machine policy (locateMachinePolicy); when set, the user's sources below are not used. */
  readonly machinePath?: string | null | undefined;
  /** --config FILE */
  readonly configFlag?: string | undefined;
  /** process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The per-user settings' policy path, if one was saved. */
  readonly settingsPath?: string | undefined;
}

export interface LoadedPolicy {
  readonly policy: Policy;
  /** Where it came from; null = built-in defaults. */
  readonly source: string | null;
  /** The user's sources set aside because the machine has a policy (e.g. "--config /x.json"), to be logged. */
  readonly ignored: readonly string[];
}

export async function loadPolicy(sources: PolicySources): Promise<LoadedPolicy> {
  const machine = sources.machinePath ?? undefined;
  const userSources: [string, string | undefined][] = [
    ['--config', sources.configFlag],
    ['WFA_POLICY', sources.env?.WFA_POLICY],
    ['the per-user settings', sources.settingsPath],
  ];
  const ignored =
    machine === undefined
      ? []
      : userSources.filter(([, path]) => path !== undefined && path !== '' && path !== machine).map(([name, path]) => `${name} ${path ?? ''}`);
  const path = machine ?? sources.configFlag ?? sources.env?.WFA_POLICY ?? sources.settingsPath;
  if (path === undefined || path === '') return { policy: DEFAULT_POLICY, source: null, ignored };
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : (e as Error).message;
    throw new PolicyError(path, [`cannot be read: ${reason}`]);
  }
  // A file saved on Windows (Notepad) may start with a UTF-8 byte-order mark; CRLF line ends are JSON whitespace.
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new PolicyError(path, [`is not valid JSON: ${(e as Error).message}`]);
  }
  return { policy: parsePolicy(raw, path), source: path, ignored };
}
