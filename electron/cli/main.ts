// `npm run wfa -- <command> …`: the Workforce Access command line.
import { parseArgs } from 'node:util';
import type { Transport } from '../../native/pcsc/transport.ts';
import { resolveDataDir } from '../services/paths.ts';
import { EXIT_OK, reportFor, UsageError } from './cli-errors.ts';
import { APP_COMMANDS } from './app-commands.ts';
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
  status                   keys, pairing, certificate expiry, days left, reminder stage
  pair [--default-pin]     pair the plugged-in key; stdin: temporary PIN (unless
                           --default-pin, which tries 123456 once), then the new PIN,
                           then the enrollment password if the policy's SCEP CA wants
                           one from the user; an interrupted pairing is finished
                           instead (stdin: your PIN)
  change-pin               stdin: current PIN, new PIN
  deregister --yes         reset the paired key and remove the pairing
  check                    the sign-in check; stdin: PIN
  snooze [--days N]        snooze the renewal reminder (refused 1 day before expiry)
  renew                    renew the paired key's certificate; stdin: PIN (then the
                           enrollment password if the policy's SCEP CA wants one)

Policy commands:
  enroll-test              check a policy's enrollment: the policy, the service,
                           its CA certificates and the pin (nothing is enrolled)

Options:
  --reader NAME            the reader of the key (default: the one key plugged in)
  --config FILE            the organisation policy (default: WFA_POLICY, else built-in)
  --data-dir DIR           the app's data folder (default: WFA_DATA_DIR, else the
                           per-user application data folder)
  --user NAME              the user name for the certificate (default: the OS user)
  --json                   print one JSON object
Exit status: 0 done, 2 usage, 3 an error to act on (its code and a sentence).
`;

export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly secrets: SecretReader;
  readonly transport: () => Promise<Transport>;
  /** Defaults to process.env (WFA_POLICY, WFA_DATA_DIR). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Test-only injections for enroll-test. */
  readonly now?: () => Date;
  readonly fetch?: typeof fetch;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let json = argv.includes('--json');
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        reader: { type: 'string' },
        config: { type: 'string' },
        'data-dir': { type: 'string' },
        user: { type: 'string' },
        'default-pin': { type: 'boolean', default: false },
        days: { type: 'string' },
        json: { type: 'boolean', default: false },
        yes: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    json = values.json;
    if (values.help || positionals.length === 0) {
      io.stdout.write(USAGE);
      return values.help ? EXIT_OK : 2;
    }
    const [group, command, ...rest] = positionals;
    if (group === 'enroll-test') {
      if (command !== undefined) throw new UsageError(`Unexpected argument: ${command}`);
      const env = io.env ?? process.env;
      const dataDir = resolveDataDir({ flag: values['data-dir'], env });
      const outcome = await enrollTest({ config: values.config, dataDir, env, now: io.now, fetch: io.fetch });
      if (json) io.stdout.write(`${JSON.stringify(outcome.json)}\n`);
      else {
        if (outcome.text !== '') io.stdout.write(`${outcome.text}\n`);
        if (outcome.errorText !== undefined) io.stderr.write(`${outcome.errorText}\n`);
      }
      return outcome.exit;
    }
    const appCommand = group === undefined ? undefined : (APP_COMMANDS[group] ?? RENEWAL_COMMANDS[group]);
    if (appCommand !== undefined) {
      if (command !== undefined) throw new UsageError(`Unexpected argument: ${command}`);
      const env = { ...(io.env ?? process.env) };
      const result = await appCommand({
        transport: await io.transport(),
        dataDir: resolveDataDir({ flag: values['data-dir'], env }),
        configPath: values.config,
        env,
        userName: values.user,
        reader: values.reader,
        secrets: io.secrets,
        yes: values.yes,
        defaultPin: values['default-pin'],
        days: snoozeDays(values.days),
        progress: (line) => io.stderr.write(`${line}\n`),
        now: io.now,
      });
      io.stdout.write(json ? `${JSON.stringify(result.json)}\n` : `${result.text}\n`);
      return EXIT_OK;
    }
    if (rest.length > 0) throw new UsageError(`Unexpected argument: ${rest[0]}`);
    if (group !== 'key' || command === undefined) throw new UsageError(`Unknown command: ${positionals.join(' ')}`);
    const run = KEY_COMMANDS[command];
    if (run === undefined) throw new UsageError(`Unknown key command: ${command}`);
    const result = await run({ transport: await io.transport(), reader: values.reader, secrets: io.secrets, yes: values.yes });
    io.stdout.write(json ? `${JSON.stringify(result.json)}\n` : `${result.text}\n`);
    return EXIT_OK;
  } catch (error) {
    const usage = error instanceof TypeError && (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS') === true;
    const { exit, report } = reportFor(usage ? new UsageError(error.message) : error);
    if (json) io.stdout.write(`${JSON.stringify({ error: report })}\n`);
    else io.stderr.write(`${report.code}: ${report.message}${exit === 2 ? `\n\n${USAGE}` : ''}\n`);
    return exit;
  } finally {
    io.secrets.close();
  }
}

/** `--days N`: whole days, 1 to 30 (the limit of the renewal.snooze channel). */
function snoozeDays(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const days = Number(value);
  if (!/^\d+$/.test(value) || days < 1 || days > 30) throw new UsageError(`--days must be a whole number of days from 1 to 30, not "${value}".`);
  return days;
}

async function main(): Promise<void> {
  const { createPcscTransport } = await import('../../native/pcsc/pcsclite-transport.ts');
  const code = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    secrets: secretReader(process.stdin, process.stderr),
    transport: async () => createPcscTransport(),
  });
  process.exitCode = code;
}

if (import.meta.url === `file://${process.argv[1]}`) void main();
