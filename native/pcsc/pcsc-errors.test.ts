// PC/SC failures become typed errors: by return code, or by the fixed text the
// `smartcard` binding gives instead of the code.
import { describe, expect, it } from 'vitest';
import { pcscCodeOf, pcscError, SCARD } from './pcsc-errors.ts';

describe('pcscError', () => {
  it("reads the code from a number or from the binding's text", () => {
    expect(pcscCodeOf({ code: SCARD.E_SHARING_VIOLATION })).toBe(SCARD.E_SHARING_VIOLATION);
    expect(pcscCodeOf(new Error('Sharing violation'))).toBe(SCARD.E_SHARING_VIOLATION);
    expect(pcscCodeOf(new Error('Transaction failed'))).toBe(SCARD.E_NOT_TRANSACTED);
    expect(pcscCodeOf(new Error('something else'))).toBeUndefined();
  });

  it.each([
    ['Sharing violation', 'READER_IN_USE'],
    ['No smart card present', 'NO_KEY'],
    ['Card was removed', 'CARD_REMOVED'],
    // A key pulled during an APDU: pcscd fails the next transmit with SCARD_E_NOT_TRANSACTED.
    ['Transaction failed', 'CARD_REMOVED'],
    ['PC/SC service not running', 'PCSC_UNAVAILABLE'],
    ['Unknown reader', 'READER_NOT_FOUND'],
  ])('"%s" is %s', (text, code) => {
    expect(pcscError(new Error(text), 'transmit', 'Virtual PCD 00 00').code).toBe(code);
  });

  it('names the reader another program holds, for the words that tell the user what to do', () => {
    const error = pcscError(new Error('Sharing violation'), 'connect', 'Virtual PCD 00 00');
    expect(error).toMatchObject({ code: 'READER_IN_USE', facts: { reader: 'Virtual PCD 00 00' } });
  });
});
