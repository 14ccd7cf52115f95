// Secrets come only from standard input, one per line (never arguments or the
// environment, which other users and logs can see). Kept as bytes so they can
// be zeroed. On a terminal the typing is not echoed, Backspace and Ctrl-U
// edit the line, and Ctrl-C cancels the command before anything reaches the
// key (raw mode turns Ctrl-C into a byte instead of SIGINT, so it is handled
// here).
import type { Readable } from 'node:stream';

export interface SecretReader {
  /** The next line as bytes; the caller zeroes it. `label` is shown on a terminal only. */
  next(label: string): Promise<Uint8Array>;
  close(): void;
}

export class MissingInputError extends Error {}

/** The user pressed Ctrl-C at a prompt: the command stops, nothing was sent to the key. */
export class InputCancelledError extends Error {
  constructor() {
    super('Cancelled (Ctrl-C). Nothing was sent to the security key.');
    this.name = 'InputCancelledError';
  }
}

/** Terminal keys in raw mode (ASCII control characters; ECMA-48 for the escape sequences of arrow keys). */
const KEY = { CTRL_C: 0x03, CTRL_D: 0x04, BACKSPACE_BS: 0x08, LF: 0x0a, CR: 0x0d, CTRL_U: 0x15, ESC: 0x1b, CSI: 0x5b, DELETE: 0x7f } as const;

type TerminalInput = Readable & { isTTY?: boolean; setRawMode?: (on: boolean) => unknown };

/** A line being typed on a terminal: bytes of UTF-8, edited as keys arrive. */
class LineEditor {
  private line: number[] = [];
  private escape: 'none' | 'esc' | 'csi' = 'none';

  /** Feeds one byte; 'done' on Enter, 'cancel' on Ctrl-C, 'eof' on Ctrl-D at an empty line. */
  feed(byte: number): 'more' | 'done' | 'cancel' | 'eof' {
    if (this.escape !== 'none') {
      // An arrow or function key: ESC [ parameters final-byte (0x40–0x7E). Ignored, never part of a PIN.
      if (this.escape === 'esc') this.escape = byte === KEY.CSI ? 'csi' : 'none';
      else if (byte >= 0x40 && byte <= 0x7e) this.escape = 'none';
      return 'more';
    }
    switch (byte) {
      case KEY.CR:
      case KEY.LF:
        return 'done';
      case KEY.CTRL_C:
        return 'cancel';
      case KEY.CTRL_D:
        return this.line.length === 0 ? 'eof' : 'more';
      case KEY.DELETE:
      case KEY.BACKSPACE_BS:
        // One character back: UTF-8 continuation bytes (10xxxxxx), then the lead byte.
        while (this.line.length > 0 && (this.line[this.line.length - 1]! & 0xc0) === 0x80) this.line.pop();
        this.line.pop();
        return 'more';
      case KEY.CTRL_U:
        this.line.fill(0);
        this.line = [];
        return 'more';
      case KEY.ESC:
        this.escape = 'esc';
        return 'more';
      default:
        if (byte >= 0x20) this.line.push(byte);
        return 'more';
    }
  }

  take(): Uint8Array {
    const out = Uint8Array.from(this.line);
    this.clear();
    return out;
  }

  clear(): void {
    this.line.fill(0);
    this.line = [];
    this.escape = 'none';
  }
}

export function secretReader(input: TerminalInput, prompt: NodeJS.WritableStream): SecretReader {
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
  const waitForMore = (): Promise<void> => new Promise<void>((resolve) => waiters.push(resolve));
  const drop = (count: number): void => {
    const rest = Buffer.from(buffered.subarray(count));
    buffered.fill(0);
    buffered = rest;
  };

  /** Through a pipe: lines end in \n (a \r before it is dropped); the last line may lack it. */
  const pipedLine = async (label: string): Promise<Uint8Array> => {
    for (;;) {
      const end = buffered.indexOf(KEY.LF);
      if (end >= 0) {
        const line = Uint8Array.from(buffered.subarray(0, end).filter((b) => b !== KEY.CR));
        drop(end + 1);
        return line;
      }
      if (ended) {
        if (buffered.length > 0) {
          const line = Uint8Array.from(buffered.filter((b) => b !== KEY.CR));
          drop(buffered.length);
          return line;
        }
        throw new MissingInputError(`Expected the ${label} on standard input, one per line.`);
      }
      await waitForMore();
    }
  };

  /** On a terminal in raw mode: keys arrive one by one and edit the line. */
  const typedLine = async (label: string): Promise<Uint8Array> => {
    const editor = new LineEditor();
    try {
      for (;;) {
        let consumed = 0;
        for (const byte of buffered) {
          consumed++;
          const outcome = editor.feed(byte);
          if (outcome === 'more') continue;
          drop(consumed);
          if (outcome === 'done') return editor.take();
          if (outcome === 'cancel') throw new InputCancelledError();
          throw new MissingInputError(`Expected the ${label} (Ctrl-D ended the input).`);
        }
        drop(consumed);
        if (ended) throw new MissingInputError(`Expected the ${label} on standard input, one per line.`);
        await waitForMore();
      }
    } finally {
      editor.clear();
    }
  };

  return {
    async next(label: string): Promise<Uint8Array> {
      const tty = input.isTTY === true && typeof input.setRawMode === 'function';
      if (tty) {
        // Raw before the prompt shows: a key typed at once must not be echoed by the terminal.
        input.setRawMode!(true);
        prompt.write(`${label}: `);
      }
      listen();
      input.resume();
      try {
        return await (tty ? typedLine(label) : pipedLine(label));
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
