// The card "sitting in the reader": a TCP client of pcscd's vsmartcard-vpcd
// driver that serves a VirtualCard. vpcd listens on 127.0.0.1:(35963 + N) and
// accepts when pcscd polls the slot (vpcd.c vicc_connect / vicc_present), so
// connecting is inserting the card and closing the socket is pulling it out.
// If pcscd is not up yet, or restarts, the link reconnects with backoff.
import { createConnection, type Socket } from 'node:net';
import type { VirtualCard } from './card-interface.ts';
import { encodeFrame, FrameDecoder, VPCD_CTRL } from './vpcd-protocol.ts';

export interface VpcdLinkEvents {
  /** TCP connection to vpcd established (pcscd may not have polled yet). */
  readonly onConnected?: () => void;
  /** Connection lost (pcscd stopped or restarted); a reconnect follows. */
  readonly onDisconnected?: () => void;
  /** pcscd powered the card up and has read its ATR: from now on clients see a card. */
  readonly onPoweredUp?: () => void;
  /** --fault-after fired: the K-th APDU was not answered and the link is closed for good. */
  readonly onFault?: (apduNumber: number) => void;
  /**
   * `holdAt` reached: the card has carried out that APDU (its state saved) and
   * the answer waits until `release()` is called. A test stops the program
   * that sent it meanwhile (the app killed right after a step, as the reliability suites do).
   */
  readonly onHold?: (apduNumber: number, release: () => void) => void;
}

export interface VpcdLinkOptions extends VpcdLinkEvents {
  readonly card: VirtualCard;
  readonly port: number;
  readonly host?: string;
  /** Vanish (close, no answer) instead of answering this APDU, counted from 1 over the link's life. */
  readonly faultAfter?: number;
  /** Carry out this APDU (counted as faultAfter) but hold its answer back until onHold's release(). */
  readonly holdAt?: number;
  /** Reconnect delays: start, doubling up to max. */
  readonly retryInitialMs?: number;
  readonly retryMaxMs?: number;
  /** Warn when connected but pcscd sends nothing for this long (another card may hold the slot). */
  readonly idleWarningMs?: number;
  readonly log?: (message: string) => void;
}

const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_RETRY_INITIAL_MS = 100;
const DEFAULT_RETRY_MAX_MS = 2000;
const DEFAULT_IDLE_WARNING_MS = 5000;

export class VpcdLink {
  private socket: Socket | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private retryDelay: number;
  private stopped = false;
  private apduCount = 0;
  /** Set by power-on; the next ATR answer completes the insertion as pcscd sees it. */
  private awaitingPowerUpAtr = false;
  private waitingLogged = false;

  constructor(private readonly options: VpcdLinkOptions) {
    this.retryDelay = options.retryInitialMs ?? DEFAULT_RETRY_INITIAL_MS;
  }

  /** APDUs received so far (control codes are not counted). */
  get apdusReceived(): number {
    return this.apduCount;
  }

  get connected(): boolean {
    return this.socket !== null && !this.socket.connecting && !this.socket.destroyed;
  }

  start(): void {
    if (this.stopped) throw new Error('VpcdLink: start() after close()');
    this.connect();
  }

  /** Pulls the card out: closes the connection and stops reconnecting. */
  close(): Promise<void> {
    this.stopped = true;
    this.clearTimers();
    const socket = this.socket;
    this.socket = null;
    if (socket === null || socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      socket.once('close', () => resolve());
      socket.destroy();
    });
  }

  private log(message: string): void {
    this.options.log?.(message);
  }

  private connect(): void {
    const { host = DEFAULT_HOST, port } = this.options;
    const socket = createConnection({ host, port });
    this.socket = socket;
    const decoder = new FrameDecoder();
    let everConnected = false;

    socket.setNoDelay(true);
    socket.on('connect', () => {
      everConnected = true;
      this.waitingLogged = false;
      this.log(`connected to vpcd at ${host}:${port}`);
      this.armIdleWarning();
      this.options.onConnected?.();
    });
    socket.on('data', (chunk: Buffer) => {
      this.armIdleWarning();
      for (const message of decoder.push(chunk)) {
        if (this.socket !== socket) return; // closed by a fault while handling this chunk
        this.handle(socket, message);
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // ECONNREFUSED while pcscd is down is expected: say it once, then keep trying.
      if (!everConnected && !this.waitingLogged) {
        this.log(`waiting for pcscd's vpcd on ${host}:${port} (${error.code ?? error.message})`);
        this.waitingLogged = true;
      } else if (everConnected) {
        this.log(`vpcd connection error: ${error.code ?? error.message}`);
      }
    });
    socket.on('close', () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.clearTimers();
      this.awaitingPowerUpAtr = false;
      if (this.stopped) return;
      if (everConnected) {
        this.log('vpcd closed the connection (pcscd stopped?); reconnecting');
        this.retryDelay = this.options.retryInitialMs ?? DEFAULT_RETRY_INITIAL_MS;
        this.options.onDisconnected?.();
      }
      this.scheduleReconnect();
    });
  }

  private scheduleReconnect(): void {
    const delay = this.retryDelay;
    this.retryDelay = Math.min(delay * 2, this.options.retryMaxMs ?? DEFAULT_RETRY_MAX_MS);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.stopped) this.connect();
    }, delay);
  }

  private handle(socket: Socket, message: Uint8Array): void {
    if (message.length === 0) {
      this.log('vpcd sent an empty message; ignored');
      return;
    }
    if (message.length === 1) {
      this.control(socket, message[0]!);
      return;
    }
    this.apduCount += 1;
    if (this.options.faultAfter !== undefined && this.apduCount >= this.options.faultAfter) {
      this.fault(socket);
      return;
    }
    const answer = encodeFrame(this.options.card.transmit(message));
    // The card went out while carrying it out (its state could not be saved): no answer.
    if (this.socket !== socket) return;
    if (this.options.holdAt === this.apduCount) {
      const release = (): void => {
        if (this.socket === socket) socket.write(answer);
      };
      if (this.options.onHold === undefined) release();
      else this.options.onHold(this.apduCount, release);
      return;
    }
    socket.write(answer);
  }

  private control(socket: Socket, code: number): void {
    const { card } = this.options;
    switch (code) {
      case VPCD_CTRL.OFF:
        card.powerOff();
        return;
      case VPCD_CTRL.ON:
        card.powerOn();
        this.awaitingPowerUpAtr = true;
        return;
      case VPCD_CTRL.RESET:
        card.reset();
        return;
      case VPCD_CTRL.ATR:
        socket.write(encodeFrame(card.atr));
        if (this.awaitingPowerUpAtr) {
          this.awaitingPowerUpAtr = false;
          this.options.onPoweredUp?.();
        }
        return;
      default:
        // VirtualSmartcard.py logs and ignores unknown control codes; so do we.
        this.log(`unknown vpcd control code ${code}; ignored`);
    }
  }

  /** The card is pulled out mid-command: no answer, connection gone, no reconnect. */
  private fault(socket: Socket): void {
    this.log(`--fault-after: card pulled out instead of answering APDU #${this.apduCount}`);
    this.stopped = true;
    this.clearTimers();
    this.socket = null;
    socket.destroy();
    this.options.onFault?.(this.apduCount);
  }

  private armIdleWarning(): void {
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    // Only until pcscd first talks to us: afterwards silence just means no client.
    if (this.awaitingFirstTraffic()) {
      this.idleTimer = setTimeout(() => {
        this.log('connected to vpcd, but pcscd has not polled this slot: is another virtual card in this reader?');
      }, this.options.idleWarningMs ?? DEFAULT_IDLE_WARNING_MS);
      this.idleTimer.unref();
    } else {
      this.idleTimer = null;
    }
  }

  private awaitingFirstTraffic(): boolean {
    return this.socket !== null && this.socket.bytesRead === 0;
  }

  private clearTimers(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.retryTimer = null;
    this.idleTimer = null;
  }
}
