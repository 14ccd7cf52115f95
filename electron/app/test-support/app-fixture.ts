// Test-only: the whole service stack on in-process virtual keys, a temp data
// folder, the local CA and a fixed user. No pcscd, no Electron.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Transport } from '../../../native/pcsc/transport.ts';
import { VirtualTransport } from '../../../native/virtual-yubikey/virtual-transport.ts';
import type { VirtualCard } from '../../../native/virtual-yubikey/card-interface.ts';
import { createVirtualYubiKey, type ProfileName } from '../../../native/virtual-yubikey/index.ts';
import type { Channel, ChannelInput, ChannelResults, ProgressEvent, Result } from '../../ipc/contract.ts';
import type { EnrollmentBackend } from '../../services/enrollment/backend.ts';
import { type AppServices, createAppServices } from '../app-services.ts';

export const READER_0 = 'Virtual PCD 00 00';
export const READER_1 = 'Virtual PCD 00 01';

export interface AppFixture {
  readonly app: AppServices;
  readonly transport: VirtualTransport;
  readonly card: VirtualCard;
  readonly dataDir: string;
  readonly progress: ProgressEvent[];
  call<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<Result<ChannelResults[C]>>;
  /** The value of a call that must succeed. */
  value<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelResults[C]>;
}

export interface FixtureOptions {
  readonly profile?: ProfileName;
  readonly serial?: number;
  readonly policy?: string;
  readonly enrollment?: EnrollmentBackend;
  readonly dataDir?: string;
  /** A card of the test's own (e.g. one that does something when it sees a command). */
  readonly card?: VirtualCard;
  readonly now?: () => Date;
  /** The OS user the certificate is for (default alice). */
  readonly userName?: string;
  /** Wraps the virtual transport the services use (e.g. to count APDUs). */
  readonly wrapTransport?: (transport: Transport) => Transport;
}

export async function appFixture(options: FixtureOptions = {}): Promise<AppFixture> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'wfa-app-')));
  const transport = new VirtualTransport();
  const card = options.card ?? createVirtualYubiKey({ profile: options.profile ?? 'yk5.4.3', serial: options.serial ?? 21000001 });
  transport.insert(READER_0, card);
  transport.insert(READER_1, null);
  let configPath: string | undefined;
  if (options.policy !== undefined) {
    const { writeFile } = await import('node:fs/promises');
    configPath = join(dataDir, 'policy.json');
    await writeFile(configPath, options.policy);
  }
  const app = await createAppServices({
    dataDir,
    configPath,
    env: {},
    transport: options.wrapTransport?.(transport) ?? transport,
    statusSource: null,
    userName: options.userName ?? 'alice',
    platform: 'linux',
    enrollment: options.enrollment,
    now: options.now,
    log: () => undefined,
    // Never the host's own per-machine policy (/etc/workforce-access/policy.json): the test decides.
    machinePolicy: null,
  });
  const progress: ProgressEvent[] = [];
  app.events.subscribe((e) => {
    if (e.name === 'pairing.progress') progress.push(e.payload);
  });
  const call = <C extends Channel>(channel: C, input: ChannelInput<C>): Promise<Result<ChannelResults[C]>> =>
    (app.handlers[channel] as (i: ChannelInput<C>) => Promise<Result<ChannelResults[C]>>)(input);
  return {
    app,
    transport,
    card,
    dataDir,
    progress,
    call,
    async value(channel, input) {
      const r = await call(channel, input);
      if (!r.ok) throw new Error(`${channel} failed: ${r.error.code} ${r.error.message}`);
      return r.value;
    },
  };
}
