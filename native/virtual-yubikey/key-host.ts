// The key host: one process that plugs in and pulls out any number of virtual
// YubiKeys on command (key-host-protocol.ts on stdin and stdout), each as
// `npm run virtual-yubikey` with the same arguments would (plug-in.ts, shared
// with cli.ts). The PC/SC tests start one per test process instead of one
// process per key (scripts/lib/key-host.ts). From vpcd's and pcscd's side
// nothing differs: a key is its own TCP connection to vpcd, pulled out by
// closing it, plugged back in from its state file.
// When the process that started it goes (stdin closes), every key is pulled out.
import { createInterface } from 'node:readline';
import { EXIT, parseCliArgs, UsageError } from './cli-args.ts';
import { HostRequest, type HostMessage, parseLine } from './key-host-protocol.ts';
import { keyLogLine, plugIn, type PluggedKey, startFailure } from './plug-in.ts';
import { vpcdFriendlyName } from './reader-conf.ts';
import { stopWhenToldOrOrphaned } from './stop-signals.ts';

const keys = new Map<number, PluggedKey>();

function send(message: HostMessage): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

function plug(id: number, args: readonly string[]): void {
  const stderr = (text: string): void => send({ type: 'stderr', id, text });
  try {
    // Read at every plug: the rig restarts pcscd with other reader names between keys.
    const command = parseCliArgs(args, vpcdFriendlyName());
    if (command.kind === 'help') throw new UsageError('--help plugs no key');
    const { readerName } = command.options;
    const key = plugIn(command.options, {
      log: (message) => stderr(keyLogLine(readerName, message)),
      onReady: (line) => send({ type: 'stdout', id, text: `${line}\n` }),
      onOut: (code) => {
        keys.delete(id);
        send({ type: 'exit', id, code });
      },
    });
    keys.set(id, key);
  } catch (error) {
    const failure = startFailure(error);
    stderr(failure?.stderr ?? `virtual-yubikey: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    send({ type: 'exit', id, code: failure?.code ?? EXIT.ERROR });
  }
}

async function pull(id: number, why: string): Promise<void> {
  const key = keys.get(id);
  // Already out on its own: its exit was sent.
  if (key === undefined) return;
  keys.delete(id);
  await key.unplug(why);
  send({ type: 'exit', id, code: EXIT.OK });
}

let ending = false;
async function pullAllAndExit(why: string): Promise<void> {
  if (ending) return;
  ending = true;
  await Promise.all([...keys.keys()].map((id) => pull(id, why)));
  process.exit(EXIT.OK);
}

// The pipe to a parent that is gone: nobody to report to.
process.stdout.on('error', () => void pullAllAndExit('the process that started us is gone'));
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const request = parseLine(HostRequest, line);
  if (request === undefined) {
    process.stderr.write(`virtual-yubikey host: not a request, ignored: ${line.slice(0, 200)}\n`);
  } else if (request.type === 'plug') {
    plug(request.id, request.args);
  } else {
    void pull(request.id, 'pulled');
  }
});
// stdin's end is the usual sign that the process that started us is gone; signals and re-parenting as the CLI's.
lines.on('close', () => void pullAllAndExit('the process that started us is gone'));
stopWhenToldOrOrphaned((why) => void pullAllAndExit(why));
