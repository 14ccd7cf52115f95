// What every command gets: the parsed flags, the data folder and policy path
// (relative ones resolved against the folder the user ran the command in),
// the key the user asked for, and the way to stdin and progress. A command
// returns a CommandResult; main.ts prints it (text, or one JSON object).
import { isAbsolute, resolve } from 'node:path';
import type { Transport } from '../../native/pcsc/transport.ts';
import type { KeyRequest } from '../services/keys/key-selection.ts';
import { resolveDataDir } from '../services/paths.ts';
import type { SecretReader } from './secrets-input.ts';

/** Flags a command may take besides the global ones (--json, --help, --data-dir, --config). */
export type CommandFlag = 'reader' | 'serial' | 'user' | 'default-pin' | 'yes' | 'other-key' | 'days';

export interface CliContext {
  readonly env: NodeJS.ProcessEnv;
  readonly dataDir: string;
  readonly configPath: string | undefined;
  /** --reader / --serial (key-selection.ts decides with them). */
  readonly key: KeyRequest;
  readonly userName: string | undefined;
  readonly yes: boolean;
  readonly otherKey: boolean;
  readonly defaultPin: boolean;
  /** `wfa snooze --days N`. */
  readonly days?: number | undefined;
  readonly transport: () => Promise<Transport>;
  readonly secrets: SecretReader;
  readonly progress: (line: string) => void;
  readonly now?: (() => Date) | undefined;
  readonly fetch?: typeof fetch | undefined;
}

/** What a command returns: data for --json (always an object) and the sentence for a person. */
export interface CommandResult {
  readonly json: object;
  readonly text: string;
  /** What failed after the key had changed: printed beside the success, never instead of it. */
  readonly warnings?: readonly string[] | undefined;
}

export interface CommandDef {
  readonly flags: readonly CommandFlag[];
  readonly run: (ctx: CliContext) => Promise<CommandResult>;
}

/**
 * The folder the user typed the command in: `npm run` switches to the project
 * folder and keeps the user's in INIT_CWD.
 */
export function userDirectory(env: Readonly<Record<string, string | undefined>>): string {
  const init = env['INIT_CWD'];
  return init !== undefined && init !== '' ? init : process.cwd();
}

/** A path the user gave (flag or environment), absolute against the user's folder. */
export function userPath(path: string | undefined, env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (path === undefined || path === '') return path;
  return isAbsolute(path) ? path : resolve(userDirectory(env), path);
}

export function dataDirFor(flag: string | undefined, env: Readonly<Record<string, string | undefined>>): string {
  return resolveDataDir({ flag: userPath(flag, env), env: { ...env, WFA_DATA_DIR: userPath(env['WFA_DATA_DIR'], env) } });
}

export function configPathFor(flag: string | undefined, env: Readonly<Record<string, string | undefined>>): string | undefined {
  return userPath(flag ?? env['WFA_POLICY'], env);
}
