// One APDU's round trip through pcscd and vpcd to the virtual YubiKey: plugs
// a key into slot 0, sends SELECT PIV once, then GET VERSION (00 FD 00 00) N
// times over one exclusive connection through the `smartcard` binding, and
// prints the median and mean milliseconds. Run it in the rig:
//   npm run rig -- node --import tsx scripts/apdu-roundtrip.ts [N]
// (outside the rig it uses the machine's pcscd and its loopback, delayed
// ACKs included: README, "APDU time through vpcd").
import { createPcscTransport } from '../native/pcsc/smartcard-transport.ts';
import { run } from './lib/exec.ts';
import { ensurePcscd } from './lib/pcscd.ts';
import { insideRig } from './lib/rig.ts';
import { readerName, startVirtualYubiKey } from './lib/virtual-key.ts';

const count = Number(process.argv[2] ?? '200');
const SELECT_PIV = Uint8Array.of(0x00, 0xa4, 0x04, 0x00, 0x05, 0xa0, 0x00, 0x00, 0x03, 0x08);
const GET_VERSION = Uint8Array.of(0x00, 0xfd, 0x00, 0x00);

const pcscd = await ensurePcscd();
const key = await startVirtualYubiKey({ reader: 0, profile: 'yk5.4.3' });
try {
  const connection = await createPcscTransport().connect(readerName(0), 'exclusive');
  await connection.transmit(SELECT_PIV);
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = process.hrtime.bigint();
    const answer = await connection.transmit(GET_VERSION);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (answer.at(-2) !== 0x90) throw new Error(`GET VERSION answered ${Buffer.from(answer).toString('hex')}`);
  }
  await connection.disconnect();
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] ?? NaN;
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  const route = await run('ip', ['route', 'show', 'table', 'local', '127.0.0.1']);
  const quickack = /\bquickack 1\b/.test(route.stdout) ? 'on' : 'off';
  const where = insideRig() ? 'in the rig' : 'outside the rig';
  console.log(`APDU round trip (${where}, loopback quickack ${quickack}, ${count} GET VERSION): median ${median.toFixed(2)} ms, mean ${mean.toFixed(2)} ms`);
} finally {
  await key.stop();
  await pcscd.stop();
}
process.exit(0);
