// The APDU trace shows the traffic and never a secret: PINs, PUKs, management
// keys (sent, stored in 5FC109, or in the authentication exchange), ECDH results.
import { webcrypto } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CardConnection } from '../pcsc/transport.ts';
import { createVirtualYubiKey } from '../virtual-yubikey/index.ts';
import { VirtualTransport } from '../virtual-yubikey/virtual-transport.ts';
import { sendCommand } from './apdu.ts';
import { AUTH_TAG, DEFAULT_MANAGEMENT_KEY, INS, SLOT } from './constants.ts';
import { concatBytes, encodeTlv } from './tlv.ts';
import { decryptWithSlot, ecdhWithSlot, generateKey, KEY_ALGORITHMS, signWithSlot } from './keys.ts';
import { secretFromText } from './secrets.ts';
import { PivSession } from './session.ts';
import { authenticateManagementKey } from '../yubikey/management-key.ts';
import { traceApdu } from './apdu-trace.ts';

const bytes = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h.replace(/\s/g, ''), 'hex'));
const ok = (data: string, sw = 0x9000) => ({ data: bytes(data), sw });

let written = '';

/** A connection as the trace sees it: only its identity matters. */
function connection(reader: string): CardConnection {
  return { reader, atr: new Uint8Array(0), insertion: null, transmit: async () => new Uint8Array([0x90, 0x00]), disconnect: async () => undefined };
}
let one: CardConnection;
let two: CardConnection;

beforeEach(() => {
  written = '';
  one = connection('Virtual PCD 00 00');
  two = connection('Virtual PCD 00 01');
  vi.stubEnv('WFA_APDU_TRACE', '1');
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written += String(chunk);
    return true;
  });
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('traceApdu', () => {
  it('shows ordinary commands and answers in hex', () => {
    traceApdu(one, bytes('00 cb 3f ff 05 5c 03 5f c1 02'), ok('53 02 30 00'));
    expect(written).toBe('apdu > 00cb3fff055c035fc102\napdu < 53023000 9000\n');
  });

  it('redacts the data of extended APDUs too (3-byte Lc), keeping the 7-byte header', () => {
    traceApdu(one, bytes('00 20 00 80 00 00 08 31 32 33 34 35 36 ff ff 00 00'), ok(''));
    traceApdu(one, bytes('00 db 3f ff 00 00 0b 5c 03 5f c1 09 53 04 88 02 89 00 00 00'), ok(''));
    expect(written).toContain('apdu > 00200080000008<10 bytes redacted>');
    expect(written).toContain('apdu > 00db3fff00000b<13 bytes redacted>');
    expect(written).not.toMatch(/313233/);
  });

  it('redacts PIN, PUK and new PIN data, keeping the header and the length', () => {
    traceApdu(one, bytes('00 20 00 80 08 31 32 33 34 35 36 ff ff'), ok('', 0x63c2));
    traceApdu(one, bytes('00 24 00 80 10 31 32 33 34 35 36 ff ff 39 38 37 36 35 34 ff ff'), ok(''));
    traceApdu(one, bytes('00 2c 00 80 10 31 32 33 34 35 36 37 38 39 38 37 36 35 34 ff ff'), ok(''));
    expect(written).toContain('apdu > 0020008008<8 bytes redacted>\napdu <  63c2');
    expect(written).toContain('apdu > 0024008010<16 bytes redacted>');
    expect(written).toContain('apdu > 002c008010<16 bytes redacted>');
    expect(written).not.toMatch(/313233|393837/);
  });

  it('redacts both directions of management key authentication, and SET MANAGEMENT KEY', () => {
    traceApdu(one, bytes('00 87 03 9b 04 7c 02 80 00'), ok('7c 0a 80 08 11 22 33 44 55 66 77 88'));
    traceApdu(one, bytes('00 87 03 9b 16 7c 14 80 08 a1 a2 a3 a4 a5 a6 a7 a8 81 08 b1 b2 b3 b4 b5 b6 b7 b8'), ok('7c 0a 82 08 c1 c2 c3 c4 c5 c6 c7 c8'));
    traceApdu(one, bytes('00 ff ff ff 1b 03 9b 18 01 02 03 04 05 06 07 08 01 02 03 04 05 06 07 08 01 02 03 04 05 06 07 08'), ok(''));
    expect(written).not.toMatch(/1122334455|a1a2a3|b1b2b3|c1c2c3|0102030405/);
    expect(written.match(/redacted/g)).toHaveLength(5); // both commands and answers, and SET MANAGEMENT KEY
  });

  it('redacts writing and reading the PIN-protected management key (5FC109), GET RESPONSE included', () => {
    traceApdu(one, bytes('00 db 3f ff 12 5c 03 5f c1 09 53 0b 88 09 89 07 de ad be ef 01 02 03'), ok(''));
    traceApdu(one, bytes('00 cb 3f ff 05 5c 03 5f c1 09'), ok('53 0b 88 09 89 07 de ad', 0x6103));
    traceApdu(one, bytes('00 c0 00 00 00'), ok('be ef 01'));
    traceApdu(one, bytes('00 cb 3f ff 05 5c 03 5f c1 02'), ok('53 00'));
    expect(written).not.toMatch(/deadbeef|dead|beef01/);
    expect(written).toContain('apdu < <8 bytes redacted> 6103');
    expect(written).toContain('apdu < <3 bytes redacted> 9000');
    // The next, ordinary read is shown again.
    expect(written).toContain('apdu < 5300 9000');
  });

  it('a chained PUT DATA of 5FC109 stays redacted in its later blocks', () => {
    traceApdu(one, bytes(`10 db 3f ff 0a 5c 03 5f c1 09 53 82 01 00 89`), ok(''));
    traceApdu(one, bytes(`00 db 3f ff 04 5e c1 e7 5e`), ok(''));
    traceApdu(one, bytes(`00 db 3f ff 04 01 02 03 04`), ok(''));
    expect(written).not.toContain('5ec1e75e');
    expect(written).toContain('apdu > 00db3fff0401020304');
  });

  it('redacts an ECDH result but shows a signature', () => {
    traceApdu(one, bytes('00 87 11 9d 08 7c 06 82 00 85 02 04 aa'), ok('7c 04 82 02 5e 5e'));
    traceApdu(one, bytes('00 87 11 9a 08 7c 06 82 00 81 02 85 85'), ok('7c 04 82 02 51 51'));
    expect(written).toContain('apdu < <6 bytes redacted> 9000');
    expect(written).toContain('apdu < 7c0482025151 9000');
  });

  it('writes nothing unless WFA_APDU_TRACE=1', () => {
    vi.stubEnv('WFA_APDU_TRACE', '');
    traceApdu(one, bytes('00 20 00 80 00'), ok('', 0x63c3));
    expect(written).toBe('');
  });

  it("keeps its state per connection: another key's GET RESPONSE and blocks are judged on their own", () => {
    // Key one reads the protected management key in two parts; key two reads a certificate in between.
    traceApdu(one, bytes('00 cb 3f ff 05 5c 03 5f c1 09'), ok('53 0b 88 09 89 07 de ad', 0x6103));
    traceApdu(two, bytes('00 cb 3f ff 05 5c 03 5f c1 05'), ok('53 82 01', 0x6102));
    traceApdu(two, bytes('00 c0 00 00 00'), ok('30 82'));
    traceApdu(one, bytes('00 c0 00 00 00'), ok('be ef 01'));
    expect(written).toContain('apdu < 3082 9000');
    expect(written).not.toContain('beef01');
    // Key one writes it in chained blocks; key two writes an ordinary object in between.
    traceApdu(one, bytes('10 db 3f ff 0a 5c 03 5f c1 09 53 82 01 00 89'), ok(''));
    traceApdu(two, bytes('10 db 3f ff 05 5c 03 5f c1 0a'), ok(''));
    traceApdu(two, bytes('00 db 3f ff 03 53 01 00'), ok(''));
    traceApdu(one, bytes('00 db 3f ff 04 5e c1 e7 5e'), ok(''));
    expect(written).toContain('apdu > 00db3fff03530100');
    expect(written).not.toContain('5ec1e75e');
  });

  it('redacts an answer the caller marks secret, through GET RESPONSE, and only on that connection', () => {
    traceApdu(one, bytes('00 87 07 9a 08 7c 06 82 00 81 02 12 34'), ok('7c 82 01 04 82 82 01 00 00 02', 0x6102), { secretAnswer: true });
    traceApdu(two, bytes('00 c0 00 00 00'), ok('ab cd'));
    traceApdu(one, bytes('00 c0 00 00 00'), ok('77 88'), { secretAnswer: true });
    expect(written).toContain('apdu < <10 bytes redacted> 6102');
    expect(written).toContain('apdu < abcd 9000');
    expect(written).toContain('apdu < <2 bytes redacted> 9000');
  });
});

describe('GENERAL AUTHENTICATE answers on a key (in-process virtual YubiKey)', () => {
  async function session(): Promise<PivSession> {
    const transport = new VirtualTransport();
    transport.insert('Virtual PCD 00 00', createVirtualYubiKey({ profile: 'yk5.4.3', serial: 12345678 }));
    const s = await PivSession.open(await transport.connect('Virtual PCD 00 00', 'exclusive'));
    await authenticateManagementKey(s, 'TDES', DEFAULT_MANAGEMENT_KEY.slice());
    await s.verifyPin(secretFromText('123456'));
    return s;
  }

  it('an RSA decryption never shows the decrypted block, in one extended answer or chained through GET RESPONSE; a signature is shown', async () => {
    const s = await session();
    await generateKey(s, { slot: SLOT.KEY_MANAGEMENT, algorithm: 'RSA2048' });
    const block = new Uint8Array(256).fill(0x5a);
    block[0] = 0x00;
    written = '';
    // What a session sends to a YubiKey 4 or 5: one extended APDU, the whole answer at once.
    const plain = await decryptWithSlot(s, SLOT.KEY_MANAGEMENT, 'RSA2048', block);
    const plainHex = Buffer.from(plain).toString('hex');
    expect(s.format).toBe('extended');
    expect(written).toMatch(/apdu < <\d+ bytes redacted> 9000/);
    expect(written).not.toContain(plainHex.slice(0, 64));
    expect(written).not.toContain(plainHex.slice(-64));

    // The same command in short APDUs (chained, as to a card without extended APDUs): the answer comes through GET RESPONSE.
    written = '';
    const template = encodeTlv(AUTH_TAG.TEMPLATE, concatBytes(encodeTlv(AUTH_TAG.RESPONSE, new Uint8Array(0)), encodeTlv(AUTH_TAG.CHALLENGE, block)));
    const short = await sendCommand(
      s.connection,
      { ins: INS.AUTHENTICATE, p1: KEY_ALGORITHMS.RSA2048.id, p2: SLOT.KEY_MANAGEMENT, data: template, secretAnswer: true },
      'short',
    );
    expect(short.sw).toBe(0x9000);
    expect(Buffer.from(short.data).toString('hex')).toContain(plainHex);
    expect(written).toMatch(/apdu < <\d+ bytes redacted> 61/);
    expect(written).toMatch(/apdu > 00c0000000\napdu < <\d+ bytes redacted> 9000/);
    expect(written).not.toContain(plainHex.slice(0, 64));
    expect(written).not.toContain(plainHex.slice(-64));

    written = '';
    const signature = await signWithSlot(s, SLOT.KEY_MANAGEMENT, 'RSA2048', block);
    expect(written).not.toContain('redacted');
    expect(written).toContain(Buffer.from(signature).toString('hex').slice(0, 64));
  }, 60_000);

  it('an ECDH result is never shown', async () => {
    const s = await session();
    await generateKey(s, { slot: SLOT.KEY_MANAGEMENT, algorithm: 'ECCP256' });
    const peer = (await webcrypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits'])) as webcrypto.CryptoKeyPair;
    const point = new Uint8Array(await webcrypto.subtle.exportKey('raw', peer.publicKey));
    written = '';
    const shared = await ecdhWithSlot(s, SLOT.KEY_MANAGEMENT, 'ECCP256', point);
    expect(written).toContain('bytes redacted> 9000');
    expect(written).not.toContain(Buffer.from(shared).toString('hex'));
  }, 60_000);
});
