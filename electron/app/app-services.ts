// The composition root: the one place that makes the services and wires them
// together, and the only one that imports the PC/SC transport. Both shells
// (the Electron main process and the web shell) and the CLI start the app
// through `createAppServices`, so every flow runs the same code.
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { createPcscStatusSource, createPcscTransport } from '../../native/pcsc/smartcard-transport.ts';
import { ReaderMonitor, type ReaderStatusSource } from '../../native/pcsc/reader-monitor.ts';
import type { Transport } from '../../native/pcsc/transport.ts';
import type { Handlers, StatusView } from '../ipc/contract.ts';
import { attestationTrust, findAttestationAssets } from '../services/attestation/app-trust.ts';
import { AuditLog } from '../services/audit/audit-log.ts';
import { DeregistrationService } from '../services/deregistration/deregistration-service.ts';
import type { EnrollmentBackend } from '../services/enrollment/backend.ts';
import { createEnrollmentBackend } from '../services/enrollment/create-backend.ts';
import { EventHub } from '../services/events/event-hub.ts';
import { createHandlers } from '../services/handlers.ts';
import { KeyLock } from '../services/key-lock.ts';
import { KeyService } from '../services/keys/key-service.ts';
import { emptyPairingState, pairingStore } from '../services/pairing/pairing-store.ts';
import type { CertificateFlowOptions } from '../services/pairing/certificate-flow-options.ts';
import { PairingService } from '../services/pairing/pairing-service.ts';
import { pairingView } from '../services/pairing/pairing-view.ts';
import { PinService } from '../services/pin/pin-service.ts';
import { locateMachinePolicy, type MachinePolicyLocation } from '../services/policy/machine-policy.ts';
import { loadPolicy } from '../services/policy/policy-loader.ts';
import type { Policy } from '../services/policy/policy-schema.ts';
import { connectTrayFeed } from '../services/renewal/tray-feed.ts';
import { RenewalService } from '../services/renewal/renewal-service.ts';
import { reminderSchedule } from '../services/renewal/reminder-schedule.ts';
import { nodeTimer, ReminderScheduler, type SetTimer } from '../services/renewal/reminder-scheduler.ts';
import { SettingsService } from '../services/settings/settings-store.ts';
import { SignInCheckService } from '../services/signin/signin-check-service.ts';
import { readStatusState } from '../services/status-problems.ts';

/** The transport to the system's PC/SC service (pcscd, WinSCard, CryptoTokenKit), for the CLI's own key commands. */
export { createPcscTransport as systemTransport };

export interface AppServicesOptions {
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

export interface AppServices {
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

/** What the shells are given (a narrower view of the same types): the options they set, and the services they serve. */
export type ShellServicesOptions = Pick<AppServicesOptions, 'dataDir' | 'configPath' | 'env' | 'attestationAssets'>;
export type ShellServices = Pick<AppServices, 'handlers' | 'events' | 'close'>;

export async function createAppServices(options: AppServicesOptions): Promise<AppServices> {
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

  // What pairing and renewal both work with: the same records, key lock, CA and audit log.
  const certificateFlow: CertificateFlowOptions = { store, keys, lock, enrollment, policy, identity, audit, now };
  const pairing = new PairingService({
    ...certificateFlow,
    dataDir: options.dataDir,
    digitsOnly,
    onProgress: (e) => events.emit('pairing.progress', e),
    attestationTrust: attestationTrust(policy.attestation.extraRoots, options.attestationAssets ?? findAttestationAssets()),
  });
  const pin = new PinService({ dataDir: options.dataDir, store, keys, lock, audit, digitsOnly, now });
  const deregistration = new DeregistrationService({ dataDir: options.dataDir, store, keys, lock, audit, enrollment, log });
  const signIn = new SignInCheckService({ store, keys, lock, enrollment, now });
  const renewal = new RenewalService({
    ...certificateFlow,
    onProgress: (e) => events.emit('renewal.progress', e),
    log,
  });
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

  // A store that cannot be read is reported by status (status-problems.ts); the tray starts from no pairing.
  const initialState = await store.read().catch(() => emptyPairingState());
  const initialRecord = initialState.pairing;
  const tray = connectTrayFeed(
    events,
    initialRecord === null ? null : reminderSchedule(new Date(initialRecord.certificate.notAfter), now(), policy.renewal, initialState.reminder).view,
  );

  const handlers = createHandlers({ status, pairing, pin, deregistration, signIn, renewal, reminders, settings, tray, log });

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
