// Vitest setup for the unit and interop projects (vitest.config.ts): the virtual YubiKey's
// new RSA keys come from the pool of keys made beforehand, each one once per
// test file (tests/support/rsa-key-pool.ts; README, "Test speed").
import { setRsaKeySource } from '../../native/virtual-yubikey/piv/key-factory.ts';
import { rsaKeyPool } from '../support/rsa-key-pool.ts';

setRsaKeySource(rsaKeyPool());
