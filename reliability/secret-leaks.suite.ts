// Secrets never leak. Every flow (pair, check, change
// PIN, renew, verify-pin, change PUK, unblock, de-register, and their wrong-PIN
// failures) with the APDU trace and all logging on, on a YubiKey 5.4.3, 5.7.1
// (AES management key) and 4.3.7 (3DES, no metadata); then logs, stores,
// audit log, IPC events, results and error messages are searched for every
// PIN, PUK and management key used (reliability/lib/secret-leaks.ts).
import { printSuiteReport } from '../scripts/lib/reliability-protocol.ts';
import { runSecretLeaks } from './lib/secret-leaks.ts';
import type { ProfileName } from '../native/virtual-yubikey/index.ts';

const started = Date.now();
const profiles: ProfileName[] = ['yk5.4.3', 'yk5.7.1', 'yk4.3.7'];
let tried = 0;
let failed = 0;
let secrets = 0;
let places = 0;
for (const profile of profiles) {
  const r = await runSecretLeaks(profile);
  tried += r.flows.length;
  secrets += r.secrets;
  places += r.places;
  const bad = r.leaks.length > 0 || r.unexpected.length > 0;
  // A leak fails the whole profile's run: every flow wrote into the same logs.
  if (bad) failed += r.flows.length;
  console.error(
    `${profile}: ${r.flows.length} flows, ${r.secrets} secrets in ${r.places} places: ${r.leaks.length} found, ${r.unexpected.length} flows not as expected`,
  );
  for (const line of [...r.leaks, ...r.unexpected].slice(0, 10)) console.error(`  FAILED ${line}`);
}
printSuiteReport({
  suite: 'secret-leaks',
  tried,
  passed: tried - failed,
  failed,
  note: `${profiles.join(', ')}; ${secrets} secrets searched in ${places} places (text, hex, padded hex, base64, raw); ${Math.round((Date.now() - started) / 1000)} s`,
});
