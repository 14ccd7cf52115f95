import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseReaderConf, vpcdFriendlyName, vpcdPort, vpcdReaderConf, vpcdReaderName } from './reader-conf.ts';

/** /etc/reader.conf.d/vpcd as Debian's vsmartcard-vpcd 3.3 ships it (less the commented Gemalto example). */
const DEBIAN_VPCD = `# Gemalto reader with serial communication
#DEVICENAME        /dev/ttySn[:reader]
#FRIENDLYNAME      "GemPCTwin serial"
FRIENDLYNAME "Virtual PCD"
DEVICENAME   /dev/null:0x8C7B
LIBPATH      /usr/lib/pcsc/drivers/serial/libifdvpcd.so
CHANNELID    0x8C7B
`;

let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function confDir(files: Record<string, string>): string {
  dir = mkdtempSync(join(tmpdir(), 'wfa-reader-conf-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('reader names from pcscd’s reader configuration', () => {
  it('reads Debian’s vpcd entry: the friendly name and port 35963, comments ignored', () => {
    expect(parseReaderConf(DEBIAN_VPCD)).toEqual([
      { friendlyName: 'Virtual PCD', deviceName: '/dev/null:0x8C7B', libPath: '/usr/lib/pcsc/drivers/serial/libifdvpcd.so' },
    ]);
    expect(vpcdPort('/dev/null:0x8C7B')).toBe(35963);
    expect(vpcdPort('/dev/null:35963')).toBe(35963);
    expect(vpcdPort('/dev/null')).toBeUndefined();
  });

  it('names slots as pcscd does: friendly name, reader 00, slot in two hex digits', () => {
    expect(vpcdReaderName(0)).toBe('Virtual PCD 00 00');
    expect(vpcdReaderName(10)).toBe('Virtual PCD 00 0A');
    expect(vpcdReaderName(0, 'Yubico YubiKey OTP+FIDO+CCID')).toBe('Yubico YubiKey OTP+FIDO+CCID 00 00');
  });

  it('finds the vpcd reader’s friendly name among the configuration files, and "Virtual PCD" without one', () => {
    const usb = confDir({
      'a-other': 'FRIENDLYNAME "Some Reader"\nDEVICENAME /dev/ttyS0\nLIBPATH /usr/lib/x.so\n',
      vpcd: vpcdReaderConf('Yubico YubiKey OTP+U2F+CCID'),
    });
    expect(vpcdFriendlyName(35963, usb)).toBe('Yubico YubiKey OTP+U2F+CCID');
    expect(vpcdFriendlyName(40000, usb)).toBe('Virtual PCD');
    expect(vpcdFriendlyName(35963, join(usb, 'missing'))).toBe('Virtual PCD');
    expect(vpcdFriendlyName(35963, confDir({ vpcd: DEBIAN_VPCD }))).toBe('Virtual PCD');
  });

  it('writes a configuration it reads back, and refuses a name that would break the file', () => {
    expect(parseReaderConf(vpcdReaderConf('Yubico YubiKey OTP+FIDO+CCID'))).toEqual([
      { friendlyName: 'Yubico YubiKey OTP+FIDO+CCID', deviceName: '/dev/null:0x8C7B', libPath: '/usr/lib/pcsc/drivers/serial/libifdvpcd.so' },
    ]);
    expect(() => vpcdReaderConf('a "quoted" name')).toThrow(RangeError);
  });
});
