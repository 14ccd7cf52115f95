import type { CommandApdu } from './command-apdu.ts';
import type { Profile } from './profiles.ts';
import type { CardState } from './state.ts';

/** One application on the card, chosen by SELECT (ISO 7816-4 §11.2.2). */
export interface Applet {
  /** Full AID; a SELECT naming any prefix of it selects this applet. */
  readonly aid: Uint8Array;
  /**
   * Called on SELECT; returns the response data (SW 9000). The card clears an
   * applet's security state when another applet is selected, on power-off and
   * on reset; a re-SELECT of the selected applet keeps it (SP 800-73-4 Part 2 §3.1.1).
   */
  select(): Uint8Array;
  /** Answers one (de-chained) command; returns response data for SW 9000, or throws CardStatus. */
  process(command: CommandApdu): Uint8Array;
  /** Power-off, reset, or another applet selected: forget PIN verification and authentication. */
  clearSecurityState(): void;
}

/** An applet that only reads the card's state and profile (management, OTP): it holds no security state to clear. */
export abstract class ReadOnlyApplet implements Applet {
  abstract readonly aid: Uint8Array;

  constructor(
    readonly state: CardState,
    readonly profile: Profile,
  ) {}

  abstract select(): Uint8Array;
  abstract process(command: CommandApdu): Uint8Array;

  clearSecurityState(): void {
    // Nothing volatile: what it answers needs no authentication.
  }
}
