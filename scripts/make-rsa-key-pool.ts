// Writes tests/fixtures/rsa-key-pool.json: RSA keys for the unit tests to use
// instead of generating their own (tests/support/rsa-key-pool.ts). Run again
// (`node --import tsx scripts/make-rsa-key-pool.ts`) to replace them or when a
// test process needs more keys of a size than the pool holds (it then
// generates the rest, only slower).
import { writeFileSync } from 'node:fs';
import { generateRsaKey } from '../native/virtual-yubikey/piv/key-factory.ts';
import { RSA_KEY_POOL_FILE } from '../tests/support/rsa-key-pool.ts';

/** Keys per size: more than the most any one unit test file uses (about 80 RSA 2048 in 2026-11). */
const COUNTS: Readonly<Record<number, number>> = { 1024: 4, 2048: 160, 3072: 2, 4096: 2 };

const keys: Record<string, string[]> = {};
for (const [bits, count] of Object.entries(COUNTS)) {
  keys[bits] = Array.from({ length: count }, () => generateRsaKey(Number(bits)).export({ format: 'der', type: 'pkcs8' }).toString('base64'));
}
const note = 'TEST ONLY: published RSA keys for the unit tests (tests/support/rsa-key-pool.ts); they protect nothing. Made by scripts/make-rsa-key-pool.ts.';
writeFileSync(RSA_KEY_POOL_FILE, `${JSON.stringify({ note, keys }, null, 1)}\n`);
console.log(
  `${RSA_KEY_POOL_FILE}: ${Object.entries(COUNTS)
    .map(([b, n]) => `${n} × RSA ${b}`)
    .join(', ')}`,
);
