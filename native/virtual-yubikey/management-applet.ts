// PLACEHOLDER: being written by a helper session; replace entirely.
import type { Applet } from './applet.ts';
import type { Profile } from './profiles.ts';
import type { CardState } from './state.ts';
import { CardStatus, SW } from './sw.ts';
export class ManagementApplet implements Applet {
  readonly aid = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff]);
  constructor(readonly state: CardState, readonly profile: Profile) {}
  select(): Uint8Array { throw new CardStatus(SW.FILE_NOT_FOUND); }
  process(): Uint8Array { throw new CardStatus(SW.INS_NOT_SUPPORTED); }
  clearSecurityState(): void {}
}
