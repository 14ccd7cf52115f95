// `npm run rig -- COMMAND [ARG…]`: runs one command inside a fresh test rig
// (scripts/lib/rig.ts: private pcscd socket, reader names, loopback with
// quickack), e.g. `npm run rig -- npx vitest run --project interop tests/interop/ykman-info.test.ts`.
// Whatever starts pcscd inside (the test harness does) gets the rig's own.
// Exits with the command's exit code.
import { fallbackLine, rigAvailability, runInRig } from './lib/rig.ts';

const command = process.argv.slice(2);
if (command.length === 0) {
  console.error('usage: npm run rig -- COMMAND [ARG…]   (runs COMMAND inside a private pcscd test rig)');
  process.exit(2);
}
const rig = await rigAvailability();
if (!rig.available) {
  console.error(fallbackLine(rig.reason));
  process.exit(1);
}
const code = await runInRig(command, { stdio: 'inherit' });
process.exitCode = code ?? 1;
