// Debug trace of APDUs on stderr, off unless WFA_APDU_TRACE=1. Secrets never
// appear: the data of commands that carry a PIN, PUK or key, and answers that
// carry the PIN-protected management key, are replaced by their length.
import type { Response } from './apdu.ts';

const INS_VERIFY = 0x20;
const INS_CHANGE_REFERENCE = 0x24;
const INS_RESET_RETRY = 0x2c;
const INS_GENERAL_AUTHENTICATE = 0x87;
const INS_GET_DATA = 0xcb;
const INS_PUT_DATA = 0xdb;
const INS_IMPORT_KEY = 0xfe;
const INS_SET_MANAGEMENT_KEY = 0xff;
const KEY_MANAGEMENT = 0x9b;
/** Tag 5C + object id 5FC109 (printed information, where ykman keeps the protected key). */
const PROTECTED_OBJECT = [0x5c, 0x03, 0x5f, 0xc1, 0x09];

let lastCommandWasProtectedRead = false;

function enabled(): boolean {
  return process.env.WFA_APDU_TRACE === '1';
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

function namesProtectedObject(data: Uint8Array): boolean {
  return PROTECTED_OBJECT.every((b, i) => data[i] === b);
}

/** True when the command's data must not be shown. */
export function isSecretCommand(apdu: Uint8Array): boolean {
  const ins = apdu[1];
  const data = apdu.subarray(5);
  switch (ins) {
    case INS_VERIFY:
    case INS_CHANGE_REFERENCE:
    case INS_RESET_RETRY:
    case INS_IMPORT_KEY:
    case INS_SET_MANAGEMENT_KEY:
      return true;
    case INS_GENERAL_AUTHENTICATE:
      return apdu[3] === KEY_MANAGEMENT;
    case INS_PUT_DATA:
      return namesProtectedObject(data);
    default:
      return false;
  }
}

export function redactedCommand(apdu: Uint8Array): string {
  if (apdu.length <= 5 || !isSecretCommand(apdu)) return hex(apdu);
  return `${hex(apdu.subarray(0, 5))}<${apdu.length - 5} bytes redacted>`;
}

export function traceApdu(apdu: Uint8Array, response: Response): void {
  const secretAnswer = (apdu[1] === INS_GET_DATA && namesProtectedObject(apdu.subarray(5))) || (apdu[1] === 0xc0 && lastCommandWasProtectedRead);
  lastCommandWasProtectedRead = secretAnswer;
  if (!enabled()) return;
  const answer = secretAnswer && response.data.length > 0 ? `<${response.data.length} bytes redacted>` : hex(response.data);
  process.stderr.write(`apdu > ${redactedCommand(apdu)}\napdu < ${answer} ${response.sw.toString(16).padStart(4, '0')}\n`);
}
