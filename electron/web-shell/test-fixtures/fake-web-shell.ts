// `npm run web` as a process, with fake services: what cli.test.ts spawns to
// check the stdout contract (exactly one WEB_SHELL_URL line) end to end,
// without a card reader. The real services are tested in electron/services.
import { ok, type Handlers } from '../../ipc/contract.ts';
import { CHANNEL_NAMES } from '../../ipc/contract-names.ts';
import { EventHub } from '../../services/events/event-hub.ts';
import { runWebShell } from '../cli.ts';

const handlers = Object.fromEntries(CHANNEL_NAMES.map((channel) => [channel, () => Promise.resolve(ok({ answeredBy: channel }))])) as unknown as Handlers;

const run = await runWebShell(process.argv.slice(2), {
  createServices: async ({ dataDir }) => {
    process.stderr.write(`fake services in ${dataDir}\n`);
    return { handlers, events: new EventHub(), close: () => Promise.resolve() };
  },
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
if (typeof run === 'number') process.exit(run);
process.once('SIGTERM', () => void run.stop().then(() => process.exit(0)));
