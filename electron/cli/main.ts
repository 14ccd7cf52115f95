// `npm run wfa -- <command> …`: the Workforce Access command line. Every
// command is a CommandDef in one table (its flags and its run); this file
// parses, checks the flags against the command, builds the context (data
// folder, policy, key choice) and prints the outcome: text, or with --json
// exactly one JSON object on stdout whatever happens (README, "JSON output").
import { parseArgs } from 'node:util';
import type { Transport } from '../../native/pcsc/transport.ts';
import { messageFor } from '../ipc/error-messages.ts';
import { APP_COMMANDS } from './app-commands.ts';
import { type CliContext, type CommandDef, type CommandFlag, type CommandResult, configPathFor, dataDirFor } from './cli-context.ts';
import { CommandFailure, EXIT_OK, EXIT_USAGE, reportFor, UsageError } from './cli-errors.ts';
import { enrollTest } from './enroll-test.ts';
import { KEY_COMMANDS } from './key-commands.ts';
import { RENEWAL_COMMANDS } from './renewal-commands.ts';
import { type SecretReader, secretReader } from './secrets-input.ts';

export const USAGE = `Usage: npm run wfa -- <command> [options]

Key commands (secrets are read from standard input, one per line):
  key list                 every plugged-in key
  key info                 one key: serial, firmware, tries left, management key, certificates
  key verify-pin           stdin: PIN
  key change-pin           stdin: current PIN, new PIN
  key change-puk           stdin: current PUK, new PUK
  key unblock-pin          stdin: PUK, new PIN
  key reset --yes          erase the PIV application of the key

App commands (the flows of the app, on the same services):
  status                   keys, pairing, certificate expiry, days left, reminder
                           stage, and problems to act on
  pair [--default-pin]     pair the plugged-in key; stdin: temporary PIN (unless
                           --default-pin, which tries 123456 once), then the new PIN,
                           then the enrollment password if the policy's SCEP CA wants
                           one from the user; an interrupted pairing is finished
                           instead (stdin: your PIN)
  change-pin               stdin: current PIN, new PIN
  deregister --yes         reset the paired key and remove the pairing
                           (--other-key: reset a key that is not the paired one)
  check                    the sign-in check; stdin: PIN
  snooze [--days N]        snooze the renewal reminder (refused 1 day before expiry)
  renew                    renew the paired key's certificate; stdin: PIN

Policy commands:
  enroll-test              check a policy's enrollment: the policy, the service,
                           its CA certificates and the pin (nothing is enrolled)

Options:
  --reader NAME            the key in this reader
  --serial N               the key with this serial number
                           (default: the paired key, else the one key plugged in)
  --yes                    go ahead: a reset, or spending the last PIN try
  --config FILE            the organisation policy (default: WFA_POLICY, else built-in)
  --data-dir DIR           the app's data folder (default: WFA_DATA_DIR, else the
                           per-user application data folder); relative paths are
                           taken from the folder you ran the command in
  --user NAME              the user name for the certificate (default: the OS user)
  --json                   print exactly one JSON object, also for errors
Exit status: 0 done, 2 usage, 3 an error to act on (its code and a sentence).
`;

export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly secrets: SecretReader;
  readonly transport: () => Promise<Transport>;
  /** Defaults to process.env (WFA_POLICY, WFA_DATA_DIR, INIT_CWD). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Test-only injections for enroll-test. */
  readonly now?: () => Date;
  readonly fetch?: typeof fetch;
}

const ENROLL_TEST: CommandDef = {
  flags: [],
  async run(ctx) {
    const outcome = await enrollTest({ config: ctx.configPath, dataDir: ctx.dataDir, env: ctx.env, now: ctx.now, fetch: ctx.fetch });
    const json = outcome.json as { error?: CommandFailure['report'] };
    if (outcome.exit !== EXIT_OK)
      throw new CommandFailure(
        json.error ?? { code: 'INTERNAL', message: messageFor('INTERNAL', { error: 'enroll-test failed' }) },
        outcome.exit,
        outcome.text,
      );
    return { json, text: outcome.text };
  },
};

/** The command named by the positionals: `status`, `key info`, …; a UsageError says what is wrong. */
function findCommand(positionals: readonly string[]): { name: string; def: CommandDef } {
  const [group, command, ...rest] = positionals;
  if (group === undefined) throw new UsageError('No command given.');
  if (group === 'key') {
    if (command === undefined) throw new UsageError(`"key" needs a key command: ${Object.keys(KEY_COMMANDS).join(', ')}.`);
    const def = KEY_COMMANDS[command];
    if (def === undefined) throw new UsageError(`Unknown key command: ${command}. Key commands: ${Object.keys(KEY_COMMANDS).join(', ')}.`);
    if (rest.length > 0) throw new UsageError(`Unexpected argument: ${rest[0]}`);
    return { name: `key ${command}`, def };
  }
  const def = group === 'enroll-test' ? ENROLL_TEST : (APP_COMMANDS[group] ?? RENEWAL_COMMANDS[group]);
  if (def === undefined) throw new UsageError(`Unknown command: ${group}.`);
  if (command !== undefined) throw new UsageError(`Unexpected argument: ${command}`);
  return { name: group, def };
}

const COMMAND_FLAGS: readonly CommandFlag[] = ['reader', 'serial', 'user', 'default-pin', 'yes', 'other-key', 'days'];

function parseSerial(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,10}$/.test(value) || Number(value) > 0xffffffff) throw new UsageError(`--serial takes the key's serial number (digits), not "${value}".`);
  return Number(value);
}

/** `--days N`: whole days, 1 to 30 (the limit of the renewal.snooze channel). */
function snoozeDays(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const days = Number(value);
  if (!/^\d+$/.test(value) || days < 1 || days > 30) throw new UsageError(`--days must be a whole number of days from 1 to 30, not "${value}".`);
  return days;
}

function print(io: CliIo, json: boolean, result: CommandResult): void {
  const warnings = result.warnings ?? [];
  if (json) {
    io.stdout.write(`${JSON.stringify(warnings.length === 0 ? result.json : { ...result.json, warnings })}\n`);
    return;
  }
  io.stdout.write(`${result.text}\n`);
  for (const w of warnings) io.stderr.write(`Warning: ${w}\n`);
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let json = argv.includes('--json');
  try {
    const { values, positionals, tokens } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      tokens: true,
      options: {
        reader: { type: 'string' },
        serial: { type: 'string' },
        days: { type: 'string' },
        config: { type: 'string' },
        'data-dir': { type: 'string' },
        user: { type: 'string' },
        'default-pin': { type: 'boolean', default: false },
        'other-key': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        yes: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    json = values.json;
    if (values.help) {
      io.stdout.write(json ? `${JSON.stringify({ usage: USAGE })}\n` : USAGE);
      return EXIT_OK;
    }
    const { name, def } = findCommand(positionals);
    for (const token of tokens) {
      if (token.kind !== 'option') continue;
      const flag = token.name as CommandFlag;
      if (COMMAND_FLAGS.includes(flag) && !def.flags.includes(flag)) throw new UsageError(`"${name}" does not take --${flag}.`);
    }
    const env = { ...(io.env ?? process.env) };
    const ctx: CliContext = {
      env,
      dataDir: dataDirFor(values['data-dir'], env),
      configPath: configPathFor(values.config, env),
      key: { reader: values.reader, serial: parseSerial(values.serial) },
      userName: values.user,
      yes: values.yes,
      otherKey: values['other-key'],
      defaultPin: values['default-pin'],
      days: snoozeDays(values.days),
      transport: io.transport,
      secrets: io.secrets,
      progress: (line) => io.stderr.write(`${line}\n`),
      now: io.now,
      fetch: io.fetch,
    };
    print(io, json, await def.run(ctx));
    return EXIT_OK;
  } catch (error) {
    const usage = error instanceof TypeError && (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS') === true;
    const { exit, report } = reportFor(usage ? new UsageError(error.message) : error);
    if (json) io.stdout.write(`${JSON.stringify({ error: report })}\n`);
    else {
      if (error instanceof CommandFailure && error.text !== '') io.stdout.write(`${error.text}\n`);
      io.stderr.write(
        `${report.code}: ${report.message}${report.detail === undefined || report.message.includes(report.detail) ? '' : ` (${report.detail})`}${exit === EXIT_USAGE ? `\n\n${USAGE}` : ''}\n`,
      );
    }
    return exit;
  } finally {
    io.secrets.close();
  }
}

async function main(): Promise<void> {
  const { systemTransport } = await import('../app/app-services.ts');
  const code = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    secrets: secretReader(process.stdin, process.stderr),
    transport: async () => systemTransport(),
  });
  process.exitCode = code;
}

if (import.meta.url === `file://${process.argv[1]}`) void main();
