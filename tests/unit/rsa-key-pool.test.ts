// The unit tests' RSA key pool must behave as fresh keys do where tests can
// tell: every key a test file gets is a new one, of the size and exponent asked for.
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RSA_KEY_POOL_FILE, rsaKeyPool, rsaKeyPoolSchema } from '../support/rsa-key-pool.ts';

const modulus = (key: ReturnType<ReturnType<typeof rsaKeyPool>>): string => createPublicKey(key).export({ format: 'jwk' }).n ?? '';

describe('the RSA key pool', () => {
  it('holds distinct keys of the sizes it names, exponent 65537', () => {
    const pool = rsaKeyPoolSchema.parse(JSON.parse(readFileSync(RSA_KEY_POOL_FILE, 'utf8'))).keys;
    expect(pool['2048']?.length).toBeGreaterThanOrEqual(100);
    const source = rsaKeyPool();
    const seen = new Set<string>();
    for (const [bits, keys] of Object.entries(pool)) {
      for (let i = 0; i < keys.length; i++) {
        const key = source(Number(bits));
        expect(key.asymmetricKeyDetails).toMatchObject({ modulusLength: Number(bits), publicExponent: 65537n });
        seen.add(modulus(key));
      }
    }
    expect(seen.size).toBe(Object.values(pool).reduce((n, keys) => n + keys.length, 0));
  });

  it('gives each key once, then generates new ones', () => {
    const full = rsaKeyPoolSchema.parse(JSON.parse(readFileSync(RSA_KEY_POOL_FILE, 'utf8')));
    const file = join(mkdtempSync(join(tmpdir(), 'wfa-pool-')), 'pool.json');
    writeFileSync(file, JSON.stringify({ note: full.note, keys: { 1024: full.keys['1024']!.slice(0, 1) } }));
    const source = rsaKeyPool(file);
    const keys = [source(1024), source(1024), source(1024)];
    expect(new Set(keys.map(modulus)).size).toBe(3);
    for (const key of keys) expect(key.asymmetricKeyDetails?.modulusLength).toBe(1024);
  });
});
