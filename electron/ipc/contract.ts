// The one IPC contract: every channel's input schema and result type, and
// every main→renderer event's payload. The names themselves, and what each
// channel answers, are listed once in contract-names.ts (no zod, so the
// preload and the page can import them). Imported by preload, main, the web
// shell and the renderer. Errors travel as data (`Result`): Electron's invoke
// loses an error's class and fields.
import { z } from 'zod';
import {
  type AttestationStatus,
  type Channel,
  type ChannelResults,
  isChannel,
  type PairingStepName,
  type ReminderStage,
  type RenewalStepName,
  type TrayIconName,
} from './contract-names.ts';
import type { ErrorCode } from './error-codes.ts';
import { invalidRequest } from './error-messages.ts';
import type { PinRuleId } from './pin-rules.ts';

export { invalidRequest };
export type {
  AttestationStatus,
  Channel,
  ChannelResults,
  EventName,
  Events,
  PairingStepName,
  ReminderStage,
  RenewalStepName,
  TrayIconName,
} from './contract-names.ts';

export interface AppError {
  readonly code: ErrorCode;
  /** English sentence for logs and the CLI, from the message table (error-messages.ts); the renderer shows the same code's title and action. */
  readonly message: string;
  /** The facts the words were made from (serial, reader, step, tries…), for scripts (`--json`); never a secret. */
  readonly facts?: Readonly<Record<string, unknown>>;
  /** PIN/PUK tries left, when the error is about a PIN or PUK. */
  readonly retries?: number;
  /** What was found, for the administrator: the CA's reason, the bad setting, the file or folder (never a secret). */
  readonly detail?: string;
  /** The form field a PIN error belongs under. */
  readonly field?: 'newPin' | 'confirmation' | 'currentPin';
  /** The PIN rule that failed. */
  readonly rule?: PinRuleId;
}

/** Something that went wrong after the key had changed: the change stands, this is reported beside it. */
export interface Warned {
  readonly warnings: readonly string[];
}

/** A problem that persists until the user acts (home screen, `wfa status`). */
export interface StatusProblem {
  readonly code: ErrorCode;
  /** What happened and what to do, in English (the renderer shows its own words for `code` too). */
  readonly message: string;
  /** The file, folder or key concerned. */
  readonly detail?: string;
}

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: AppError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (error: AppError): Result<never> => ({ ok: false, error });

// ---- Shapes the renderer shows --------------------------------------------

export interface KeySummary {
  readonly reader: string;
  readonly serial: number;
  readonly model: string;
  readonly firmware: string;
  readonly pinRetries: number | null;
  readonly pukRetries: number | null;
  readonly managementKey: 'default' | 'protected' | 'unknown';
  readonly paired: boolean;
}

export interface CertificateView {
  readonly serial: string;
  readonly subject: string;
  /** ISO 8601. */
  readonly notAfter: string;
}

export interface ReminderView {
  readonly stage: ReminderStage;
  readonly daysLeft: number;
  readonly snoozedUntil: string | null;
  readonly canSnooze: boolean;
  /** Days the user may snooze for now; [] when snoozing is not allowed. */
  readonly snoozeChoices: readonly number[];
}

/** The scheduler says: show this reminder now (once). */
export interface ReminderDue {
  readonly stage: Exclude<ReminderStage, 'none'>;
  readonly daysLeft: number;
  /** The reminder fell due while the computer slept; it is shown once on wake. */
  readonly missedWhileAsleep: boolean;
}

export interface RenewalProgressEvent {
  readonly step: RenewalStepName;
  readonly index: number;
  readonly total: number;
}

export interface RenewalView {
  /** The key's serial. */
  readonly serial: number;
  /** The new certificate. */
  readonly certificate: CertificateView;
  /** The replaced certificate's serial (hex). */
  readonly previousSerial: string;
  /** After renewal (normally stage 'none'). */
  readonly reminder: ReminderView | null;
  /** E.g. the audit log or the record could not be written after the key changed. */
  readonly warnings: readonly string[];
}

export interface AttestationView {
  readonly status: AttestationStatus;
  /** What the key attested ("5.4.3", "USB-A keychain"); null when it could not be read (or a YubiKey 4's form factor). */
  readonly firmware: string | null;
  readonly formFactor: string | null;
  /** Failed: the verifier's reason (e.g. "untrusted-root"); null otherwise. */
  readonly reason: string | null;
  /** Failed or unsupported: why, in words. */
  readonly detail: string | null;
}

export interface PairingView {
  readonly serial: number;
  readonly model: string | null;
  /** Null while a first pairing is unfinished. */
  readonly certificate: CertificateView | null;
  readonly pairedAt: string | null;
  /** A pairing that was interrupted: the last step it completed on the key, or null. */
  readonly pending: PairingStepName | null;
  /** The attestation's outcome (`wfa status --json`: pairing.attestation); null for a pairing made before attestation, or unfinished. */
  readonly attestation: AttestationStatus | null;
  /** What the key's page shows of it. */
  readonly attestationDetail: AttestationView | null;
}

export interface StatusView {
  readonly keys: readonly KeySummary[];
  readonly pairing: PairingView | null;
  readonly reminder: ReminderView | null;
  /** Settings used by the forms: digits-only PINs (macOS or policy). */
  readonly pinDigitsOnly: boolean;
  /** Problems shown until the user acts: a store kept aside, a pairing the key no longer matches, a blocked PIN. */
  readonly problems: readonly StatusProblem[];
  /** The enterprise CA (SCEP) wants an enrollment password that the policy does not hold: ask the user for it. */
  readonly enrollmentPasswordNeeded: boolean;
}

export interface PrecheckView {
  readonly key: KeySummary;
  /** Tries left for the temporary PIN, shown before the user types. */
  readonly pinRetries: number | null;
}

export interface SignInCheckView {
  readonly serial: number;
  readonly certificate: CertificateView;
  readonly revocationChecked: boolean;
}

export interface ProgressEvent {
  readonly step: PairingStepName;
  readonly index: number;
  readonly total: number;
}

// ---- The tray (electron/services/renewal/tray-presenter.ts makes it; Electron's
// Tray and the web shell's in-page tray view only render it) ----------------

/** What a menu item or a notification click asks for; `snooze:N` snoozes for N days. */
export type TrayAction = 'renew' | 'open' | 'quit' | `snooze:${number}`;
export interface TrayMenuItem {
  readonly action: TrayAction;
  readonly label: string;
}
export interface TrayNotification {
  readonly title: string;
  readonly body: string;
  /** What clicking it does. */
  readonly action: TrayAction;
}
export interface TrayModel {
  readonly icon: TrayIconName;
  readonly tooltip: string;
  readonly menu: readonly TrayMenuItem[];
  /** The reminder the app is asking about now, shown as a system notification; null when none. */
  readonly notification: TrayNotification | null;
}

// ---- Input schemas ---------------------------------------------------------

/** A PIN as typed; the service checks it against the rules and names the one that fails (nothing refused reaches the card). */
const pin = z.string().max(64);
/** Which key: the reader or the serial (key-selection.ts); else the paired key, else the only one. */
const keyChoice = z.strictObject({ reader: z.string().max(200).optional(), serial: z.number().int().min(0).max(0xffffffff).optional() });
/** The user's word to spend the last PIN try. */
const lastTryConfirmed = z.boolean().optional();
const serial = z.number().int().min(0).max(0xffffffff);
/** SCEP challenge password given to the user by an administrator (RFC 8894 §2.3); printable, as PKCS #9 allows. */
const enrollmentPassword = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\x20-\x7e]+$/)
  .optional();
const empty = z.strictObject({});

export const channels = {
  'status.get': { input: empty },
  'pairing.precheck': { input: keyChoice },
  'pairing.pair': {
    input: z.strictObject({
      serial,
      temporaryPin: pin,
      newPin: pin,
      confirmation: pin,
      enrollmentPassword,
      lastTryConfirmed,
    }),
  },
  'pin.change': { input: z.strictObject({ currentPin: pin, newPin: pin, confirmation: pin, lastTryConfirmed, ...keyChoice.shape }) },
  'deregistration.remove': { input: z.strictObject({ serial, confirmOtherKey: z.boolean() }) },
  'pairing.resume': { input: z.strictObject({ serial, pin, enrollmentPassword }) },
  'renewal.renew': { input: z.strictObject({ pin, enrollmentPassword }) },
  'renewal.snooze': { input: z.strictObject({ days: z.number().int().min(1).max(30).optional() }) },
  'tray.get': { input: empty },
  'signin.check': { input: z.strictObject({ pin, lastTryConfirmed, ...keyChoice.shape }) },
} as const satisfies { readonly [C in Channel]: { readonly input: z.ZodType } };

export type ChannelInput<C extends Channel> = z.output<(typeof channels)[C]['input']>;
/** Which key a request is about (key-selection.ts): the reader, or the serial; neither: the paired key, else the only one. */
export type KeyChoice = z.output<typeof keyChoice>;

export type Handler<C extends Channel> = (input: ChannelInput<C>) => Promise<Result<ChannelResults[C]>>;
export type Handlers = { readonly [C in Channel]: Handler<C> };

/** Validates and runs: unknown channels and invalid input give INVALID_REQUEST and never reach a handler. */
export async function dispatch(handlers: Handlers, channel: unknown, input: unknown, log: (line: string) => void = () => undefined): Promise<Result<unknown>> {
  if (!isChannel(channel)) {
    log(`IPC: refused a request on an unknown channel`);
    return fail(invalidRequest('unknown-channel'));
  }
  // zod's object schemas take any non-array object for `{}`; Electron's structured clone can deliver a Date, Map or RegExp.
  const proto: unknown = input !== null && typeof input === 'object' ? Object.getPrototypeOf(input) : undefined;
  if (proto !== undefined && proto !== Object.prototype && proto !== null && !Array.isArray(input)) {
    log(`IPC: refused input on ${channel} that is not plain data`);
    return fail(invalidRequest('invalid-input'));
  }
  const parsed = channels[channel].input.safeParse(input);
  if (!parsed.success) {
    // The payload is not logged: it may hold a PIN.
    log(`IPC: refused invalid input on ${channel} (${parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ')})`);
    return fail(invalidRequest('invalid-input'));
  }
  const handler = handlers[channel] as (input: unknown) => Promise<Result<unknown>>;
  return handler(parsed.data);
}
