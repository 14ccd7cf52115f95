// Run by native-monitor.test.ts inside private namespaces (its own pcscd, its
// own loopback), never against a shared pcscd: plugs in a key, watches with a
// ReaderMonitor over createPcscStatusSource, stops and restarts pcscd, pulls
// the key, and prints one JSON object with every event and what a connection
// open across the stop answered.
import { NativeError } from '../../native/errors.ts';
import { createPcscStatusSource, createPcscTransport } from '../../native/pcsc/smartcard-transport.ts';
import { type ReaderEvent, ReaderMonitor } from '../../native/pcsc/reader-monitor.ts';
import { ensurePcscd, pcscdPids } from '../../scripts/lib/pcscd.ts';
import { startVirtualYubiKey } from '../../scripts/lib/virtual-key.ts';

export interface ScenarioEvent {
  readonly type: ReaderEvent['type'];
  readonly reader?: string;
  readonly atr?: string;
  /** Which step of the scenario it came in. */
  readonly phase: string;
  /** Milliseconds since that step began. */
  readonly afterMs: number;
}

export interface ScenarioReport {
  readonly events: ScenarioEvent[];
  /** The code a connection opened before the stop got for its next APDU. */
  readonly inFlightCode: string;
  /** The phases in order, with how long each took. */
  readonly phases: { readonly name: string; readonly ms: number }[];
}

const events: ScenarioEvent[] = [];
const phases: { name: string; ms: number }[] = [];
let phase = 'start';
let phaseStart = Date.now();

function begin(name: string): void {
  phases.push({ name: phase, ms: Date.now() - phaseStart });
  phase = name;
  phaseStart = Date.now();
}

/** Resolves once an event matching `match` arrived in the current phase; no fixed sleeps. */
async function waitFor(what: string, match: (e: ScenarioEvent) => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!events.some((e) => e.phase === phase && match(e))) {
    if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms in phase "${phase}"; events: ${JSON.stringify(events)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function main(): Promise<ScenarioReport> {
  if (pcscdPids().length > 0) throw new Error('a pcscd runs in this namespace already: the scenario must start its own');
  let pcscd = await ensurePcscd();
  const card = await startVirtualYubiKey({ reader: 0, profile: 'yk5.4.3', serial: 19_300_001 });
  const monitor = new ReaderMonitor(createPcscStatusSource(), { pollMs: 1000, retryMs: 200 });
  const unsubscribe = monitor.subscribe((e) => {
    events.push({
      type: e.type,
      ...('reader' in e ? { reader: e.reader } : {}),
      ...(e.type === 'card-inserted' ? { atr: Buffer.from(e.atr).toString('hex') } : {}),
      phase,
      afterMs: Date.now() - phaseStart,
    });
  });
  await waitFor('card-inserted', (e) => e.type === 'card-inserted' && e.reader === card.reader);

  const connection = await createPcscTransport().connect(card.reader, 'shared');
  begin('pcscd stopped');
  await pcscd.stop();
  await waitFor('service-unavailable', (e) => e.type === 'service-unavailable');
  let inFlightCode = 'none';
  try {
    await connection.transmit(Uint8Array.from([0x00, 0xa4, 0x04, 0x00, 0x05, 0xa0, 0x00, 0x00, 0x03, 0x08]));
  } catch (e) {
    inFlightCode = e instanceof NativeError ? e.code : `not a NativeError: ${String(e)}`;
  }
  await connection.disconnect();

  begin('pcscd started again');
  pcscd = await ensurePcscd();
  // The virtual key reconnects to the new pcscd's vpcd by itself (vpcd-link.ts).
  await waitFor('card-inserted', (e) => e.type === 'card-inserted' && e.reader === card.reader);

  begin('key pulled out');
  await card.stop();
  await waitFor('card-removed', (e) => e.type === 'card-removed' && e.reader === card.reader);
  begin('end');

  unsubscribe();
  await monitor.stop();
  await pcscd.stop();
  return { events, inFlightCode, phases };
}

main().then(
  (report) => {
    process.stdout.write(`${JSON.stringify(report)}\n`);
    process.exit(0);
  },
  (error: unknown) => {
    process.stderr.write(`monitor scenario failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
