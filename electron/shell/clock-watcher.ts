// Notices the wall clock being set (by the user, NTP after a long drift) and
// the time zone changing, which no Electron event reports (powerMonitor has
// 'resume' but nothing for the clock). Every tick compares how far the wall
// clock moved with how far the monotonic clock moved: a difference beyond the
// tolerance is a clock change. The zone is read at each tick too. Plain Node,
// with every clock injected, so each case is tested.
//
// V8 reads the system time zone once and keeps it unless told; where the
// runtime does not pass a zone change on, the new zone is seen at the next
// start. A clock change is always seen. Sleep stops the monotonic clock on
// Linux, so waking up also reads as a clock change: one evaluation more, harmless.

export type ClockChange = 'clock' | 'time-zone';

export interface ClockWatcherOptions {
  readonly onChange: (change: ClockChange) => void;
  /** Wall-clock milliseconds (Date.now). */
  readonly wallNow?: () => number;
  /** Monotonic milliseconds (performance.now). */
  readonly monotonicNow?: () => number;
  /** The zone's name and its offset now. */
  readonly timeZone?: () => string;
  readonly setInterval?: (tick: () => void, ms: number) => unknown;
  readonly clearInterval?: (handle: unknown) => void;
  readonly intervalMs?: number;
  /** How far the two clocks may drift apart in one tick before it counts (timers run late under load). */
  readonly toleranceMs?: number;
}

export const systemTimeZone = (): string => `${Intl.DateTimeFormat().resolvedOptions().timeZone} ${new Date().getTimezoneOffset()}`;

export class ClockWatcher {
  readonly #options: Required<ClockWatcherOptions>;
  #handle: unknown = null;
  #wall = 0;
  #monotonic = 0;
  #zone = '';

  constructor(options: ClockWatcherOptions) {
    this.#options = {
      wallNow: () => Date.now(),
      monotonicNow: () => performance.now(),
      timeZone: systemTimeZone,
      setInterval: (tick, ms) => {
        const timer = setInterval(tick, ms);
        // The watcher never keeps the process alive by itself.
        timer.unref();
        return timer;
      },
      clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
      intervalMs: 60_000,
      toleranceMs: 120_000,
      ...options,
    };
  }

  start(): void {
    if (this.#handle !== null) return;
    this.#remember();
    this.#handle = this.#options.setInterval(() => this.check(), this.#options.intervalMs);
  }

  stop(): void {
    if (this.#handle === null) return;
    this.#options.clearInterval(this.#handle);
    this.#handle = null;
  }

  /** One tick (the timer calls it; tests too). */
  check(): void {
    const wallMoved = this.#options.wallNow() - this.#wall;
    const monotonicMoved = this.#options.monotonicNow() - this.#monotonic;
    const zone = this.#options.timeZone();
    const zoneChanged = zone !== this.#zone;
    const clockChanged = Math.abs(wallMoved - monotonicMoved) > this.#options.toleranceMs;
    this.#remember();
    if (zoneChanged) this.#options.onChange('time-zone');
    else if (clockChanged) this.#options.onChange('clock');
  }

  #remember(): void {
    this.#wall = this.#options.wallNow();
    this.#monotonic = this.#options.monotonicNow();
    this.#zone = this.#options.timeZone();
  }
}
