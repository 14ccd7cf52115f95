// APDU framing over a CardConnection: short APDUs with command chaining
// (CLA 10 for all but the last block of data over 255 bytes; ISO 7816-4
// §5.1.1) and response chaining (GET RESPONSE while SW1 = 61; §7.6.1), as
// piv-go's pcsc.go and ykpiv's _ykpiv_transfer_data do; or extended APDUs
// (§5.1: 3-byte Lc, 2-byte Le), one exchange per command, as yubikit sends
// them to every YubiKey from 4.0 (yubikit piv.py PivSession.__init__).
import { NativeError } from '../errors.ts';
import type { CardConnection } from '../pcsc/transport.ts';
import { traceApdu } from './apdu-trace.ts';
import { CLA_CHAIN, INS } from './constants.ts';
import { SW1_MORE_DATA, SW_OK } from './status-words.ts';
import { concatBytes } from './tlv.ts';

const SHORT_MAX = 255;
/** Bound on GET RESPONSE rounds: a card that never stops sending is broken. */
const MAX_RESPONSE_ROUNDS = 256;

export interface Command {
  readonly ins: number;
  readonly p1: number;
  readonly p2: number;
  readonly data?: Uint8Array;
  /** The answer is a secret (a decrypted block, a shared secret): the APDU trace never shows it. */
  readonly secretAnswer?: boolean;
}

/** Short APDUs with chaining (any card), or extended APDUs (YubiKey 4 and 5). */
export type ApduFormat = 'short' | 'extended';

/** Largest command a YubiKey 4/5 takes in one extended APDU (yubikit: max APDU size 3072 from 4.3; ykpiv CB_BUF_MAX). */
const EXTENDED_MAX = 3072;

export interface Response {
  readonly data: Uint8Array;
  readonly sw: number;
}

function splitResponse(raw: Uint8Array): Response {
  if (raw.length < 2) throw new NativeError('INVALID_RESPONSE', { part: 'status-word' });
  return { data: raw.subarray(0, raw.length - 2), sw: (raw[raw.length - 2]! << 8) | raw[raw.length - 1]! };
}

function shortApdu(cla: number, command: Command, data: Uint8Array, withLe: boolean): Uint8Array {
  const header = [cla, command.ins, command.p1, command.p2];
  const body = data.length > 0 ? [data.length, ...data] : [];
  return Uint8Array.from([...header, ...body, ...(withLe ? [0x00] : [])]);
}

async function exchange(conn: CardConnection, apdu: Uint8Array, secretAnswer: boolean): Promise<Response> {
  const raw = await conn.transmit(apdu);
  const response = splitResponse(raw);
  traceApdu(conn, apdu, response, { secretAnswer });
  return response;
}

function extendedApdu(command: Command, data: Uint8Array): Uint8Array {
  const header = [0x00, command.ins, command.p1, command.p2, 0x00];
  // Le 0000: up to 65536 bytes back.
  if (data.length === 0) return Uint8Array.from([...header, 0x00, 0x00]);
  const out = new Uint8Array(header.length + 2 + data.length + 2);
  out.set(header, 0);
  out[5] = data.length >> 8;
  out[6] = data.length & 0xff;
  out.set(data, 7);
  return out;
}

/** Sends one logical command; returns the whole response data and the final SW. */
export async function sendCommand(conn: CardConnection, command: Command, format: ApduFormat = 'short'): Promise<Response> {
  const data = command.data ?? new Uint8Array(0);
  const secretAnswer = command.secretAnswer === true;
  if (format === 'extended' && data.length + 9 <= EXTENDED_MAX) {
    return collectResponse(conn, await exchange(conn, extendedApdu(command, data), secretAnswer), secretAnswer);
  }
  let offset = 0;
  let response: Response;
  do {
    const block = data.subarray(offset, offset + SHORT_MAX);
    offset += block.length;
    const last = offset >= data.length;
    response = await exchange(conn, shortApdu(last ? 0x00 : CLA_CHAIN, command, block, last), secretAnswer);
    if (!last && response.sw !== SW_OK) return response;
  } while (offset < data.length);
  return collectResponse(conn, response, secretAnswer);
}

/** SELECT an application by its AID (P1 04: by DF name, ISO 7816-4 §11.2.2); the caller reads the status word. */
export function selectApplication(conn: CardConnection, aid: Uint8Array): Promise<Response> {
  return sendCommand(conn, { ins: INS.SELECT, p1: 0x04, p2: 0x00, data: aid });
}

/** Follows 61xx with GET RESPONSE until the card has sent everything. */
async function collectResponse(conn: CardConnection, first: Response, secretAnswer: boolean): Promise<Response> {
  let response = first;
  const parts: Uint8Array[] = [response.data];
  for (let round = 0; response.sw >> 8 === SW1_MORE_DATA; round++) {
    if (round >= MAX_RESPONSE_ROUNDS) throw new NativeError('INVALID_RESPONSE', { part: 'too-much-data' });
    response = await exchange(conn, Uint8Array.from([0x00, INS.GET_RESPONSE, 0x00, 0x00, 0x00]), secretAnswer);
    parts.push(response.data);
  }
  return { data: concatBytes(...parts), sw: response.sw };
}
