// Debug trace of APDUs on stderr, off unless WFA_APDU_TRACE=1. Secrets never
// appear: the data of commands that carry a PIN, PUK or key, and answers that
// carry key material (the PIN-protected management key, the management key
// authentication exchange, a decrypted block, an ECDH result), are replaced
// by their length. What carries over from one APDU to the next (a chained
// secret command, an answer continued by GET RESPONSE) is kept per connection.
import type { CardConnection } from '../pcsc/transport.ts';
import type { Response } from './apdu.ts';
import { AUTH_TAG, CLA_CHAIN, INS, KEY_REF, OBJECT_ID, OBJECT_TAG } from './constants.ts';
import { decodeTemplate, findTlv } from './tlv.ts';

/** Tag 5C + object id 5FC109 (printed information, where ykman keeps the protected key). */
const PROTECTED_OBJECT = [OBJECT_TAG.ID, 0x03, OBJECT_ID.PRINTED >> 16, (OBJECT_ID.PRINTED >> 8) & 0xff, OBJECT_ID.PRINTED & 0xff];

/** What the trace remembers between APDUs of one connection: a chained secret command goes on, an answer goes on in GET RESPONSE. */
interface TraceState {
  chainedSecretIns: number | null;
  answerIsSecret: boolean;
}

const states = new WeakMap<CardConnection, TraceState>();

function stateOf(connection: CardConnection): TraceState {
  let state = states.get(connection);
  if (state === undefined) {
    state = { chainedSecretIns: null, answerIsSecret: false };
    states.set(connection, state);
  }
  return state;
}

/** What the caller knows that the bytes do not say: an RSA decryption looks like a signature on the wire. */
export interface TraceHints {
  /** The answer is a secret (a decrypted block, a shared secret), in this APDU and any GET RESPONSE after it. */
  readonly secretAnswer?: boolean;
}

function enabled(): boolean {
  return process.env.WFA_APDU_TRACE === '1';
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** Header length and command data, for short (Lc in byte 4) and extended APDUs (00 and a 2-byte Lc). */
function commandParts(apdu: Uint8Array): { readonly header: number; readonly data: Uint8Array } {
  if (apdu.length > 7 && apdu[4] === 0) return { header: 7, data: apdu.subarray(7, 7 + ((apdu[5]! << 8) | apdu[6]!)) };
  if (apdu.length > 5) return { header: 5, data: apdu.subarray(5, 5 + apdu[4]!) };
  return { header: apdu.length, data: new Uint8Array(0) };
}

function namesProtectedObject(data: Uint8Array): boolean {
  return PROTECTED_OBJECT.every((b, i) => data[i] === b);
}

/** True when the command's data must not be shown (on its own; see traceApdu for chained blocks). */
function isSecretCommand(apdu: Uint8Array): boolean {
  const ins = apdu[1];
  const { data } = commandParts(apdu);
  switch (ins) {
    case INS.VERIFY:
    case INS.CHANGE_REFERENCE:
    case INS.RESET_RETRY:
    case INS.IMPORT_KEY:
    case INS.SET_MGMKEY:
      return true;
    case INS.AUTHENTICATE:
      return apdu[3] === KEY_REF.MANAGEMENT;
    case INS.PUT_DATA:
      return namesProtectedObject(data);
    default:
      return false;
  }
}

/** True when the card's answer to this command carries key material. */
function isSecretAnswer(apdu: Uint8Array): boolean {
  const ins = apdu[1];
  const { data } = commandParts(apdu);
  if (ins === INS.GET_DATA) return namesProtectedObject(data);
  if (ins !== INS.AUTHENTICATE) return false;
  // Management key authentication: witness and response; ECDH: the shared secret.
  return apdu[3] === KEY_REF.MANAGEMENT || asksForExponentiation(data);
}

function asksForExponentiation(data: Uint8Array): boolean {
  try {
    return findTlv(decodeTemplate(data, AUTH_TAG.TEMPLATE), AUTH_TAG.EXPONENTIATION) !== undefined;
  } catch {
    return false; // not a whole template (a chained block): not ECDH, whose point fits one APDU
  }
}

function redact(apdu: Uint8Array): string {
  const { header } = commandParts(apdu);
  return `${hex(apdu.subarray(0, header))}<${apdu.length - header} bytes redacted>`;
}

/** Traces one exchange on `connection`; the redaction state of other connections is not touched. */
export function traceApdu(connection: CardConnection, apdu: Uint8Array, response: Response, hints: TraceHints = {}): void {
  const state = stateOf(connection);
  const ins = apdu[1] ?? 0;
  // A later block of a chained command (CLA 10) does not name its object again: it is as secret as the first.
  const secretCommand = isSecretCommand(apdu) || state.chainedSecretIns === ins;
  const chained = ((apdu[0] ?? 0) & CLA_CHAIN) !== 0;
  state.chainedSecretIns = chained && secretCommand ? ins : null;
  // GET RESPONSE carries on the answer of the command before it.
  const secretAnswer = hints.secretAnswer === true || (ins === INS.GET_RESPONSE ? state.answerIsSecret : isSecretAnswer(apdu));
  state.answerIsSecret = secretAnswer;
  if (!enabled()) return;
  const command = commandParts(apdu).data.length > 0 && secretCommand ? redact(apdu) : hex(apdu);
  const answer = secretAnswer && response.data.length > 0 ? `<${response.data.length} bytes redacted>` : hex(response.data);
  process.stderr.write(`apdu > ${command}\napdu < ${answer} ${response.sw.toString(16).padStart(4, '0')}\n`);
}
