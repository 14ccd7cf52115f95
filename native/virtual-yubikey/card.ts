// A virtual YubiKey: applets behind one contact interface, with ISO 7816-4
// command chaining (CLA bit 10) and response chaining (61xx + GET RESPONSE).
import type { Applet } from './applet.ts';
import type { VirtualCard } from './card-interface.ts';
import { type CommandApdu, parseCommandApdu } from './command-apdu.ts';
import { PROFILES, type Profile } from './profiles.ts';
import type { CardState } from './state.ts';
import { CardStatus, SW, swMoreData } from './sw.ts';
import { cat } from './tlv.ts';

const CLA_CHAINING = 0x10;
const INS_SELECT = 0xa4;
const INS_GET_RESPONSE = 0xc0;
const P1_SELECT_BY_AID = 0x04;
/** Largest response block for a short APDU (ISO 7816-4 §5.1: Ne ≤ 256). */
const SHORT_RESPONSE_MAX = 256;
/** Largest response block for an extended APDU (ISO 7816-4 §5.1: Ne ≤ 65536). */
const EXTENDED_RESPONSE_MAX = 65536;

export interface AppletFactoryInput {
  readonly state: CardState;
  readonly profile: Profile;
  /** Persist the state now. */
  readonly changed: () => void;
}

export type AppletFactory = (input: AppletFactoryInput) => Applet;

export interface VirtualYubiKeyOptions {
  readonly state: CardState;
  readonly applets: readonly AppletFactory[];
  /** Called after every change of `state` (the --state file is written here). */
  readonly onStateChange?: (state: CardState) => void;
}

interface PendingChain {
  readonly ins: number;
  readonly p1: number;
  readonly p2: number;
  readonly parts: Uint8Array[];
}

export class VirtualYubiKey implements VirtualCard {
  readonly profile: Profile;
  readonly state: CardState;
  private readonly applets: readonly Applet[];
  private selected: Applet | null = null;
  private chain: PendingChain | null = null;
  private pendingResponse: Uint8Array | null = null;

  constructor(options: VirtualYubiKeyOptions) {
    this.state = options.state;
    this.profile = PROFILES[options.state.profile];
    const changed = (): void => options.onStateChange?.(this.state);
    this.applets = options.applets.map((make) => make({ state: this.state, profile: this.profile, changed }));
  }

  get atr(): Uint8Array {
    return this.profile.atr;
  }

  powerOn(): void {
    this.clearVolatile();
  }

  powerOff(): void {
    this.clearVolatile();
  }

  reset(): void {
    this.clearVolatile();
  }

  transmit(apdu: Uint8Array): Uint8Array {
    try {
      const command = parseCommandApdu(apdu);
      if (command.ins === INS_GET_RESPONSE && this.pendingResponse !== null) {
        return this.respond(this.pendingResponse, command);
      }
      this.pendingResponse = null;
      const whole = this.dechain(command);
      if (whole === null) return status(SW.OK);
      return this.respond(this.dispatch(whole), whole);
    } catch (error) {
      this.chain = null;
      if (error instanceof CardStatus) return status(error.sw);
      // A bug in a handler must not kill the reader link: answer as a card would.
      console.error('virtual-yubikey: internal error', error);
      return status(SW.NO_PRECISE_DIAGNOSIS);
    }
  }

  private clearVolatile(): void {
    for (const applet of this.applets) applet.clearSecurityState();
    this.selected = null;
    this.chain = null;
    this.pendingResponse = null;
  }

  /** Collects chained blocks; returns the whole command once the last block arrives. */
  private dechain(command: CommandApdu): CommandApdu | null {
    const chaining = (command.cla & CLA_CHAINING) !== 0;
    const cla = command.cla & ~CLA_CHAINING;
    if (cla !== 0x00) throw new CardStatus(SW.CLA_NOT_SUPPORTED);
    const previous = this.chain;
    if (previous !== null && (previous.ins !== command.ins || previous.p1 !== command.p1 || previous.p2 !== command.p2)) {
      this.chain = null;
      throw new CardStatus(SW.CONDITIONS_NOT_SATISFIED);
    }
    if (chaining) {
      this.chain = previous ?? { ins: command.ins, p1: command.p1, p2: command.p2, parts: [] };
      this.chain.parts.push(command.data);
      return null;
    }
    this.chain = null;
    if (previous === null) return { ...command, cla };
    return { ...command, cla, data: cat(...previous.parts, command.data) };
  }

  private dispatch(command: CommandApdu): Uint8Array {
    if (command.ins === INS_SELECT && command.p1 === P1_SELECT_BY_AID) return this.select(command.data);
    if (this.selected === null) throw new CardStatus(SW.CONDITIONS_NOT_SATISFIED);
    return this.selected.process(command);
  }

  private select(aid: Uint8Array): Uint8Array {
    const applet = this.applets.find((a) => aid.length >= 5 && startsWith(a.aid, aid));
    if (applet === undefined) throw new CardStatus(SW.FILE_NOT_FOUND);
    if (this.selected !== null && this.selected !== applet) this.selected.clearSecurityState();
    this.selected = applet;
    return applet.select();
  }

  /** Sends as much as the host may take; the rest waits for GET RESPONSE (61xx). */
  private respond(data: Uint8Array, command: CommandApdu): Uint8Array {
    const max = command.extended ? command.ne || EXTENDED_RESPONSE_MAX : SHORT_RESPONSE_MAX;
    if (data.length <= max) {
      this.pendingResponse = null;
      return withStatus(data, SW.OK);
    }
    const rest = data.slice(max);
    this.pendingResponse = rest;
    return withStatus(data.slice(0, max), swMoreData(rest.length));
  }
}

function status(sw: number): Uint8Array {
  return Uint8Array.from([sw >> 8, sw & 0xff]);
}

function withStatus(data: Uint8Array, sw: number): Uint8Array {
  const out = new Uint8Array(data.length + 2);
  out.set(data);
  out[data.length] = sw >> 8;
  out[data.length + 1] = sw & 0xff;
  return out;
}

function startsWith(full: Uint8Array, prefix: Uint8Array): boolean {
  if (prefix.length > full.length) return false;
  return prefix.every((b, i) => full[i] === b);
}
