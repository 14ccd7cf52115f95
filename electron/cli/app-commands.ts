// `wfa status | pair | change-pin | deregister | check`: the app's flows for
// administrators, support and tests, on the same services as the app.
import type { Transport } from '../../native/pcsc/transport.ts';
import type { PairingView, Result } from '../ipc/contract.ts';
import { DEFAULT_PIV_PIN } from '../ipc/pin-rules.ts';
import { ServiceError } from '../services/app-error.ts';
import { type AppServicesInstance, createAppServices } from '../services/handlers.ts';
import { UsageError } from './cli-errors.ts';
import type { CommandResult } from './key-commands.ts';
import type { SecretReader } from './secrets-input.ts';

export interface AppCommandContext {
  readonly transport: Transport;
  readonly dataDir: string;
  readonly configPath: string | undefined;
  readonly env: NodeJS.ProcessEnv;
  readonly userName: string | undefined;
  readonly reader: string | undefined;
  readonly secrets: SecretReader;
  readonly yes: boolean;
  readonly defaultPin: boolean;
  readonly progress: (line: string) => void;
  readonly now?: () => Date;
  /** `wfa snooze --days N`. */
  readonly days?: number | undefined;
}

/** The value of a Result, or its error thrown as a ServiceError (reported with its code). */
export function unwrap<T>(r: Result<T>): T {
  if (r.ok) return r.value;
  throw new ServiceError(r.error);
}

export const text = (bytes: Uint8Array): string => {
  const s = new TextDecoder().decode(bytes);
  bytes.fill(0);
  return s;
};

export async function services(ctx: AppCommandContext): Promise<AppServicesInstance> {
  return createAppServices({
    dataDir: ctx.dataDir,
    configPath: ctx.configPath,
    env: ctx.env,
    transport: ctx.transport,
    statusSource: null,
    userName: ctx.userName,
    now: ctx.now,
    log: () => undefined,
  });
}

function describePairing(p: PairingView | null): string {
  if (p === null) return 'Pairing:         none';
  const lines = [`Paired key:      ${p.serial}${p.model === null ? '' : ` (${p.model})`}`];
  if (p.certificate !== null) lines.push(`Certificate:     ${p.certificate.subject}, serial ${p.certificate.serial}, expires ${p.certificate.notAfter}`);
  if (p.pending !== null) lines.push(`Unfinished:      pairing stopped after "${p.pending}"; run "wfa pair" again to finish it`);
  return lines.join('\n');
}

export const APP_COMMANDS: Readonly<Record<string, (ctx: AppCommandContext) => Promise<CommandResult>>> = {
  async status(ctx) {
    const app = await services(ctx);
    try {
      const status = await app.status();
      // The same fields as `wfa key list`, from the refresh status() just made.
      const keys = await app.keys.details();
      const r = status.reminder;
      const json = { keys, pairing: status.pairing, reminder: r };
      const snooze = r === null ? '' : r.snoozedUntil !== null ? ` (snoozed until ${r.snoozedUntil})` : r.canSnooze ? ' (can be snoozed: wfa snooze)' : '';
      const reminderText = r === null ? 'Reminder:        none' : `Days left:       ${r.daysLeft}\nReminder:        ${r.stage}${snooze}`;
      const keysText = keys.length === 0 ? 'Keys:            none plugged in' : keys.map((k) => `Key:             ${k.serial} (${k.model}, firmware ${k.firmware}) in "${k.reader}", PIN tries left ${k.pinRetries ?? '?'}`).join('\n');
      return { json, text: [keysText, describePairing(status.pairing), reminderText].join('\n') };
    } finally {
      await app.close();
    }
  },

  async pair(ctx) {
    const app = await services(ctx);
    const off = app.events.subscribe((e) => {
      if (e.name === 'pairing.progress') ctx.progress(`[${e.payload.index}/${e.payload.total}] ${e.payload.step}`);
    });
    try {
      const status = await app.status();
      const pending = status.pairing;
      if (pending !== null && pending.certificate === null && pending.pending !== null && pending.pending !== 'checking-key') {
        ctx.progress(`Pairing of key ${pending.serial} was interrupted after "${pending.pending}"; finishing it.`);
        const pin = text(await ctx.secrets.next('The PIN you chose'));
        const enrollmentPassword = status.enrollmentPasswordNeeded ? text(await ctx.secrets.next('Enrollment password')) : undefined;
        const view = unwrap(await app.handlers['pairing.resume']({ serial: pending.serial, pin, ...(enrollmentPassword === undefined ? {} : { enrollmentPassword }) }));
        return { json: view, text: `Security Key paired.\n${describePairing(view)}` };
      }
      const pre = unwrap(await app.handlers['pairing.precheck']({ ...(ctx.reader === undefined ? {} : { reader: ctx.reader }) }));
      ctx.progress(`Key ${pre.key.serial} (${pre.key.model}), PIN tries left: ${pre.pinRetries ?? 'unknown'}`);
      const temporaryPin = ctx.defaultPin ? DEFAULT_PIV_PIN : text(await ctx.secrets.next('Temporary PIN'));
      const newPin = text(await ctx.secrets.next('New PIN'));
      const enrollmentPassword = status.enrollmentPasswordNeeded ? text(await ctx.secrets.next('Enrollment password')) : undefined;
      const view = unwrap(
        await app.handlers['pairing.pair']({ serial: pre.key.serial, temporaryPin, newPin, confirmation: newPin, ...(enrollmentPassword === undefined ? {} : { enrollmentPassword }) }),
      );
      return { json: view, text: `Security Key paired.\n${describePairing(view)}` };
    } finally {
      off();
      await app.close();
    }
  },

  async 'change-pin'(ctx) {
    const app = await services(ctx);
    try {
      const currentPin = text(await ctx.secrets.next('Current PIN'));
      const newPin = text(await ctx.secrets.next('New PIN'));
      const result = unwrap(await app.handlers['pin.change']({ currentPin, newPin, confirmation: newPin }));
      return { json: result, text: 'PIN changed.' };
    } finally {
      await app.close();
    }
  },

  async deregister(ctx) {
    if (!ctx.yes) throw new UsageError('De-registration resets the whole PIV area of the key (PIN, PUK, management key, certificates) and removes the pairing. Add --yes to go ahead.');
    const app = await services(ctx);
    try {
      const status = await app.status();
      const inReader = ctx.reader === undefined ? undefined : status.keys.find((k) => k.reader === ctx.reader);
      const serial = inReader?.serial ?? status.pairing?.serial;
      if (serial === undefined) throw new ServiceError({ code: 'NOT_PAIRED', message: 'No security key is paired on this computer.' });
      const result = unwrap(await app.handlers['deregistration.remove']({ serial, confirmOtherKey: false }));
      return { json: result, text: `Security key ${serial} was reset and the pairing removed.${result.revoked ? ' Its certificate was revoked.' : ''}` };
    } finally {
      await app.close();
    }
  },

  async check(ctx) {
    const app = await services(ctx);
    try {
      const pin = text(await ctx.secrets.next('PIN'));
      const result = unwrap(await app.handlers['signin.check']({ pin }));
      return { json: result, text: `Sign-in check passed: key ${result.serial}, certificate ${result.certificate.subject}${result.revocationChecked ? ', not revoked' : ' (revocation not checked: the CA publishes no list)'}.` };
    } finally {
      await app.close();
    }
  },
};
