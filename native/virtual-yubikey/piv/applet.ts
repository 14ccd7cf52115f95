// The PIV applet of the virtual YubiKey: routes each instruction to its handler.
// INS values: NIST SP 800-73-4 Part 2 §3 (card commands) and Yubico's PIV
// extensions (yubico-piv-tool lib/ykpiv.h YKPIV_INS_*).
import type { Applet } from '../applet.ts';
import type { CommandApdu } from '../command-apdu.ts';
import type { Profile } from '../profiles.ts';
import type { CardState } from '../state.ts';
import { CardStatus, SW } from '../sw.ts';
import { newPivSession, type PivContext, type PivHandler } from './context.ts';
import { changeReferenceData, resetPiv, resetRetryCounter, setPinRetries, verify } from './pin.ts';
import { getData, putData } from './objects.ts';
import { authenticateManagementKey, setManagementKey } from './management-key.ts';
import { getMetadata, getSerial, getVersion } from './info.ts';
import { KEY_REF } from './references.ts';
import { attest, generateKeyPair, importKey, moveOrDeleteKey, privateKeyOperation } from './keys.ts';

/** PIV AID (SP 800-73-4 Part 2 §2.2): RID A000000308, PIX 00001000 0100. */
export const PIV_AID = Uint8Array.from([0xa0, 0x00, 0x00, 0x03, 0x08, 0x00, 0x00, 0x10, 0x00, 0x01, 0x00]);

/** Application property template a YubiKey 5 answers to SELECT (piv-yubikey-apdus.md §2). */
const SELECT_RESPONSE = Uint8Array.from([0x61, 0x11, 0x4f, 0x06, 0x00, 0x00, 0x10, 0x00, 0x01, 0x00, 0x79, 0x07, 0x4f, 0x05, 0xa0, 0x00, 0x00, 0x03, 0x08]);

const INS = {
  VERIFY: 0x20,
  CHANGE_REFERENCE_DATA: 0x24,
  RESET_RETRY_COUNTER: 0x2c,
  GENERATE_ASYMMETRIC: 0x47,
  GENERAL_AUTHENTICATE: 0x87,
  GET_DATA: 0xcb,
  PUT_DATA: 0xdb,
  // Yubico extensions (ykpiv.h)
  MOVE_KEY: 0xf6,
  GET_METADATA: 0xf7,
  GET_SERIAL: 0xf8,
  ATTEST: 0xf9,
  SET_PIN_RETRIES: 0xfa,
  RESET: 0xfb,
  GET_VERSION: 0xfd,
  IMPORT_KEY: 0xfe,
  SET_MANAGEMENT_KEY: 0xff,
} as const;

const generalAuthenticate: PivHandler = (command, ctx) =>
  command.p2 === KEY_REF.MANAGEMENT ? authenticateManagementKey(command, ctx) : privateKeyOperation(command, ctx);

const HANDLERS: Readonly<Record<number, PivHandler>> = {
  [INS.VERIFY]: verify,
  [INS.CHANGE_REFERENCE_DATA]: changeReferenceData,
  [INS.RESET_RETRY_COUNTER]: resetRetryCounter,
  [INS.GENERATE_ASYMMETRIC]: generateKeyPair,
  [INS.GENERAL_AUTHENTICATE]: generalAuthenticate,
  [INS.GET_DATA]: getData,
  [INS.PUT_DATA]: putData,
  [INS.MOVE_KEY]: moveOrDeleteKey,
  [INS.GET_METADATA]: getMetadata,
  [INS.GET_SERIAL]: getSerial,
  [INS.ATTEST]: attest,
  [INS.SET_PIN_RETRIES]: setPinRetries,
  [INS.RESET]: resetPiv,
  [INS.GET_VERSION]: getVersion,
  [INS.IMPORT_KEY]: importKey,
  [INS.SET_MANAGEMENT_KEY]: setManagementKey,
};

export class PivApplet implements Applet {
  readonly aid = PIV_AID;
  private readonly ctx: PivContext;

  constructor(state: CardState, profile: Profile, changed: () => void) {
    this.ctx = { state, profile, session: newPivSession(), changed };
  }

  /**
   * SELECT of PIV while PIV is selected leaves the PIN and management key
   * status as they were: NIST SP 800-73-4 Part 2 §3.1.1 ("the PIV Card
   * Application shall continue to be the currently selected card application
   * and the setting of all security status indicators in the PIV Card
   * Application shall be unchanged"); selecting another application sets them
   * to FALSE (same section; card.ts clears the applet it leaves). Yubico's
   * tools rely on this: before 5.4.3 ykpiv drops the PIN by selecting the
   * management application and then PIV again, never by re-selecting PIV
   * alone (yubico-piv-tool lib/ykpiv.c _ykpiv_auth_deauthenticate). A disconnect that leaves the card powered (SCARD_LEAVE_CARD) sends
   * the card nothing, so the status survives it; power-off and reset clear it.
   */
  select(): Uint8Array {
    return SELECT_RESPONSE;
  }

  clearSecurityState(): void {
    Object.assign(this.ctx.session, newPivSession());
  }

  process(command: CommandApdu): Uint8Array {
    const session = this.ctx.session;
    const isVerify = command.ins === INS.VERIFY;
    // PIN policy "always": the VERIFY must come right before the command it
    // authorises, so the flag lives for exactly one following command.
    if (isVerify) session.pinVerifiedForNextCommand = false;
    try {
      const handler = HANDLERS[command.ins];
      if (handler === undefined) throw new CardStatus(SW.INS_NOT_SUPPORTED);
      return handler(command, this.ctx);
    } finally {
      if (!isVerify) session.pinVerifiedForNextCommand = false;
    }
  }
}
