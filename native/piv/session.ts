// One PIV session on one connected key: select, identity, PIN and PUK.
// Commands are small functions over `send`, as piv-go's yk* functions are.
import { type CardStep, NativeError } from '../errors.ts';
import type { CardConnection } from '../pcsc/transport.ts';
import { type FirmwareVersion, parseVersion, requireFeature, supports } from '../yubikey/version.ts';
import { type ApduFormat, type Command, selectApplication, sendCommand } from './apdu.ts';
import { INS, KEY_REF, OTP_AID, PIV_AID, YUBIKEY_INS } from './constants.ts';
import { padReferences, type Reference, withZeroed } from './secrets.ts';
import { errorFromSw, retriesFromSw, SW_AUTH_METHOD_BLOCKED, SW_OK, type SwContext } from './status-words.ts';
import { decodeTlvs, findTlv } from './tlv.ts';

/** The OTP applet's serial slot, read before firmware 5 (yubico-piv-tool lib/ykpiv.c _ykpiv_get_serial). */
const OTP_SLOT_SERIAL = 0x10;

export interface RetryMetadata {
  readonly isDefault: boolean;
  readonly total: number;
  readonly remaining: number;
}

export class PivSession {
  /** Extended APDUs from firmware 4 (yubikit does the same): one exchange per command. */
  readonly format: ApduFormat;
  private verified = false;
  private managementAuthenticated = false;

  private constructor(
    readonly connection: CardConnection,
    readonly version: FirmwareVersion,
  ) {
    this.format = version.major >= 4 ? 'extended' : 'short';
  }

  /**
   * Selects the PIV applet and reads the firmware version (Yubico GET VERSION),
   * unless the caller already read it from this key (device info): a version
   * is read once per operation and passed along.
   */
  static async open(connection: CardConnection, known?: FirmwareVersion): Promise<PivSession> {
    await selectPiv(connection);
    if (known !== undefined) return new PivSession(connection, known);
    const version = await sendOrThrow(connection, { ins: INS.GET_VERSION, p1: 0, p2: 0 }, 'other', 'read-version');
    return new PivSession(connection, parseVersion(version));
  }

  /** True once VERIFY PIN succeeded in this session (the card keeps it until the applet is selected again or reset). */
  get pinVerified(): boolean {
    return this.verified;
  }

  /** True once the management key authenticated in this session (SET MANAGEMENT KEY keeps it; ykman relies on that too). */
  get managementKeyAuthenticated(): boolean {
    return this.managementAuthenticated;
  }

  /** Called by the mutual authentication when the card proved the key. */
  noteManagementKeyAuthenticated(): void {
    this.managementAuthenticated = true;
  }

  async send(command: Command, context: SwContext, step: CardStep): Promise<Uint8Array> {
    return sendOrThrow(this.connection, command, context, step, this.format);
  }

  /** The serial number: GET SERIAL on 5.x, the OTP applet before (then PIV is selected again). */
  async serial(): Promise<number> {
    if (supports(this.version, 'serialInPiv')) {
      return readSerial(await this.send({ ins: INS.GET_SERIAL, p1: 0, p2: 0 }, 'other', 'read-serial'));
    }
    const otp = await selectApplication(this.connection, OTP_AID);
    if (otp.sw !== SW_OK) throw errorFromSw(otp.sw, 'other', 'select-otp');
    try {
      const serial = await sendOrThrow(this.connection, { ins: YUBIKEY_INS.OTP_REQUEST, p1: OTP_SLOT_SERIAL, p2: 0 }, 'other', 'read-serial');
      return readSerial(serial);
    } finally {
      // Selecting PIV again clears its security state.
      this.verified = false;
      this.managementAuthenticated = false;
      await selectPiv(this.connection);
    }
  }

  /**
   * PIN tries left without spending one: an empty VERIFY answers 63Cx (SP
   * 800-73-4 Part 2 §3.2.1). Null when the PIN is already verified in this
   * session on a key without metadata: the card then does not say.
   */
  async pinRetries(): Promise<number | null> {
    const r = await sendCommand(this.connection, { ins: INS.VERIFY, p1: 0, p2: KEY_REF.PIN });
    if (r.sw === SW_OK) {
      // Already verified in this session: the card does not say how many; metadata does (5.3+).
      if (supports(this.version, 'metadata')) return (await this.referenceMetadata('pin')).remaining;
      return null;
    }
    if (r.sw === SW_AUTH_METHOD_BLOCKED) return 0;
    const retries = retriesFromSw(r.sw);
    if (retries === null) throw errorFromSw(r.sw, 'pin', 'read-pin-tries');
    return retries;
  }

  /** PUK tries left: only GET METADATA tells without spending one (5.3+); null before. */
  async pukRetries(): Promise<number | null> {
    if (!supports(this.version, 'metadata')) return null;
    return (await this.referenceMetadata('puk')).remaining;
  }

  /** GET METADATA for the PIN (80) or PUK (81): default flag and tries (yubikit get_pin_metadata). */
  async referenceMetadata(which: 'pin' | 'puk'): Promise<RetryMetadata> {
    requireFeature(this.version, 'metadata');
    const ref = which === 'pin' ? KEY_REF.PIN : KEY_REF.PUK;
    const tlvs = decodeTlvs(await this.send({ ins: INS.GET_METADATA, p1: 0, p2: ref }, 'other', which === 'pin' ? 'read-pin-details' : 'read-puk-details'));
    const isDefault = findTlv(tlvs, 0x05);
    const retries = findTlv(tlvs, 0x06);
    if (isDefault === undefined || retries === undefined || retries.length !== 2 || isDefault.length !== 1) {
      throw new NativeError('INVALID_RESPONSE', { part: 'pin-details' });
    }
    return { isDefault: isDefault[0] === 1, total: retries[0]!, remaining: retries[1]! };
  }

  /** VERIFY the PIN. Zeroes `pin`. */
  async verifyPin(pin: Uint8Array): Promise<void> {
    this.verified = false;
    await this.sendReferences({ ins: INS.VERIFY, p2: KEY_REF.PIN }, [[pin, 'PIN']], 'pin', 'verify-pin');
    this.verified = true;
  }

  /** CHANGE REFERENCE DATA for the PIN or PUK. Zeroes both inputs. */
  async changeReference(which: 'pin' | 'puk', current: Uint8Array, next: Uint8Array): Promise<void> {
    const what = which === 'pin' ? 'PIN' : 'PUK';
    // The card wants a changed PIN verified again (virtual-yubikey piv/pin.ts).
    if (which === 'pin') this.verified = false;
    const ref = which === 'pin' ? KEY_REF.PIN : KEY_REF.PUK;
    await this.sendReferences(
      { ins: INS.CHANGE_REFERENCE, p2: ref },
      [
        [current, what],
        [next, what],
      ],
      which,
      which === 'pin' ? 'change-pin' : 'change-puk',
    );
  }

  /** RESET RETRY COUNTER: unblocks the PIN with the PUK and sets a new PIN. Zeroes both inputs. */
  async unblockPin(puk: Uint8Array, newPin: Uint8Array): Promise<void> {
    await this.sendReferences(
      { ins: INS.RESET_RETRY, p2: KEY_REF.PIN },
      [
        [puk, 'PUK'],
        [newPin, 'PIN'],
      ],
      'puk',
      'unblock-pin',
    );
  }

  /** Sends the padded references as the command's data; zeroes the inputs and the padded block, whatever happens. */
  private async sendReferences(
    command: { readonly ins: number; readonly p2: number },
    references: readonly Reference[],
    context: SwContext,
    step: CardStep,
  ): Promise<void> {
    await withZeroed(
      references.map(([value]) => value),
      async () => {
        const data = padReferences(...references);
        await withZeroed([data], () => this.send({ ...command, p1: 0, data }, context, step));
      },
    );
  }

  /**
   * SET PIN RETRIES (Yubico): needs the management key and the PIN first, and
   * sets PIN and PUK back to their defaults (ykpiv.h YKPIV_INS_SET_PIN_RETRIES).
   */
  async setRetries(pinTries: number, pukTries: number): Promise<void> {
    for (const n of [pinTries, pukTries]) {
      if (!Number.isInteger(n) || n < 1 || n > 255) throw new NativeError('INVALID_INPUT', { problem: 'tries-range', size: n, limit: 255 });
    }
    await this.send({ ins: INS.SET_PIN_RETRIES, p1: pinTries, p2: pukTries }, 'other', 'set-tries');
  }
}

async function selectPiv(connection: CardConnection): Promise<void> {
  const r = await selectApplication(connection, PIV_AID);
  if (r.sw !== SW_OK) {
    throw new NativeError('NOT_SUPPORTED_BY_FIRMWARE', { feature: 'piv' }, { sw: r.sw });
  }
}

async function sendOrThrow(
  connection: CardConnection,
  command: Command,
  context: SwContext,
  step: CardStep,
  format: ApduFormat = 'short',
): Promise<Uint8Array> {
  const r = await sendCommand(connection, command, format);
  if (r.sw !== SW_OK) throw errorFromSw(r.sw, context, step);
  return r.data;
}

function readSerial(bytes: Uint8Array): number {
  if (bytes.length !== 4) throw new NativeError('INVALID_RESPONSE', { part: 'serial' });
  return ((bytes[0]! << 24) >>> 0) + (bytes[1]! << 16) + (bytes[2]! << 8) + bytes[3]!;
}
