// The child of the crash-safe store suite (reliability/lib/crash-stores.ts):
// writes the pairing store in a loop through the app's own JsonStore, version
// after version, each record holding its version in the serial and a large
// certificate, so a SIGKILL lands inside a write as often as between writes.
// Prints `BEGIN v` before a write and `DONE v` once it returned.
// Usage: node store-writer-child.mjs DATA_DIR FIRST_VERSION
import { writeSync } from 'node:fs';
import { pairingStore } from '../../electron/services/pairing/pairing-store.ts';
import { stateOfVersion } from './store-versions.ts';

const [dataDir, first] = process.argv.slice(2);
if (dataDir === undefined || first === undefined) {
  console.error('usage: store-writer-child DATA_DIR FIRST_VERSION');
  process.exit(2);
}

const store = pairingStore(dataDir);
for (let v = Number(first); ; v++) {
  // Synchronous writes to stdout: the parent must see BEGIN before the write starts.
  writeSync(1, `BEGIN ${v}\n`);
  await store.write(stateOfVersion(v));
  writeSync(1, `DONE ${v}\n`);
}
