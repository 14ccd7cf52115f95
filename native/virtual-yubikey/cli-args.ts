// Command line of `npm run virtual-yubikey`, parsed apart from cli.ts so that
// it can be tested without starting a card.
import { parseArgs } from 'node:util';
import { DEFAULT_PROFILE, isProfileName, PROFILE_NAMES, type ProfileName } from './profiles.ts';
import { VPCD_FRIENDLY_NAME, vpcdReaderName } from './reader-conf.ts';
import { VPCD_BASE_PORT } from './vpcd-protocol.ts';

export { vpcdReaderName };

/** Exit codes of the virtual-yubikey process. */
export const EXIT = {
  OK: 0,
  /** Could not start: bad state file, cannot save, internal error. */
  ERROR: 1,
  /** Bad command line, or --profile/--serial contradict the --state file. */
  USAGE: 2,
  /** --fault-after fired: the card was pulled out on purpose (restart with the same --state to plug it back). */
  FAULT: 3,
} as const;

export const USAGE = `usage: npm run virtual-yubikey -- --reader N [--profile P] [--serial S] [--state FILE] [--fault-after K]
                                  [--export-attestation-root FILE]

  --reader N        vpcd reader slot: connects to 127.0.0.1:${VPCD_BASE_PORT}+N ("Virtual PCD 00 0N")
  --profile P       firmware profile: ${PROFILE_NAMES.join(', ')} (default ${DEFAULT_PROFILE})
  --serial S        serial number, 1..4294967295 (default: random; new keys only)
  --state FILE      load the key from FILE if it exists, else create it there; saved after every change
  --fault-after K   pull the card out instead of answering the K-th APDU, then exit ${EXIT.FAULT}
  --export-attestation-root FILE
                    when the card is ready, write its own attestation root certificate (PEM) to FILE,
                    for a test or the demo to trust through the policy's attestation.extraRoots
  -h, --help        show this text`;

/** pcscd serves at most 16 readers per driver (PCSCLITE_MAX_READERS_CONTEXTS; ifd-vpcd.c VICC_MAX_SLOTS). */
const MAX_READER = 15;
const MAX_SERIAL = 0xffffffff;

export interface CliOptions {
  readonly reader: number;
  readonly port: number;
  readonly readerName: string;
  /** Undefined when not given: a --state file then decides, else DEFAULT_PROFILE. */
  readonly profile: ProfileName | undefined;
  readonly serial: number | undefined;
  readonly stateFile: string | undefined;
  readonly faultAfter: number | undefined;
  /** Where to write the card's attestation root (PEM) once it is ready. */
  readonly exportAttestationRoot: string | undefined;
}

export type CliCommand = { readonly kind: 'help' } | { readonly kind: 'run'; readonly options: CliOptions };

/** A bad command line; cli.ts prints the message and the usage to stderr and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

function integer(name: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new UsageError(`--${name} must be a whole number, got "${text}"`);
  const value = Number(text);
  if (value < min || value > max) throw new UsageError(`--${name} must be between ${min} and ${max}, got ${text}`);
  return value;
}

const OPTIONS = {
  reader: { type: 'string' },
  profile: { type: 'string' },
  serial: { type: 'string' },
  state: { type: 'string' },
  'fault-after': { type: 'string' },
  'export-attestation-root': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parseOptions(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (error) {
    // node:util's messages name the offending option ("Unknown option '--x'").
    throw new UsageError((error as Error).message);
  }
}

/** `friendlyName`: vpcd's FRIENDLYNAME in pcscd's reader configuration (cli.ts reads it; reader-conf.ts). */
export function parseCliArgs(argv: readonly string[], friendlyName = VPCD_FRIENDLY_NAME): CliCommand {
  const values = parseOptions(argv);
  if (values.help === true) return { kind: 'help' };

  const reader = integer('reader', values.reader, 0, MAX_READER);
  if (reader === undefined) throw new UsageError('--reader N is required');
  const profile = values.profile;
  if (profile !== undefined && !isProfileName(profile)) {
    throw new UsageError(`--profile must be one of ${PROFILE_NAMES.join(', ')}, got "${profile}"`);
  }
  if (values.state === '') throw new UsageError('--state needs a file name');
  if (values['export-attestation-root'] === '') throw new UsageError('--export-attestation-root needs a file name');
  return {
    kind: 'run',
    options: {
      reader,
      port: VPCD_BASE_PORT + reader,
      readerName: vpcdReaderName(reader, friendlyName),
      profile,
      serial: integer('serial', values.serial, 1, MAX_SERIAL),
      stateFile: values.state,
      faultAfter: integer('fault-after', values['fault-after'], 1, Number.MAX_SAFE_INTEGER),
      exportAttestationRoot: values['export-attestation-root'],
    },
  };
}
