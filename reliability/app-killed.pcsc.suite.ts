// `app-killed`: for pairing, PIN change, renewal and
// de-registration, `wfa` killed (SIGKILL) once the key has carried out APDU k,
// for every k until the flow needs fewer. Runs inside the rig:
//   npm run rig -- node --import tsx reliability/app-killed.pcsc.suite.ts [FLOW…]
import { killAt } from './app-killed.ts';
import { runFlowSweep } from './flow-sweep.ts';

await runFlowSweep('app-killed', 21_300_002, killAt, process.argv.slice(2));
