// What every PIV command handler of the virtual card gets to work with.
import type { CommandApdu } from '../command-apdu.ts';
import type { Profile } from '../profiles.ts';
import type { CardState } from '../state.ts';

/** Volatile security state; gone on power-off, reset or re-SELECT (SP 800-73-4 Part 2 §3.1.1). */
export interface PivSession {
  /** PIN verified (security status for PIN policy "once"). */
  pinVerified: boolean;
  /** PIN verified by the command just before this one (PIN policy "always"). */
  pinVerifiedForNextCommand: boolean;
  /** Management key authenticated (mutual authentication, 9B). */
  managementKeyAuthenticated: boolean;
  /** The witness sent by the card in step 1 of management key authentication, in clear. */
  managementWitness: Uint8Array | null;
}

export interface PivContext {
  readonly state: CardState;
  readonly profile: Profile;
  readonly session: PivSession;
  /** Call after every change to `state`: it is persisted at once (--state FILE). */
  changed(): void;
}

export type PivHandler = (command: CommandApdu, ctx: PivContext) => Uint8Array;

export function newPivSession(): PivSession {
  return {
    pinVerified: false,
    pinVerifiedForNextCommand: false,
    managementKeyAuthenticated: false,
    managementWitness: null,
  };
}
