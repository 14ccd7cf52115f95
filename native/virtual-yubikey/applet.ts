import type { CommandApdu } from './command-apdu.ts';

/** One application on the card, chosen by SELECT (ISO 7816-4 §11.2.2). */
export interface Applet {
  /** Full AID; a SELECT naming any prefix of it selects this applet. */
  readonly aid: Uint8Array;
  /** Called on SELECT; returns the response data (SW 9000). Clears the applet's volatile security state. */
  select(): Uint8Array;
  /** Answers one (de-chained) command; returns response data for SW 9000, or throws CardStatus. */
  process(command: CommandApdu): Uint8Array;
  /** Power-off, reset, or another applet selected: forget PIN verification and authentication. */
  clearSecurityState(): void;
}
