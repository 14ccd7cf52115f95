// The virtual keys of a test process, plugged by one key host process
// (native/virtual-yubikey/key-host.ts, bundled) instead of one
// `npm run virtual-yubikey` process each: starting a node process and loading
// the 1 MB bundle cost more CPU than most keys use afterwards. The host is
// started at the first plug and goes when this process goes.
// A key run here shows what the CLI's process would: its stdout, its stderr,
// and when it ends, how (virtual-key.ts treats both alike).
import { type ChildProcess, spawn } from 'node:child_process';
import { Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { HostMessage, type HostRequest, parseLine } from '../../native/virtual-yubikey/key-host-protocol.ts';
import { bundled } from './bundle.ts';
import { REPO_ROOT } from './paths.ts';

/** What a key prints, as its own process would on stdout and stderr. */
export interface KeyOutput {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** A virtual key running, in its own CLI process or in the key host. */
export interface KeyRun {
  /** Which process runs the key, for failure messages. */
  readonly label: string;
  /** Settles when the key is out (its vpcd connection closed), with how its run ended ("code 3", "SIGKILL"). */
  readonly ended: Promise<string>;
  hasEnded(): boolean;
  /** Pulls the key out (SIGTERM to the CLI; `pull` to the host); settles once it is out. */
  stop(): Promise<void>;
}

interface HostedKey {
  readonly output: KeyOutput;
  readonly end: (how: string) => void;
}

class KeyHost {
  private readonly child: ChildProcess;
  private readonly keys = new Map<number, HostedKey>();
  private nextId = 1;
  private gone = false;

  constructor(program: readonly string[]) {
    this.child = spawn(process.execPath, [...program], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    const { stdout, stderr, stdin } = this.child;
    if (stdout === null || stderr === null || stdin === null) throw new Error('the key host has no pipes');
    // A host that is gone fails its keys through 'exit' below, not through a write error here.
    stdin.on('error', () => undefined);
    createInterface({ input: stdout }).on('line', (line) => this.receive(line));
    stderr.setEncoding('utf8');
    // The host's own stderr (a crash) belongs in the failure report of every key it holds.
    stderr.on('data', (text: string) => {
      for (const key of this.keys.values()) key.output.stderr(`[key host pid ${this.pid}] ${text}`);
    });
    this.child.once('exit', (code, signal) => {
      this.gone = true;
      for (const [id, key] of this.keys) {
        this.keys.delete(id);
        key.end(`key host ended (${signal ?? `code ${code}`})`);
      }
    });
    this.child.once('error', (error) => {
      for (const key of this.keys.values()) key.output.stderr(`key host: ${error.message}\n`);
    });
    this.holdOpen(false);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get usable(): boolean {
    return !this.gone && this.child.exitCode === null && this.child.signalCode === null;
  }

  plug(args: readonly string[], output: KeyOutput): KeyRun {
    const id = this.nextId++;
    let ended = false;
    let end: (how: string) => void = () => undefined;
    const endedPromise = new Promise<string>((resolve) => {
      end = (how) => {
        ended = true;
        resolve(how);
        if (this.keys.size === 0) this.holdOpen(false);
      };
    });
    this.keys.set(id, { output, end });
    this.holdOpen(true);
    this.request({ type: 'plug', id, args: [...args] });
    return {
      label: `key host pid ${this.pid}, key #${id}`,
      ended: endedPromise,
      hasEnded: () => ended,
      stop: async () => {
        if (!ended) this.request({ type: 'pull', id });
        await endedPromise;
      },
    };
  }

  private request(request: HostRequest): void {
    if (this.usable) this.child.stdin?.write(`${JSON.stringify(request)}\n`);
  }

  private receive(line: string): void {
    const message = parseLine(HostMessage, line);
    if (message === undefined) {
      for (const key of this.keys.values()) key.output.stderr(`[key host pid ${this.pid}, not a message] ${line}\n`);
      return;
    }
    const key = this.keys.get(message.id);
    if (key === undefined) return;
    if (message.type === 'stdout') key.output.stdout(message.text);
    else if (message.type === 'stderr') key.output.stderr(message.text);
    else {
      this.keys.delete(message.id);
      key.end(`code ${message.code}`);
    }
  }

  /** While keys are in, the host keeps this process alive (a script awaiting stop()); idle, it does not. */
  private holdOpen(hold: boolean): void {
    if (hold) this.child.ref();
    else this.child.unref();
    for (const pipe of [this.child.stdin, this.child.stdout, this.child.stderr]) {
      if (pipe instanceof Socket) {
        if (hold) pipe.ref();
        else pipe.unref();
      }
    }
  }
}

let host: KeyHost | undefined;

/** Plugs a key into this process's key host (started now if there is none), with the CLI's arguments. */
export async function hostKey(args: readonly string[], output: KeyOutput): Promise<KeyRun> {
  const program = await bundled('virtual-yubikey-host');
  if (host === undefined || !host.usable) host = new KeyHost(program);
  return host.plug(args, output);
}
