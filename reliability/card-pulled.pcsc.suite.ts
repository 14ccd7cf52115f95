// `card-pulled`: for pairing, PIN change, renewal and
// de-registration, the key pulled at every APDU k from 1 until the flow needs
// fewer than k, through the rig's own pcscd. Runs inside the rig:
//   npm run rig -- node --import tsx reliability/card-pulled.pcsc.suite.ts [FLOW…]
import { pullAt } from './card-pulled.ts';
import { runFlowSweep } from './flow-sweep.ts';

await runFlowSweep('card-pulled', 21_300_001, pullAt, process.argv.slice(2));
