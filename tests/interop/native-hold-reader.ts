// Another program holding a reader exclusively, as gpg's scdaemon does: a
// separate process with its own PC/SC context and an SCARD_SHARE_EXCLUSIVE
// connection. Prints HELD once it holds the card; lets go when stdin closes.
// Usage: node --import tsx tests/interop/native-hold-reader.ts "Virtual PCD 00 00"
import { createPcscTransport } from '../../native/pcsc/smartcard-transport.ts';

const reader = process.argv[2];
if (reader === undefined) {
  process.stderr.write('usage: native-hold-reader.ts READER\n');
  process.exit(2);
}
const connection = await createPcscTransport().connect(reader, 'exclusive');
process.stdout.write('HELD\n');
process.stdin.resume();
process.stdin.once('end', () => {
  void connection.disconnect().then(() => process.exit(0));
});
