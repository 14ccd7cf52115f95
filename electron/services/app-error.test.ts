// Errors from every layer become AppErrors with the message table's words.
import { describe, expect, it } from 'vitest';
import { NativeError } from '../../native/errors.ts';
import { messageFor } from '../ipc/error-messages.ts';
import { factsOf, ServiceError, toAppError, withContext } from './app-error.ts';
import { StorageError } from './store/storage-error.ts';

describe('errors from every layer take their words from the table', () => {
  it("a NativeError keeps code and facts for logs; its AppError has the table's words and the status word as detail", () => {
    const error = new NativeError('PIN_INCORRECT', { step: 'verify-pin', retries: 2 }, { sw: 0x63c2, retries: 2 });
    expect(error.message).toBe('PIN_INCORRECT (step=verify-pin, retries=2, sw=63C2)');
    expect(toAppError(error)).toEqual({
      code: 'PIN_INCORRECT',
      message: messageFor('PIN_INCORRECT', { step: 'verify-pin', retries: 2 }),
      facts: { step: 'verify-pin', retries: 2 },
      retries: 2,
      detail: 'SW 63C2',
    });
    expect(toAppError(error).message).toMatch(/^The PIN is incorrect: 2 tries left \(while verifying the PIN\)\./);
  });

  it('a ServiceError carries its words, facts and extras; context is said around the words', () => {
    const error = new ServiceError('LAST_PIN_TRY', { serial: 23000001 }, { retries: 1 }, { before: 'Before.' });
    expect(error.facts).toEqual({ serial: 23000001 });
    expect(toAppError(error)).toEqual({
      code: 'LAST_PIN_TRY',
      retries: 1,
      facts: { serial: 23000001 },
      message: `Before. ${messageFor('LAST_PIN_TRY', { serial: 23000001 })}`,
    });
  });

  it('context added to an error keeps its code, facts and extras', () => {
    const native = new NativeError('CARD_REMOVED', { step: 'transmit', reader: 'Virtual PCD 00 00' });
    const wrapped = withContext(native, { before: 'The PIN was changed.', after: 'Nothing else was.' });
    expect(factsOf(wrapped)).toEqual({ code: 'CARD_REMOVED', facts: { step: 'transmit', reader: 'Virtual PCD 00 00' } });
    expect(wrapped.message).toBe(`The PIN was changed. ${messageFor('CARD_REMOVED', { step: 'transmit', reader: 'Virtual PCD 00 00' })} Nothing else was.`);
    expect(wrapped.message).toContain('Virtual PCD 00 00');
  });

  it('a storage error names its file; an unknown error is INTERNAL with what it said', () => {
    expect(toAppError(new StorageError('STORE_UNREADABLE', '/data/pairing.json', { kind: 'system', errno: 'EACCES' }))).toEqual({
      code: 'STORE_UNREADABLE',
      facts: { path: '/data/pairing.json', reason: { kind: 'system', errno: 'EACCES' } },
      message: "The file /data/pairing.json in the app's data folder cannot be used: permission denied.",
      detail: '/data/pairing.json',
    });
    expect(toAppError(new TypeError('boom'))).toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('boom') as unknown });
  });
});
