// What the outside world (the vpcd link, in-process tests) sees of a virtual card.
export interface VirtualCard {
  /** ATR the reader reports for this card. */
  readonly atr: Uint8Array;
  /** Contact power-up (vpcd control code 1). Clears all volatile security state. */
  powerOn(): void;
  /** Power-down (vpcd control code 0). */
  powerOff(): void;
  /** Warm reset (vpcd control code 2). Clears all volatile security state. */
  reset(): void;
  /** Answer one command APDU (short or extended) with response data + SW1 SW2. */
  transmit(apdu: Uint8Array): Uint8Array;
}

/**
 * `card` answering through `transmit` instead of its own (which `transmit` may still call): how
 * in-process tests lose an answer or pull the key at a chosen command.
 */
export function withTransmit(card: VirtualCard, transmit: (apdu: Uint8Array) => Uint8Array): VirtualCard {
  return { atr: card.atr, powerOn: () => card.powerOn(), powerOff: () => card.powerOff(), reset: () => card.reset(), transmit };
}
