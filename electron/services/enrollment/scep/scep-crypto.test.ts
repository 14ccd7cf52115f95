import { constants, createCipheriv, generateKeyPairSync, privateDecrypt, publicEncrypt, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodePkcs1v15Key, decryptContent, encryptContent } from './scep-crypto.ts';
import { ScepCapabilities } from './scep-http.ts';

const K = 256; // RSA 2048 modulus length in bytes

function block(parts: { first?: number; second?: number; psLength: number; separator?: boolean; key: Uint8Array }): Uint8Array {
  const ps = Uint8Array.from(randomBytes(parts.psLength), (b) => b | 1);
  return Uint8Array.from([parts.first ?? 0, parts.second ?? 2, ...ps, ...(parts.separator === false ? [] : [0]), ...parts.key]);
}

describe('decodePkcs1v15Key (RFC 8017 §7.2.2, with RFC 3218 implicit rejection)', () => {
  const key = new Uint8Array(randomBytes(16));

  it('takes the key out of a well-formed block, also when the card drops the leading zero', () => {
    const em = block({ psLength: K - 3 - 16, key });
    expect(decodePkcs1v15Key(em, K, 16)).toEqual(key);
    expect(decodePkcs1v15Key(em.subarray(1), K, 16)).toEqual(key);
  });

  it('decodes what RSAES-PKCS1-v1_5 encryption produced, after a raw RSA decryption', () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const ciphertext = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, key);
    const raw = privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, ciphertext);
    expect(decodePkcs1v15Key(new Uint8Array(raw), K, 16)).toEqual(key);
  });

  it.each([
    ['a wrong first byte', block({ first: 1, psLength: K - 3 - 16, key }), 16],
    ['a wrong block type', block({ second: 1, psLength: K - 3 - 16, key }), 16],
    ['padding shorter than 8 bytes', block({ psLength: 7, key: new Uint8Array(randomBytes(K - 10)) }), K - 10],
    ['no separator', block({ psLength: K - 2 - 16, separator: false, key }), 16],
    ['a key of another length', block({ psLength: K - 3 - 24, key: new Uint8Array(randomBytes(24)) }), 16],
    ['a block longer than the modulus', Uint8Array.from([0, ...block({ psLength: K - 3 - 16, key })]), 16],
  ])('returns a random key of the expected length for %s, never an error', (_, em, keyLength) => {
    const embedded = em.subarray(em.length - keyLength);
    const a = decodePkcs1v15Key(em, K, keyLength);
    const b = decodePkcs1v15Key(em, K, keyLength);
    expect(a.length).toBe(keyLength);
    expect(a).not.toEqual(embedded);
    expect(a).not.toEqual(b);
  });
});

describe('content encryption', () => {
  it('AES-128-CBC and triple DES round-trip with fresh keys and IVs', () => {
    const plaintext = new Uint8Array(randomBytes(100));
    for (const cipher of ['aes-128-cbc', 'des-ede3-cbc'] as const) {
      const e = encryptContent(cipher, plaintext);
      expect(decryptContent(cipher, e.key, e.iv, e.ciphertext)).toEqual(plaintext);
      expect(encryptContent(cipher, plaintext).key).not.toEqual(e.key);
    }
  });

  it('reads single DES-CBC (what micromdm/scep answers with): the FIPS 81 CBC example decrypts', () => {
    // FIPS PUB 81 Appendix C, Table C1: key 0123456789abcdef, IV 1234567890abcdef.
    const key = Buffer.from('0123456789abcdef', 'hex');
    const iv = Buffer.from('1234567890abcdef', 'hex');
    const fips = Buffer.from('e5c7cdde872bf27c43e934008c389c0f683788499a7c05f6', 'hex');
    // A last block of PKCS #7 padding, chained on the example's last ciphertext block.
    const pad = createCipheriv('des-ede3-ecb', Buffer.concat([key, key, key]), null).setAutoPadding(false);
    const last = Buffer.from(fips.subarray(16).map((b) => b ^ 0x08));
    const ciphertext = Buffer.concat([fips, pad.update(last), pad.final()]);
    expect(Buffer.from(decryptContent('des-cbc', key, iv, ciphertext)).toString('latin1')).toBe('Now is the time for all ');
  });

  it('throws on a wrong key (the caller reports one message for a bad key block and bad content)', () => {
    const e = encryptContent('aes-128-cbc', new Uint8Array(64));
    expect(() => decryptContent('aes-128-cbc', new Uint8Array(randomBytes(16)), e.iv, e.ciphertext)).toThrow();
  });
});

describe('GetCACaps (RFC 8894 §3.5.2)', () => {
  it('reads keywords without regard to case or line ends', () => {
    const caps = ScepCapabilities.parse('POSTPKIOperation\r\nsha-256\nDES3\n\n');
    expect([caps.post, caps.sha256, caps.tripleDes, caps.aes]).toEqual([true, true, true, false]);
  });

  it('SCEPStandard implies AES, POSTPKIOperation and SHA-256', () => {
    const caps = ScepCapabilities.parse('SCEPStandard');
    expect([caps.post, caps.sha256, caps.aes]).toEqual([true, true, true]);
    const none = ScepCapabilities.parse('');
    expect([none.post, none.sha256, none.aes, none.tripleDes]).toEqual([false, false, false, false]);
  });
});
