// The composition root of the services: one factory that both shells (the
// Electron main process and the web shell) and the CLI use, so every flow runs
// the same code. Handlers never throw: every failure becomes a Result.
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { createPcscStatusSource, createPcscTransport } from '../../native/pcsc/pcsclite-transport.ts';
import { ReaderMonitor, type ReaderStatusSource } from '../../native/pcsc/reader-monitor.ts';
import type { Transport } from '../../native/pcsc/transport.ts';
import { type Handlers, fail, ok, type Result, type StatusView } from '../ipc/contract.ts';
import { EventHub } from '../shell/event-hub.ts';
import { toAppError } from './app-error.ts';
import { attestationTrust, findAttestationAssets } from './attestation/app-trust.ts';
import { AuditLog } from './audit/audit-log.ts';
import { DeregistrationService } from './deregistration/deregistration-service.ts';
import type { EnrollmentBackend } from './enrollment/backend.ts';
import { createEnrollmentBackend } from './enrollment/create-backend.ts';
import { KeyLock } from './key-lock.ts';
import { KeyService } from './keys/key-service.ts';
import { emptyPairingState, pairingStore } from './pairing/pairing-store.ts';
import { PairingService } from './pairing/pairing-service.ts';
import { pairingView } from './pairing/pairing-view.ts';
import { PinService } from './pin/pin-service.ts';
import { locateMachinePolicy, type MachinePolicyLocation } from './policy/machine-policy.ts';
import { loadPolicy } from './policy/policy-loader.ts';
import type { Policy } from './policy/policy-schema.ts';
import { connectTrayFeed } from './renewal/tray-feed.ts';
import { RenewalService } from './renewal/renewal-service.ts';
import { reminderSchedule } from './renewal/reminder-schedule.ts';
import { nodeTimer, ReminderScheduler, type SetTimer } from './renewal/reminder-scheduler.ts';
import { SettingsService } from './settings/settings-store.ts';
import { SignInCheckService } from './signin/signin-check-service.ts';
import { readStatusState } from './status-problems.ts';

export interface CreateAppServicesOptions {
  readonly dataDir: string;
  readonly configPath?: string;
  readonly env: NodeJS.ProcessEnv;
  /** Injected in tests: an in-process transport, a fixed clock, a user, a backend. */
  readonly transport?: Transport;
  readonly statusSource?: ReaderStatusSource | null;
  readonly now?: () => Date;
  readonly userName?: string;
  readonly platform?: NodeJS.Platform;
  readonly enrollment?: EnrollmentBackend;
  readonly log?: (line: string) => void;
  /** Injected in tests: the reminder scheduler's timer. */
  readonly setTimer?: SetTimer;
  /** The per-machine policy; default: where the installer writes it on this OS (machine-policy.ts). */
  readonly machinePolicy?: MachinePolicyLocation | null;
  /** Yubico's attestation certificates (assets/attestation); default: found next to the code (app-trust.ts). */
  readonly attestationAssets?: string;
}

export interface AppServicesInstance {
  readonly handlers: Handlers;
  readonly events: EventHub;
  readonly policy: Policy;
  readonly pairing: PairingService;
  readonly keys: KeyService;
  /** The renewal reminders: the shell calls start(), and evaluate('resume' | 'clock-change') on those system events. */
  readonly reminders: ReminderScheduler;
  /** Per-user settings: start at login, the last snooze choice. */
  readonly settings: SettingsService;
  status(): Promise<StatusView>;
  close(): Promise<void>;
}

async function guarded<T>(work: () => Promise<T>): Promise<Result<T>> {
  try {
    return ok(await work());
  } catch (e) {
    return fail(toAppError(e));
  }
}

export async function createAppServices(options: CreateAppServicesOptions): Promise<AppServicesInstance> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const now = options.now ?? (() => new Date());
  const machinePolicy = options.machinePolicy === undefined ? await locateMachinePolicy() : options.machinePolicy;
  const { policy, source: policySource, ignored } = await loadPolicy({ machinePath: machinePolicy?.path, configFlag: options.configPath, env: options.env });
  // A per-machine policy cannot be replaced by the user: say what was set aside, and why.
  for (const source of ignored) log(`policy: ${source} ignored: this machine's policy ${policySource ?? ''} applies`);
  const platform = options.platform ?? process.platform;
  const digitsOnly = platform === 'darwin' || policy.pin.digitsOnly;
  const userName = options.userName ?? userInfo().username;
  const identity = { userName, upn: `${userName}@${policy.identity.upnSuffix}` };
  const transport = options.transport ?? createPcscTransport();
  const enrollment = options.enrollment ?? createEnrollmentBackend(policy, { dataDir: options.dataDir, now });
  const events = new EventHub(log);
  const store = pairingStore(options.dataDir, now);
  const audit = new AuditLog(join(options.dataDir, 'audit.log'), now);
  const lock = new KeyLock(transport);
  const keys = new KeyService({
    transport,
    lock,
    // An unreadable record is reported by status (problems); the key list still shows.
    pairedSerial: async () => (await store.read().catch(() => null))?.pairing?.serial ?? null,
    onChange: (list) => events.emit('keys.changed', list),
    log,
  });
  const statusSource = options.statusSource === undefined ? (options.transport === undefined ? createPcscStatusSource() : null) : options.statusSource;
  const monitor = statusSource === null ? null : new ReaderMonitor(statusSource);
  if (monitor !== null) keys.watch(monitor);

  const pairing = new PairingService({
    dataDir: options.dataDir,
    store,
    keys,
    lock,
    enrollment,
    policy,
    identity,
    audit,
    digitsOnly,
    now,
    onProgress: (e) => events.emit('pairing.progress', e),
    attestationTrust: attestationTrust(policy.attestation.extraRoots, options.attestationAssets ?? findAttestationAssets()),
  });
  const pin = new PinService({ dataDir: options.dataDir, store, keys, lock, audit, digitsOnly, now });
  const deregistration = new DeregistrationService({ dataDir: options.dataDir, store, keys, lock, audit, enrollment, log });
  const signIn = new SignInCheckService({ store, keys, lock, enrollment, now });
  const renewal = new RenewalService({ store, keys, lock, enrollment, policy, identity, audit, now, onProgress: (e) => events.emit('renewal.progress', e), log });
  const settings = new SettingsService(options.dataDir, now);
  const reminders = new ReminderScheduler({
    clock: now,
    setTimer: options.setTimer ?? nodeTimer,
    store,
    policy,
    onChanged: (view) => events.emit('reminder.changed', view),
    onDue: (due) => events.emit('reminder.due', due),
    audit,
    log,
  });

  const status = async (): Promise<StatusView> => {
    const keyList = await keys.refresh();
    const { state, problems } = await readStatusState({ dataDir: options.dataDir, store, keys });
    const record = state.pairing;
    return {
      keys: keyList,
      pairing: pairingView(state),
      reminder: record === null ? null : reminderSchedule(new Date(record.certificate.notAfter), now(), policy.renewal, state.reminder).view,
      pinDigitsOnly: digitsOnly,
      enrollmentPasswordNeeded: pairing.enrollmentPasswordNeeded,
      problems,
    };
  };

  /** The reminder follows a new or removed pairing, or a renewal, at once. */
  const afterward = async <T>(work: Promise<T>, reason: 'paired' | 'renewed'): Promise<T> => {
    const value = await work;
    await reminders.evaluate(reason);
    return value;
  };

  // A store that cannot be read is reported by status (status-problems.ts); the tray starts from no pairing.
  const initialState = await store.read().catch(() => emptyPairingState());
  const initialRecord = initialState.pairing;
  const tray = connectTrayFeed(
    events,
    initialRecord === null ? null : reminderSchedule(new Date(initialRecord.certificate.notAfter), now(), policy.renewal, initialState.reminder).view,
  );

  const handlers: Handlers = {
    'status.get': () => guarded(status),
    'pairing.precheck': (input) => guarded(() => pairing.precheck(input)),
    'pairing.pair': (input) => guarded(() => afterward(pairing.pair(input), 'paired')),
    'pairing.resume': (input) => guarded(() => afterward(pairing.resume(input.serial, input.pin, input.enrollmentPassword), 'paired')),
    'pin.change': (input) => guarded(() => pin.changePin(input)),
    'deregistration.remove': (input) => guarded(() => afterward(deregistration.remove(input.serial, input.confirmOtherKey), 'paired')),
    'signin.check': (input) => guarded(() => signIn.check(input.pin, input, input.lastTryConfirmed === true)),
    'renewal.renew': (input) => guarded(() => afterward(renewal.renew(input), 'renewed')),
    'renewal.snooze': (input) =>
      guarded(async () => {
        const view = await reminders.snooze(input.days);
        // The user's choice is offered first next time; a settings file that cannot be written does not undo the snooze.
        if (input.days !== undefined) await settings.recordSnoozeChoice(input.days).catch((e: unknown) => log(`settings: snooze choice not saved (${String(e)})`));
        return view;
      }),
    'tray.get': () => Promise.resolve(ok(tray.model)),
  };

  return {
    handlers,
    events,
    policy,
    pairing,
    keys,
    reminders,
    settings,
    status,
    async close() {
      reminders.stop();
      tray.stop();
      keys.stop();
      await monitor?.stop();
    },
  };
}
