// Secrets typed on a terminal (raw mode): not echoed, Backspace and Ctrl-U
// edit, arrow keys are ignored, Ctrl-C cancels, Ctrl-D at an empty line ends
// the input. A fake terminal stream here; a real pty in
// tests/interop/native-terminal.test.ts.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { InputCancelledError, MissingInputError, secretReader } from './secrets-input.ts';

function terminal(): {
  input: PassThrough & { isTTY: boolean; setRawMode: (on: boolean) => void };
  raw: boolean[];
  shown: () => string;
  reader: ReturnType<typeof secretReader>;
} {
  const raw: boolean[] = [];
  const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: (on: boolean) => void raw.push(on) });
  const prompt = new PassThrough();
  const chunks: Buffer[] = [];
  prompt.on('data', (c: Buffer) => chunks.push(c));
  return { input, raw, shown: () => Buffer.concat(chunks).toString('utf8'), reader: secretReader(input, prompt) };
}

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

describe('secrets typed on a terminal', () => {
  it('shows only the prompt, in raw mode while typing, and returns the line on Enter', async () => {
    const t = terminal();
    const pending = t.reader.next('PIN');
    t.input.write('58203917\r');
    expect(text(await pending)).toBe('58203917');
    expect(t.shown()).toBe('PIN: \n');
    expect(t.raw).toEqual([true, false]);
  });

  it('Backspace (DEL or BS) removes the last character, a multi-byte one whole; Ctrl-U clears the line', async () => {
    const t = terminal();
    const pending = t.reader.next('New PIN');
    t.input.write('5820x\x7f3\x08391é\x7f7\r');
    expect(text(await pending)).toBe('58203917');
    const second = t.reader.next('PIN');
    t.input.write('wrong\x15246813\r');
    expect(text(await second)).toBe('246813');
  });

  it('ignores arrow keys and other control characters', async () => {
    const t = terminal();
    const pending = t.reader.next('PIN');
    t.input.write('58\x1b[D20\x1b[C39\x0917\r');
    expect(text(await pending)).toBe('58203917');
  });

  it('Ctrl-C cancels (InputCancelledError) and leaves raw mode; keys typed before it are dropped', async () => {
    const t = terminal();
    const pending = t.reader.next('PIN');
    t.input.write('999999\x03');
    await expect(pending).rejects.toBeInstanceOf(InputCancelledError);
    expect(t.raw).toEqual([true, false]);
    expect(t.shown()).not.toContain('9');
  });

  it('Ctrl-D at an empty line ends the input; within a line it is ignored', async () => {
    const t = terminal();
    const first = t.reader.next('PIN');
    t.input.write('12\x0434567\r');
    expect(text(await first)).toBe('1234567');
    const second = t.reader.next('PIN');
    t.input.write('\x04');
    await expect(second).rejects.toBeInstanceOf(MissingInputError);
  });
});

describe('secrets through a pipe', () => {
  it('reads lines as they are, CRLF included, and the last line without a newline', async () => {
    const input = new PassThrough();
    const reader = secretReader(input, new PassThrough());
    input.end('123456\r\n58203917');
    expect(text(await reader.next('Current PIN'))).toBe('123456');
    expect(text(await reader.next('New PIN'))).toBe('58203917');
    await expect(reader.next('PUK')).rejects.toBeInstanceOf(MissingInputError);
  });
});
