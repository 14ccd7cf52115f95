// What pcscd calls vpcd's readers. pcscd takes a reader's name from its
// reader configuration (/etc/reader.conf.d, FRIENDLYNAME) and appends the
// reader number and the slot in two hex digits each (pcsc-lite
// readerfactory.c RFAddReader: "%s %02X %02X"); vpcd offers one slot per TCP
// port from its DEVICENAME port up. Debian's vsmartcard-vpcd ships
// FRIENDLYNAME "Virtual PCD"; the test rig gives its own pcscd a YubiKey's USB
// name instead (README, "The test rig").
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VPCD_BASE_PORT } from './vpcd-protocol.ts';

export const VPCD_FRIENDLY_NAME = 'Virtual PCD';
export const READER_CONF_DIR = '/etc/reader.conf.d';
/** Debian's vsmartcard-vpcd driver. */
export const VPCD_DRIVER = '/usr/lib/pcsc/drivers/serial/libifdvpcd.so';

/**
 * The name pcscd gives vpcd slot `slot` of a configuration named
 * `friendlyName`, as `pcsc_scan` lists it. The reader number is 00: vpcd is
 * the only reader of the configuration (Debian's, or the rig's).
 */
export function vpcdReaderName(slot: number, friendlyName = VPCD_FRIENDLY_NAME): string {
  return `${friendlyName} 00 ${slot.toString(16).toUpperCase().padStart(2, '0')}`;
}

export interface ReaderConfEntry {
  readonly friendlyName: string;
  readonly deviceName: string;
  readonly libPath: string;
}

/**
 * The readers of one reader.conf file. As pcsc-lite's configfile.l reads it:
 * KEY value pairs, a value optionally in double quotes, # to the end of the
 * line a comment; a reader is complete once it has FRIENDLYNAME, DEVICENAME
 * and LIBPATH.
 */
export function parseReaderConf(text: string): ReaderConfEntry[] {
  const entries: ReaderConfEntry[] = [];
  let current: { friendlyName?: string; deviceName?: string; libPath?: string } = {};
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    const m = /^(\w+)\s+(?:"([^"]*)"|(\S+))/.exec(line);
    if (!m) continue;
    const value = m[2] ?? m[3] ?? '';
    if (m[1] === 'FRIENDLYNAME') current.friendlyName = value;
    else if (m[1] === 'DEVICENAME') current.deviceName = value;
    else if (m[1] === 'LIBPATH') current.libPath = value;
    const { friendlyName, deviceName, libPath } = current;
    if (friendlyName !== undefined && deviceName !== undefined && libPath !== undefined) {
      entries.push({ friendlyName, deviceName, libPath });
      current = {};
    }
  }
  return entries;
}

/** vpcd's first port from DEVICENAME "/dev/null:0x8C7B" (strtoul base 0: hex with 0x, else decimal). */
export function vpcdPort(deviceName: string): number | undefined {
  const text = deviceName.slice(deviceName.lastIndexOf(':') + 1);
  const port = /^0x[0-9a-f]+$/i.test(text) ? parseInt(text, 16) : /^\d+$/.test(text) ? Number(text) : NaN;
  return Number.isInteger(port) ? port : undefined;
}

/**
 * The FRIENDLYNAME of the vpcd reader on `basePort` in pcscd's reader
 * configuration; "Virtual PCD" when the configuration names none (or cannot be read).
 */
export function vpcdFriendlyName(basePort = VPCD_BASE_PORT, dir = READER_CONF_DIR): string {
  let files: string[];
  try {
    files = readdirSync(dir).sort();
  } catch {
    return VPCD_FRIENDLY_NAME;
  }
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(join(dir, file), 'utf8');
    } catch {
      continue;
    }
    const entry = parseReaderConf(text).find((e) => /vpcd/.test(e.libPath) && vpcdPort(e.deviceName) === basePort);
    if (entry) return entry.friendlyName;
  }
  return VPCD_FRIENDLY_NAME;
}

/** A reader configuration with one vpcd reader named `friendlyName` on `basePort` (what the rig writes). */
export function vpcdReaderConf(friendlyName: string, basePort = VPCD_BASE_PORT): string {
  if (/["\n]/.test(friendlyName)) throw new RangeError(`a reader name cannot hold quotes or line breaks: ${JSON.stringify(friendlyName)}`);
  return [`FRIENDLYNAME "${friendlyName}"`, `DEVICENAME   /dev/null:0x${basePort.toString(16).toUpperCase()}`, `LIBPATH      ${VPCD_DRIVER}`, ''].join('\n');
}
