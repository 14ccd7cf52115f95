// CardCsr.decrypt for a PIV slot: the raw RSA private operation on the card
// (native/piv/keys.ts decryptWithSlot). The SCEP client removes the PKCS #1
// v1.5 padding itself (scep-crypto.ts decodePkcs1v15Key), so that a bad block
// and a wrong key look the same (RFC 3218 §2.3).
import type { KeyAlgorithmName } from '../../../../native/piv/constants.ts';
import { KEY_ALGORITHMS, decryptWithSlot } from '../../../../native/piv/keys.ts';
import type { PivSession } from '../../../../native/piv/session.ts';

/**
 * The decrypt function for an RSA key in `slot`; undefined for EC keys,
 * which cannot take RSA key transport. The PIN must be verified in
 * `session` if the slot's PIN policy asks for it.
 */
export function cardRsaDecrypt(session: PivSession, slot: number, algorithm: KeyAlgorithmName): ((ciphertext: Uint8Array) => Promise<Uint8Array>) | undefined {
  const spec = KEY_ALGORITHMS[algorithm];
  if (spec.kind !== 'rsa') return undefined;
  return async (ciphertext) => {
    // RSADP needs the ciphertext as a modulus-length block (I2OSP, RFC 8017 §4.1, §7.2.2 step 1).
    if (ciphertext.length > spec.size) throw new Error(`an ${algorithm} ciphertext is at most ${spec.size} bytes`);
    const block = new Uint8Array(spec.size);
    block.set(ciphertext, spec.size - ciphertext.length);
    return decryptWithSlot(session, slot, algorithm, block);
  };
}
