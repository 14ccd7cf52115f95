// Secrets come only from standard input, one per line (never arguments or the
// environment, which other users and logs can see). Kept as bytes so they can
// be zeroed; on a terminal the typing is not echoed.
import type { Readable } from 'node:stream';

export interface SecretReader {
  /** The next line as bytes; the caller zeroes it. `label` is shown on a terminal only. */
  next(label: string): Promise<Uint8Array>;
  close(): void;
}

export class MissingInputError extends Error {}

export function secretReader(input: Readable & { isTTY?: boolean; setRawMode?: (on: boolean) => unknown }, prompt: NodeJS.WritableStream): SecretReader {
  let buffered = Buffer.alloc(0);
  let ended = false;
  const waiters: (() => void)[] = [];
  const wake = (): void => {
    for (const w of waiters.splice(0)) w();
  };
  const onData = (chunk: Buffer | string): void => {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    const next = Buffer.concat([buffered, bytes]);
    buffered.fill(0);
    bytes.fill(0);
    buffered = next;
    wake();
  };
  const onEnd = (): void => {
    ended = true;
    wake();
  };
  let listening = false;
  const listen = (): void => {
    if (listening) return;
    listening = true;
    input.on('data', onData);
    input.on('end', onEnd);
  };

  return {
    async next(label: string): Promise<Uint8Array> {
      const tty = input.isTTY === true && typeof input.setRawMode === 'function';
      if (tty) {
        prompt.write(`${label}: `);
        input.setRawMode!(true);
      }
      listen();
      input.resume();
      try {
        for (;;) {
          // On a raw terminal Enter sends \r; through a pipe lines end in \n.
          const end = buffered.findIndex((b) => b === 0x0a || (tty && b === 0x0d));
          if (end >= 0) {
            const line = Uint8Array.from(buffered.subarray(0, end).filter((b) => b !== 0x0d));
            const rest = Buffer.from(buffered.subarray(end + 1));
            buffered.fill(0);
            buffered = rest;
            return line;
          }
          if (ended) {
            if (buffered.length > 0) {
              const line = Uint8Array.from(buffered.filter((b) => b !== 0x0d));
              buffered.fill(0);
              buffered = Buffer.alloc(0);
              return line;
            }
            throw new MissingInputError(`Expected the ${label} on standard input, one per line.`);
          }
          await new Promise<void>((resolve) => waiters.push(resolve));
        }
      } finally {
        if (tty) {
          input.setRawMode!(false);
          prompt.write('\n');
        }
        input.pause();
      }
    },
    close(): void {
      buffered.fill(0);
      input.off('data', onData);
      input.off('end', onEnd);
      input.pause();
    },
  };
}
