// Creating a virtual YubiKey in-process: `createVirtualYubiKey().transmit(apdu)`.
import { VirtualYubiKey } from './card.ts';
import { ManagementApplet } from './management-applet.ts';
import { OtpApplet } from './otp-applet.ts';
import { provisionAttestationKey } from './piv/attestation.ts';
import { PivApplet } from './piv/applet.ts';
import { DEFAULT_PROFILE, type ProfileName } from './profiles.ts';
import { type CardState, factoryPivState, randomSerial } from './state.ts';

export interface CreateVirtualYubiKeyOptions {
  readonly profile?: ProfileName;
  readonly serial?: number;
  /** A state loaded from a --state file (plugging the same key back in). */
  readonly state?: CardState;
  readonly onStateChange?: (state: CardState) => void;
}

/** A fresh key in factory state (with its own attestation key), or the given state. */
export function createVirtualYubiKey(options: CreateVirtualYubiKeyOptions = {}): VirtualYubiKey {
  const state = options.state ?? newCardState(options.profile ?? DEFAULT_PROFILE, options.serial ?? randomSerial());
  return new VirtualYubiKey({
    state,
    onStateChange: options.onStateChange,
    applets: [
      ({ state: s, profile, changed }) => new PivApplet(s, profile, changed),
      ({ state: s, profile }) => new ManagementApplet(s, profile),
      ({ state: s, profile }) => new OtpApplet(s, profile),
    ],
  });
}

export function newCardState(profile: ProfileName, serial: number): CardState {
  const state = factoryPivState(profile, serial);
  provisionAttestationKey(state);
  return state;
}

export { VirtualYubiKey } from './card.ts';
export type { VirtualCard } from './card-interface.ts';
export { PROFILES, PROFILE_NAMES, type ProfileName } from './profiles.ts';
export type { CardState } from './state.ts';
