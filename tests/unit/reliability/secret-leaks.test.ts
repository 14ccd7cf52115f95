// The sampled part of the secret-leaks suite (reliability/secret-leaks.suite.ts):
// every flow on a YubiKey 5.4.3 with the APDU trace and logging on, then no
// PIN, PUK or management key in any log, file, event or message. And the
// search finds a secret in each form it looks for.
import { describe, expect, it } from 'vitest';
import { findLeaks, runSecretLeaks } from '../../../reliability/lib/secret-leaks.ts';

describe('secrets never leak, sampled', () => {
  it('every flow with the APDU trace on (5.4.3): no PIN, PUK or management key anywhere', { timeout: 120_000 }, async () => {
    const r = await runSecretLeaks('yk5.4.3');
    expect(r.unexpected).toEqual([]);
    expect(r.leaks).toEqual([]);
    expect(r.flows.map((f) => f.flow)).toEqual(
      expect.arrayContaining([
        'pair',
        'sign-in check',
        'change PIN',
        'renew',
        'wfa key verify-pin',
        'wfa key unblock-pin',
        'wfa key change-puk',
        'de-register',
      ]),
    );
  });

  it('the search finds a secret as text, hex, hex padded as sent, base64 at any alignment, and raw', () => {
    const pin = { name: 'PIN', bytes: Buffer.from('470291'), factory: false };
    const key = { name: 'key', bytes: Buffer.from('0102030405060708a1a2a3a4a5a6a7a8', 'hex'), factory: false };
    const planted = [
      { where: 'text', bytes: Buffer.from('verify pin=470291 ok') },
      { where: 'hex', bytes: Buffer.from('apdu > 00200080083437303239318080 9000') },
      { where: 'padded', bytes: Buffer.from('apdu > 0020008008343730323931ffff') },
      { where: 'base64', bytes: Buffer.from(Buffer.from('xx470291yy').toString('base64')) },
      { where: 'raw key', bytes: Buffer.concat([Buffer.from('junk'), key.bytes, Buffer.from('junk')]) },
      { where: 'clean', bytes: Buffer.from('nothing here 470 291 0102') },
    ];
    const found = findLeaks([pin, key], planted).map((l) => l.split(' in ')[1]?.split(' at ')[0]);
    expect(new Set(found)).toEqual(new Set(['text', 'hex', 'padded', 'base64', 'raw key']));
  });
});
