// One pairing through the app's services in a fresh process (as the yubikit
// script is one), timed from the services' start to the last write; prints
// one JSON line. Run by bench/pairing-runs.ts: --reader NAME --data-dir DIR.
import { parseArgs } from 'node:util';
import { pairThroughServices } from './pairing-runs.ts';

const { values } = parseArgs({ options: { reader: { type: 'string' }, 'data-dir': { type: 'string' } } });
if (values.reader === undefined || values['data-dir'] === undefined) throw new Error('usage: services-pair.ts --reader NAME --data-dir DIR');
const result = await pairThroughServices(values.reader, values['data-dir']);
process.stdout.write(`${JSON.stringify(result)}\n`);
