// A fake vpcd for the tests of the reader link and of plugging a key in: a TCP
// server on an ephemeral port that speaks vpcd.c's framing (2-byte big-endian
// length + bytes) the way pcscd's driver does: it polls the ATR, powers the
// card up, sends APDUs.
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { encodeFrame, FrameDecoder } from './vpcd-protocol.ts';

/** The reader side: accepts the card and reads framed answers. */
export class FakeVpcd {
  readonly connections: Socket[] = [];
  private readonly answers: Uint8Array[] = [];
  private waiters: (() => void)[] = [];
  private constructor(
    readonly server: Server,
    readonly port: number,
  ) {}

  static async start(port = 0): Promise<FakeVpcd> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    const fake = new FakeVpcd(server, (server.address() as AddressInfo).port);
    server.on('connection', (socket) => {
      fake.connections.push(socket);
      const decoder = new FrameDecoder();
      socket.on('data', (chunk: Buffer) => {
        fake.answers.push(...decoder.push(chunk));
        fake.notify();
      });
      socket.on('close', () => fake.notify());
      fake.notify();
    });
    return fake;
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Resolves when `check` holds, re-checking on every socket event. */
  async until(check: () => boolean, timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) throw new Error('fake vpcd: timed out');
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 20);
      });
    }
  }

  get socket(): Socket {
    const s = this.connections.at(-1);
    if (s === undefined) throw new Error('no connection');
    return s;
  }

  async connected(count = 1): Promise<Socket> {
    await this.until(() => this.connections.length >= count);
    return this.socket;
  }

  /** Sends one framed message and waits for the framed answer. */
  async exchange(payload: Uint8Array): Promise<Uint8Array> {
    const before = this.answers.length;
    this.socket.write(encodeFrame(payload));
    await this.until(() => this.answers.length > before);
    return this.answers[before]!;
  }

  get received(): readonly Uint8Array[] {
    return this.answers;
  }

  async stop(): Promise<void> {
    for (const s of this.connections) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
