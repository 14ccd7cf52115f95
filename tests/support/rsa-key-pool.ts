// TEST ONLY: RSA keys made beforehand (tests/fixtures/rsa-key-pool.json,
// written by scripts/make-rsa-key-pool.ts), handed out one after another so
// that no two keys a test process asks for are the same, as freshly generated
// ones would not be. When the pool of a size runs out, keys are generated
// again. The keys are public test data: they protect nothing.
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { generateRsaKey, type RsaKeySource } from '../../native/virtual-yubikey/piv/key-factory.ts';

export const RSA_KEY_POOL_FILE = join(import.meta.dirname, '..', 'fixtures', 'rsa-key-pool.json');

/** Base64 PKCS#8 DER keys by modulus size in bits. */
export const rsaKeyPoolSchema = z.object({
  note: z.string(),
  keys: z.record(z.string().regex(/^\d+$/), z.array(z.string().min(1))),
});

/** A key source that draws each key of the pool once, then generates. */
export function rsaKeyPool(file: string = RSA_KEY_POOL_FILE): RsaKeySource {
  const pool = rsaKeyPoolSchema.parse(JSON.parse(readFileSync(file, 'utf8'))).keys;
  const drawn = new Map<number, number>();
  return (bits: number): KeyObject => {
    const index = drawn.get(bits) ?? 0;
    const der = pool[String(bits)]?.[index];
    if (der === undefined) return generateRsaKey(bits);
    drawn.set(bits, index + 1);
    return createPrivateKey({ key: Buffer.from(der, 'base64'), format: 'der', type: 'pkcs8' });
  };
}
