// Parsing of command APDUs, short and extended (ISO 7816-4 §5.1). The card
// accepts both forms, as YubiKeys do (yubikit sends extended over USB).
import { CardStatus, SW } from './sw.ts';

export interface CommandApdu {
  readonly cla: number;
  readonly ins: number;
  readonly p1: number;
  readonly p2: number;
  readonly data: Uint8Array;
  /** Maximum response length the host asked for (Ne); 0 when Le is absent. */
  readonly ne: number;
  readonly extended: boolean;
}

export function parseCommandApdu(apdu: Uint8Array): CommandApdu {
  if (apdu.length < 4) throw new CardStatus(SW.WRONG_LENGTH);
  const [cla, ins, p1, p2] = [apdu[0]!, apdu[1]!, apdu[2]!, apdu[3]!];
  const base = { cla, ins, p1, p2 };
  const n = apdu.length;
  if (n === 4) return { ...base, data: new Uint8Array(0), ne: 0, extended: false };
  const b4 = apdu[4]!;
  if (n === 5) return { ...base, data: new Uint8Array(0), ne: b4 === 0 ? 256 : b4, extended: false };
  if (b4 !== 0) {
    // Short case 3 (no Le) or case 4 (Le follows the data).
    if (n === 5 + b4) return { ...base, data: apdu.slice(5, 5 + b4), ne: 0, extended: false };
    if (n === 6 + b4) {
      const le = apdu[5 + b4]!;
      return { ...base, data: apdu.slice(5, 5 + b4), ne: le === 0 ? 256 : le, extended: false };
    }
    throw new CardStatus(SW.WRONG_LENGTH);
  }
  // Extended: 00 then two length bytes.
  if (n < 7) throw new CardStatus(SW.WRONG_LENGTH);
  const len = (apdu[5]! << 8) | apdu[6]!;
  if (n === 7) return { ...base, data: new Uint8Array(0), ne: len === 0 ? 65536 : len, extended: true };
  if (len === 0) throw new CardStatus(SW.WRONG_LENGTH);
  if (n === 7 + len) return { ...base, data: apdu.slice(7, 7 + len), ne: 0, extended: true };
  if (n === 9 + len) {
    const le = (apdu[7 + len]! << 8) | apdu[8 + len]!;
    return { ...base, data: apdu.slice(7, 7 + len), ne: le === 0 ? 65536 : le, extended: true };
  }
  throw new CardStatus(SW.WRONG_LENGTH);
}
