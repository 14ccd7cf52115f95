// `npm run virtual-yubikey -- --reader N ...`: plugs a virtual YubiKey into
// vpcd reader slot N of pcscd. stdout carries exactly one line, READY, once
// clients can see the card; everything else goes to stderr.
// Ending the process (SIGTERM/SIGINT) unplugs the key; starting it again with
// the same --state file plugs the same key back in.
import { X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { EXIT, parseCliArgs, type CliOptions, USAGE, UsageError } from './cli-args.ts';
import { attestationRootDer } from './piv/attestation.ts';
import { createVirtualYubiKey, newCardState, type VirtualYubiKey } from './index.ts';
import { DEFAULT_PROFILE, versionString } from './profiles.ts';
import { vpcdFriendlyName } from './reader-conf.ts';
import { loadStateFile, saveStateFile, StateFileError } from './state-file.ts';
import { randomSerial } from './state.ts';
import { VpcdLink } from './vpcd-link.ts';

/**
 * After pcscd has powered the card and read its ATR it still has to publish
 * the new reader state to its clients (pcsc-lite eventhandler.c, right after
 * IFDHPowerICC returns). A short pause makes READY mean "SCardConnect will
 * find a card" even for a client that connects the same millisecond.
 */
const READY_SETTLE_MS = 150;

/**
 * `npm run` starts us under `sh -c`, and on SIGTERM npm and sh go away without
 * passing the signal on: the card would stay plugged in with nobody to stop it.
 * So we watch our parent, and unplug when it is gone (we get re-parented).
 */
const PARENT_CHECK_MS = 500;

/** Milliseconds since the epoch, sub-millisecond: comparable across processes on one machine. */
const clockMs = (): string => (performance.timeOrigin + performance.now()).toFixed(3);

function logger(readerName: string): (message: string) => void {
  return (message) => process.stderr.write(`virtual-yubikey [${readerName}]: ${message}\n`);
}

/** The card to plug in: from --state if that file exists, else new (and saved there). */
function openCard(options: CliOptions, log: (m: string) => void): VirtualYubiKey {
  const { stateFile } = options;
  if (stateFile === undefined) {
    return createVirtualYubiKey({ profile: options.profile ?? DEFAULT_PROFILE, serial: options.serial });
  }
  const loaded = loadStateFile(stateFile);
  if (loaded !== null) {
    if (options.profile !== undefined && options.profile !== loaded.profile) {
      throw new UsageError(
        `--profile ${options.profile} contradicts ${stateFile}, which holds a ${loaded.profile} key; leave --profile out to plug that key back in`,
      );
    }
    if (options.serial !== undefined && options.serial !== loaded.serial) {
      throw new UsageError(
        `--serial ${options.serial} contradicts ${stateFile}, which holds key ${loaded.serial}; leave --serial out to plug that key back in`,
      );
    }
    log(`plugging back in key ${loaded.serial} (${loaded.profile}) from ${stateFile}`);
  }
  const state = loaded ?? newCardState(options.profile ?? DEFAULT_PROFILE, options.serial ?? randomSerial());
  if (loaded === null) {
    saveStateFile(stateFile, state);
    log(`new key ${state.serial} (${state.profile}) saved to ${stateFile}`);
  }
  return createVirtualYubiKey({
    state,
    onStateChange: (changed) => {
      try {
        saveStateFile(stateFile, changed);
      } catch (error) {
        // A key that cannot keep its state must not go on answering as if it had.
        log(`cannot save ${stateFile}: ${(error as Error).message}; unplugging`);
        process.exit(EXIT.ERROR);
      }
    },
  });
}

/** --export-attestation-root: the card's own root (PEM), written before READY so that READY means the file is there. */
function exportAttestationRoot(card: VirtualYubiKey, file: string, log: (m: string) => void): void {
  const der = attestationRootDer(card.state);
  if (der === undefined) {
    log(`key ${card.state.serial} has no attestation root of its own; cannot write ${file}`);
    process.exit(EXIT.ERROR);
  }
  writeFileSync(file, new X509Certificate(der).toString());
  log(`attestation root written to ${file}`);
}

function run(options: CliOptions): void {
  const log = logger(options.readerName);
  const card = openCard(options, log);
  let ready = false;
  const link = new VpcdLink({
    card,
    port: options.port,
    faultAfter: options.faultAfter,
    log,
    onPoweredUp: () => {
      if (ready) return;
      ready = true;
      // The moment pcscd has the card, on the machine's clock: where a client's latency to see it starts (npm run bench).
      log(`powered up by pcscd (clock ${clockMs()})`);
      setTimeout(() => {
        if (options.exportAttestationRoot !== undefined) exportAttestationRoot(card, options.exportAttestationRoot, log);
        process.stdout.write(`READY reader="${options.readerName}" serial=${card.state.serial} firmware=${versionString(card.profile)}\n`);
      }, READY_SETTLE_MS);
    },
    onFault: (apdu) => {
      log(`card pulled out at APDU #${apdu} (--fault-after); exiting with ${EXIT.FAULT}`);
      process.exit(EXIT.FAULT);
    },
  });
  const unplug = (signal: NodeJS.Signals): void => {
    log(`${signal}: unplugging`);
    void link.close().then(() => {
      log(`unplugged (clock ${clockMs()})`);
      process.exit(EXIT.OK);
    });
  };
  process.once('SIGTERM', unplug);
  process.once('SIGINT', unplug);
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) {
      log('the process that started us is gone: unplugging');
      void link.close().then(() => process.exit(EXIT.OK));
    }
  }, PARENT_CHECK_MS).unref();
  link.start();
}

function main(argv: readonly string[]): void {
  try {
    // READY names the reader as pcscd shows it: from pcscd's own reader configuration.
    const command = parseCliArgs(argv, vpcdFriendlyName());
    if (command.kind === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return;
    }
    run(command.options);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`virtual-yubikey: ${error.message}\n${USAGE}\n`);
      process.exit(EXIT.USAGE);
    }
    if (error instanceof StateFileError) {
      process.stderr.write(`virtual-yubikey: ${error.message}\n(the file was left as it is)\n`);
      process.exit(EXIT.ERROR);
    }
    throw error;
  }
}

main(process.argv.slice(2));
