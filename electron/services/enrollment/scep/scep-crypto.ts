// The symmetric and RSA pieces of the SCEP envelope (RFC 8894 §3.2.2): content
// encryption with AES-CBC or triple DES, RSA key transport to the CA, and the
// careful removal of PKCS #1 v1.5 padding from a key the card decrypted.
import { constants, createCipheriv, createDecipheriv, createPublicKey, publicEncrypt, randomBytes } from 'node:crypto';
import { CONTENT_CIPHER, type ContentCipherName } from './scep-constants.ts';

/** Block size of every cipher here: AES 16 bytes (FIPS 197), DES 8 bytes (FIPS 46-3); the IV is one block. */
const IV_LENGTH: Readonly<Record<ContentCipherName, number>> = {
  'aes-128-cbc': 16,
  'aes-192-cbc': 16,
  'aes-256-cbc': 16,
  'des-ede3-cbc': 8,
  'des-cbc': 8,
};

export function cipherByOid(oid: string): ContentCipherName | undefined {
  return (Object.keys(CONTENT_CIPHER) as ContentCipherName[]).find((name) => CONTENT_CIPHER[name].oid === oid);
}

/**
 * OpenSSL 3 (Node's) has single DES only in its legacy provider, which Node
 * does not load. Triple DES with K1 = K2 = K3 computes E(K, D(K, E(K, x))) =
 * E(K, x), which is single DES (NIST SP 800-67r2 §3.3 keying option 3), so
 * it decrypts what DES-CBC encrypted. Used only to read a CA's answer (an
 * encrypted public certificate): this client never encrypts with DES.
 */
function nodeCipher(name: ContentCipherName, key: Uint8Array): { algorithm: string; key: Uint8Array } {
  if (name === 'des-cbc') return { algorithm: 'des-ede3-cbc', key: Buffer.concat([key, key, key]) };
  return { algorithm: name, key };
}

export interface EncryptedContent {
  readonly cipher: ContentCipherName;
  /** The content-encryption key: goes to the recipient by key transport, then is dropped. */
  readonly key: Uint8Array;
  readonly iv: Uint8Array;
  readonly ciphertext: Uint8Array;
}

/** Encrypts with a fresh random key and IV; CBC with PKCS #7 padding as RFC 5652 §6.3 requires. */
export function encryptContent(cipher: Exclude<ContentCipherName, 'des-cbc'>, plaintext: Uint8Array): EncryptedContent {
  const key = new Uint8Array(randomBytes(CONTENT_CIPHER[cipher].keyLength));
  const iv = new Uint8Array(randomBytes(IV_LENGTH[cipher]));
  const c = createCipheriv(cipher, key, iv);
  const ciphertext = new Uint8Array(Buffer.concat([c.update(plaintext), c.final()]));
  return { cipher, key, iv, ciphertext };
}

/** Decrypts CBC content; throws (OpenSSL's "bad decrypt") when key or padding is wrong. */
export function decryptContent(cipher: ContentCipherName, key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  if (key.length !== CONTENT_CIPHER[cipher].keyLength || iv.length !== IV_LENGTH[cipher]) throw new Error(`wrong key or IV length for ${cipher}`);
  const n = nodeCipher(cipher, key);
  const d = createDecipheriv(n.algorithm, n.key, iv);
  return new Uint8Array(Buffer.concat([d.update(ciphertext), d.final()]));
}

/** RSAES-PKCS1-v1_5 key transport (RFC 3370 §4.2.1) of `key` to the holder of `spkiDer`. */
export function encryptKeyRsa(spkiDer: Uint8Array, key: Uint8Array): Uint8Array {
  const publicKey = createPublicKey({ key: Buffer.from(spkiDer), format: 'der', type: 'spki' });
  return new Uint8Array(publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, key));
}

/**
 * Takes the content-encryption key out of a raw RSA decryption block
 * (RFC 8017 §7.2.2 step 3: EM = 00 02 PS 00 M, PS at least 8 non-zero bytes).
 *
 * A padding error must not be told apart from a wrong key (Bleichenbacher's
 * attack, RFC 3218 §2.3): the checks run over every byte without early exit,
 * and a block that is not well formed, or whose key is not `keyLength` long,
 * yields a random key instead (RFC 3218 §2.3.2), so the failure shows only
 * later, as content that does not decrypt.
 */
export function decodePkcs1v15Key(block: Uint8Array, modulusLength: number, keyLength: number): Uint8Array {
  const em = new Uint8Array(modulusLength);
  // The card may return the block without its leading zero byte(s) (I2OSP, RFC 8017 §4.1).
  if (block.length <= modulusLength) em.set(block, modulusLength - block.length);
  let bad = block.length > modulusLength ? 1 : 0;
  bad |= em[0]! | (em[1]! ^ 0x02);
  let found = 0;
  let separator = 0;
  for (let i = 2; i < modulusLength; i++) {
    const isZero = ((em[i]! - 1) >>> 31) & 1; // 1 exactly when em[i] is 0
    separator |= isZero & (found ^ 1) ? i : 0;
    found |= isZero;
  }
  bad |= found ^ 1;
  bad |= ((separator - 10) >>> 31) & 1; // PS shorter than 8 bytes
  bad |= (modulusLength - separator - 1) ^ keyLength;
  const mask = bad === 0 ? 0xff : 0x00;
  const filler = randomBytes(keyLength);
  const out = new Uint8Array(keyLength);
  const start = modulusLength - keyLength;
  for (let j = 0; j < keyLength; j++) out[j] = (em[start + j]! & mask) | (filler[j]! & ~mask);
  em.fill(0);
  return out;
}
