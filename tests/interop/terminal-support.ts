// A real terminal for a command: util-linux `script` runs it on a pseudo-
// terminal, so the command sees a TTY (raw mode, no echo) exactly as when a
// person types. Keys are written to the terminal as the bytes a keyboard
// sends; what the terminal shows is collected.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { requirePrograms } from '../../scripts/lib/programs.ts';

export interface Terminal {
  /** Everything the terminal showed so far. */
  shown(): string;
  /** Resolves once the terminal has shown `text` (after `from` characters), failing after `ms`. */
  waitFor(text: string, ms?: number): Promise<void>;
  /** Types bytes as a keyboard sends them: \r for Enter, \x7f for Backspace, \x03 for Ctrl-C. */
  type(keys: string): void;
  /** The command's exit code (script -e passes it on). */
  exit(): Promise<number | null>;
}

const quote = (arg: string): string => `'${arg.replace(/'/g, `'\\''`)}'`;

export function onTerminal(command: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Terminal {
  requirePrograms(['script']);
  const child: ChildProcessWithoutNullStreams = spawn('script', ['--quiet', '--return', '--command', command.map(quote).join(' '), '/dev/null'], {
    cwd: options.cwd,
    env: { ...(options.env ?? process.env), TERM: 'dumb' },
  });
  let output = '';
  const listeners: (() => void)[] = [];
  const onOutput = (chunk: Buffer): void => {
    output += chunk.toString('utf8');
    for (const l of listeners.splice(0)) l();
  };
  child.stdout.on('data', onOutput);
  child.stderr.on('data', onOutput);
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    shown: () => output,
    async waitFor(text, ms = 60_000) {
      const deadline = Date.now() + ms;
      while (!output.includes(text)) {
        if (Date.now() > deadline) {
          child.kill('SIGKILL');
          throw new Error(`the terminal did not show ${JSON.stringify(text)} within ${ms} ms; it showed:\n${output}`);
        }
        await new Promise<void>((resolve) => {
          listeners.push(resolve);
          setTimeout(resolve, 200);
        });
      }
    },
    type(keys) {
      child.stdin.write(Buffer.from(keys, 'utf8'));
    },
    async exit() {
      const code = await exited;
      child.stdin.end();
      return code;
    },
  };
}
