// `npm run wfa -- <command> …`: the Workforce Access command line.
import { parseArgs } from 'node:util';
import type { Transport } from '../../native/pcsc/transport.ts';
import { EXIT_OK, reportFor, UsageError } from './cli-errors.ts';
import { KEY_COMMANDS } from './key-commands.ts';
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

Options:
  --reader NAME            the reader of the key (default: the one key plugged in)
  --json                   print one JSON object
`;

export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly secrets: SecretReader;
  readonly transport: () => Promise<Transport>;
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
