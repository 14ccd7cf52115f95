// `npm run virtual-yubikey -- --reader N ...`: plugs a virtual YubiKey into
// vpcd reader slot N of pcscd. stdout carries exactly one line, READY, once
// clients can see the card; everything else goes to stderr.
// Ending the process (SIGTERM/SIGINT) unplugs the key; starting it again with
// the same --state file plugs the same key back in.
// What it does with the key is plug-in.ts, which the key host (key-host.ts) shares.
import { EXIT, parseCliArgs, type CliOptions, USAGE } from './cli-args.ts';
import { keyLogLine, plugIn, startFailure } from './plug-in.ts';
import { vpcdFriendlyName } from './reader-conf.ts';
import { stopWhenToldOrOrphaned } from './stop-signals.ts';

function run(options: CliOptions): void {
  const key = plugIn(options, {
    log: (message) => process.stderr.write(keyLogLine(options.readerName, message)),
    onReady: (line) => process.stdout.write(`${line}\n`),
    onOut: (code) => process.exit(code),
  });
  let unplugging = false;
  const unplug = (why: string): void => {
    if (unplugging) return;
    unplugging = true;
    void key.unplug(why).then(() => process.exit(EXIT.OK));
  };
  stopWhenToldOrOrphaned(unplug);
}

function main(argv: readonly string[]): void {
  try {
    // READY names the reader as pcscd shows it: from pcscd's own reader configuration.
    const command = parseCliArgs(argv, vpcdFriendlyName());
    if (command.kind === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return;
    }
    run(command.options);
  } catch (error) {
    const failure = startFailure(error);
    if (failure === undefined) throw error;
    process.stderr.write(failure.stderr);
    process.exit(failure.code);
  }
}

main(process.argv.slice(2));
