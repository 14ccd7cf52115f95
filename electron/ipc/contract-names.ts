// The contract's names as values, each list written once: the channels (with
// what each answers), the events (with what each carries), the steps of
// pairing and renewal, the reminder stages, the attestation outcomes and the
// tray icons. contract.ts takes its types from here, and so does every list
// elsewhere. No zod and no Node: the preload, the web shell's page bridge and
// the renderer import this file, and zod stays out of their bundles (the
// input schemas are in contract.ts, checked against these names).
import type {
  KeySummary,
  PairingView,
  PrecheckView,
  ProgressEvent,
  ReminderDue,
  ReminderView,
  RenewalProgressEvent,
  RenewalView,
  SignInCheckView,
  StatusView,
  TrayAction,
  TrayModel,
  Warned,
} from './contract.ts';

/** Pairing's steps on the key, in the order the main process runs them (pairing-service.ts). */
export const PAIRING_STEPS = ['checking-key', 'setting-pin', 'securing-key', 'setting-puk', 'creating-key', 'requesting-certificate', 'saving'] as const;
export type PairingStepName = (typeof PAIRING_STEPS)[number];

/** Renewal's steps, in order (renewal-service.ts). */
export const RENEWAL_STEPS = ['checking-key', 'requesting-certificate', 'checking-certificate', 'writing-certificate', 'saving'] as const;
export type RenewalStepName = (typeof RENEWAL_STEPS)[number];

/** The renewal reminder's stages, from none to expired (policy `renewal`). */
export const REMINDER_STAGES = ['none', 'notice', 'urgent', 'final', 'expired'] as const;
export type ReminderStage = (typeof REMINDER_STAGES)[number];

/** Whether the key proved that its sign-in key was made on it. */
export const ATTESTATION_STATUSES = ['verified', 'failed', 'unsupported'] as const;
export type AttestationStatus = (typeof ATTESTATION_STATUSES)[number];

/** The tray's icons: one per reminder stage, 'ok' when none is due. */
export const TRAY_ICON_NAMES = ['ok', 'notice', 'urgent', 'final', 'expired'] as const;
export type TrayIconName = (typeof TRAY_ICON_NAMES)[number];

/** A type written beside a name, for the compiler only: what a channel answers or an event carries. The value is an empty object. */
interface Carries<T> {
  readonly type?: (value: T) => T;
}
const carrying = <T>(): Carries<T> => ({});
type Carried<M> = M extends Carries<infer T> ? T : never;

/** Every request/response channel, with what it answers. */
const CHANNELS = {
  'status.get': carrying<StatusView>(),
  'pairing.precheck': carrying<PrecheckView>(),
  'pairing.pair': carrying<PairingView & Warned>(),
  'pairing.resume': carrying<PairingView & Warned>(),
  'pin.change': carrying<{ readonly pinRetries: number | null } & Warned>(),
  'deregistration.remove': carrying<{ readonly revoked: boolean } & Warned>(),
  'signin.check': carrying<SignInCheckView>(),
  'renewal.renew': carrying<RenewalView>(),
  'renewal.snooze': carrying<ReminderView>(),
  'tray.get': carrying<TrayModel>(),
};

/** Every main→renderer event, with what it carries. */
const EVENTS = {
  'keys.changed': carrying<readonly KeySummary[]>(),
  'pairing.progress': carrying<ProgressEvent>(),
  'reminder.changed': carrying<ReminderView | null>(),
  'reminder.due': carrying<ReminderDue>(),
  'renewal.progress': carrying<RenewalProgressEvent>(),
  'tray.changed': carrying<TrayModel>(),
  /** The user picked a tray item (or clicked its notification) that the page acts on: 'renew' opens the renewal form. */
  'tray.action': carrying<TrayAction>(),
};

export type Channel = keyof typeof CHANNELS;
export type ChannelResults = { readonly [C in Channel]: Carried<(typeof CHANNELS)[C]> };
export type EventName = keyof typeof EVENTS;
export type Events = { readonly [E in EventName]: Carried<(typeof EVENTS)[E]> };

// Object.keys types its answer as string[]; the keys are exactly the maps' own.
export const CHANNEL_NAMES = Object.freeze(Object.keys(CHANNELS)) as readonly Channel[];

export const isChannel = (name: unknown): name is Channel => typeof name === 'string' && Object.hasOwn(CHANNELS, name);
export const isEventName = (name: unknown): name is EventName => typeof name === 'string' && Object.hasOwn(EVENTS, name);
