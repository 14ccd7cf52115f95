// Plugging one virtual YubiKey into a vpcd reader: what `npm run virtual-yubikey`
// does once its arguments are parsed (cli.ts), and what the key host does for
// each key it is asked to plug (key-host.ts). One routine for both, so a key
// plugged by the host is the CLI's key: same state file handling, same vpcd
// link, same READY moment, same --fault-after, same log lines.
import { X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { EXIT, type CliOptions, USAGE, UsageError } from './cli-args.ts';
import { attestationRootDer } from './piv/attestation.ts';
import { createVirtualYubiKey, newCardState, type VirtualYubiKey } from './index.ts';
import { DEFAULT_PROFILE, versionString } from './profiles.ts';
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

/** Milliseconds since the epoch, sub-millisecond: comparable across processes on one machine. */
export const clockMs = (): string => (performance.timeOrigin + performance.now()).toFixed(3);

/** The one line of stdout that says the key is in (a contract: README, "The virtual YubiKey"). */
export function readyLine(readerName: string, card: VirtualYubiKey): string {
  return `READY reader="${readerName}" serial=${card.state.serial} firmware=${versionString(card.profile)}`;
}

/** A line of the key's stderr, naming its reader. */
export function keyLogLine(readerName: string, message: string): string {
  return `virtual-yubikey [${readerName}]: ${message}\n`;
}

/** What the CLI prints and its exit code when a key cannot be plugged in at all; undefined for any other error. */
export function startFailure(error: unknown): { readonly code: number; readonly stderr: string } | undefined {
  if (error instanceof UsageError) return { code: EXIT.USAGE, stderr: `virtual-yubikey: ${error.message}\n${USAGE}\n` };
  if (error instanceof StateFileError) return { code: EXIT.ERROR, stderr: `virtual-yubikey: ${error.message}\n(the file was left as it is)\n` };
  return undefined;
}

export interface PlugInEvents {
  /** A message for the key's stderr (keyLogLine formats it). */
  readonly log: (message: string) => void;
  /** The key is in and clients can see it: print readyLine(). Called once. */
  readonly onReady: (line: string) => void;
  /**
   * The key went out on its own, its vpcd link already closed: EXIT.FAULT at
   * --fault-after, EXIT.ERROR when it cannot go on (its state cannot be saved,
   * no attestation root to export). The CLI exits with `code`.
   */
  readonly onOut: (code: number) => void;
}

export interface PluggedKey {
  /** Pulls the key out (its vpcd connection closed); `why` is logged. Settles once the connection is closed. */
  unplug(why: string): Promise<void>;
}

/** The card to plug in: from --state if that file exists, else new (and saved there). Throws UsageError or StateFileError. */
function openCard(options: CliOptions, log: (m: string) => void, cannotSave: (message: string) => void): VirtualYubiKey {
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
        cannotSave(`cannot save ${stateFile}: ${(error as Error).message}; unplugging`);
      }
    },
  });
}

/** --export-attestation-root: the card's own root (PEM); false when the card has none. */
function exportAttestationRoot(card: VirtualYubiKey, file: string, log: (m: string) => void): boolean {
  const der = attestationRootDer(card.state);
  if (der === undefined) {
    log(`key ${card.state.serial} has no attestation root of its own; cannot write ${file}`);
    return false;
  }
  writeFileSync(file, new X509Certificate(der).toString());
  log(`attestation root written to ${file}`);
  return true;
}

/**
 * Plugs the key `options` describe into its vpcd reader and returns at once;
 * `events.onReady` follows once pcscd has powered the card. Throws
 * UsageError or StateFileError (startFailure) when the key cannot be opened.
 */
export function plugIn(options: CliOptions, events: PlugInEvents): PluggedKey {
  const { log } = events;
  let out = false;
  /** The key goes out on its own: no answer to the APDU in hand, the connection closed. */
  const goOut = (code: number): void => {
    if (out) return;
    out = true;
    // Called only once the link below runs (from an APDU, or the READY timer).
    void link.close();
    events.onOut(code);
  };
  const card = openCard(options, log, (message) => {
    log(message);
    goOut(EXIT.ERROR);
  });
  let poweredUp = false;
  const link = new VpcdLink({
    card,
    port: options.port,
    faultAfter: options.faultAfter,
    log,
    onPoweredUp: () => {
      if (poweredUp) return;
      poweredUp = true;
      // The moment pcscd has the card, on the machine's clock: where a client's latency to see it starts (npm run bench).
      log(`powered up by pcscd (clock ${clockMs()})`);
      setTimeout(() => {
        if (out) return;
        // Written before READY, so that READY means the file is there.
        if (options.exportAttestationRoot !== undefined && !exportAttestationRoot(card, options.exportAttestationRoot, log)) {
          goOut(EXIT.ERROR);
          return;
        }
        events.onReady(readyLine(options.readerName, card));
      }, READY_SETTLE_MS);
    },
    onFault: (apdu) => {
      log(`card pulled out at APDU #${apdu} (--fault-after); exiting with ${EXIT.FAULT}`);
      out = true;
      events.onOut(EXIT.FAULT);
    },
  });
  link.start();
  return {
    unplug: async (why) => {
      out = true;
      log(`${why}: unplugging`);
      await link.close();
      log(`unplugged (clock ${clockMs()})`);
    },
  };
}
