// `wfa status | pair | change-pin | deregister | check`: the app's flows for
// administrators, support and tests, on the same services as the app.
import type { AttestationView, PairingView, Result, StatusProblem } from '../ipc/contract.ts';
import { DEFAULT_PIV_PIN } from '../ipc/pin-rules.ts';
import { ServiceError } from '../services/app-error.ts';
import { type AppServices, createAppServices } from '../app/app-services.ts';
import type { CliContext, CommandDef, CommandResult } from './cli-context.ts';
import { UsageError } from './cli-errors.ts';

/** The value of a Result, or its error thrown as a ServiceError (reported with its code). */
export function unwrap<T>(r: Result<T>): T {
  if (r.ok) return r.value;
  throw ServiceError.fromAppError(r.error);
}

export const text = (bytes: Uint8Array): string => {
  const s = new TextDecoder().decode(bytes);
  bytes.fill(0);
  return s;
};

/** The services for one command, closed after it (a new command wraps its work in this too). */
export async function withServices<T>(ctx: CliContext, work: (app: AppServices) => Promise<T>): Promise<T> {
  const app = await createAppServices({
    dataDir: ctx.dataDir,
    configPath: ctx.configPath,
    env: ctx.env,
    transport: await ctx.transport(),
    statusSource: null,
    userName: ctx.userName,
    now: ctx.now,
    log: () => undefined,
  });
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}

/** The status line for where the key in 9A was made (its attestation). */
function describeAttestation(a: AttestationView): string {
  const attested = [a.firmware === null ? null : `firmware ${a.firmware}`, a.formFactor].filter((part) => part !== null).join(', ');
  if (a.status === 'verified') return `verified (generated on the key${attested === '' ? '' : `; ${attested}`})`;
  if (a.status === 'unsupported') return `unsupported (${a.detail ?? 'no attestation before firmware 4.3'})`;
  return `failed (${a.reason ?? 'unknown'}: ${a.detail ?? ''})`;
}

function describePairing(p: PairingView | null): string {
  if (p === null) return 'Pairing:         none';
  const lines = [`Paired key:      ${p.serial}${p.model === null ? '' : ` (${p.model})`}`];
  if (p.certificate !== null) lines.push(`Certificate:     ${p.certificate.subject}, serial ${p.certificate.serial}, expires ${p.certificate.notAfter}`);
  if (p.attestationDetail !== null) lines.push(`Attestation:     ${describeAttestation(p.attestationDetail)}`);
  if (p.pending !== null) lines.push(`Unfinished:      pairing stopped after "${p.pending}"; run "wfa pair" again to finish it`);
  return lines.join('\n');
}

const describeProblems = (problems: readonly StatusProblem[]): string[] => problems.map((p) => `Problem:         ${p.code}: ${p.message}`);

const keyFlags = ['reader', 'serial'] as const;

export const APP_COMMANDS: Readonly<Record<string, CommandDef>> = {
  status: {
    flags: [],
    run: (ctx) =>
      withServices(ctx, async (app) => {
        const status = await app.status();
        // The same fields as `wfa key list`: the keys status() just refreshed, with their certificates read now.
        const keys = await app.keys.details();
        const r = status.reminder;
        const json = { keys, pairing: status.pairing, reminder: r, problems: status.problems };
        const snooze = r === null ? '' : r.snoozedUntil !== null ? ` (snoozed until ${r.snoozedUntil})` : r.canSnooze ? ' (can be snoozed: wfa snooze)' : '';
        const reminderText = r === null ? 'Reminder:        none' : `Days left:       ${r.daysLeft}\nReminder:        ${r.stage}${snooze}`;
        const keysText =
          keys.length === 0
            ? 'Keys:            none plugged in'
            : keys
                .map(
                  (k) =>
                    `Key:             ${k.serial} (${k.model}, firmware ${k.firmware}) in "${k.reader}", PIN tries left ${k.pinRetries ?? '?'}${k.pinRetries === 0 ? ' (blocked)' : ''}`,
                )
                .join('\n');
        return { json, text: [keysText, describePairing(status.pairing), reminderText, ...describeProblems(status.problems)].join('\n') };
      }),
  },

  pair: {
    flags: [...keyFlags, 'user', 'default-pin', 'yes'],
    run: (ctx) =>
      withServices(ctx, async (app): Promise<CommandResult> => {
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
            const view = unwrap(
              await app.handlers['pairing.resume']({ serial: pending.serial, pin, ...(enrollmentPassword === undefined ? {} : { enrollmentPassword }) }),
            );
            return { json: view, text: `Security Key paired.\n${describePairing(view)}`, warnings: view.warnings };
          }
          const pre = unwrap(await app.handlers['pairing.precheck']({ ...ctx.key }));
          ctx.progress(`Key ${pre.key.serial} (${pre.key.model}), PIN tries left: ${pre.pinRetries ?? 'unknown'}`);
          const temporaryPin = ctx.defaultPin ? DEFAULT_PIV_PIN : text(await ctx.secrets.next('Temporary PIN'));
          const newPin = text(await ctx.secrets.next('New PIN'));
          const enrollmentPassword = status.enrollmentPasswordNeeded ? text(await ctx.secrets.next('Enrollment password')) : undefined;
          const view = unwrap(
            await app.handlers['pairing.pair']({
              serial: pre.key.serial,
              temporaryPin,
              newPin,
              confirmation: newPin,
              lastTryConfirmed: ctx.yes,
              ...(enrollmentPassword === undefined ? {} : { enrollmentPassword }),
            }),
          );
          return { json: view, text: `Security Key paired.\n${describePairing(view)}`, warnings: view.warnings };
        } finally {
          off();
        }
      }),
  },

  'change-pin': {
    flags: [...keyFlags, 'yes'],
    run: (ctx) =>
      withServices(ctx, async (app) => {
        const currentPin = text(await ctx.secrets.next('Current PIN'));
        const newPin = text(await ctx.secrets.next('New PIN'));
        const result = unwrap(await app.handlers['pin.change']({ currentPin, newPin, confirmation: newPin, lastTryConfirmed: ctx.yes, ...ctx.key }));
        return { json: result, text: 'PIN changed.', warnings: result.warnings };
      }),
  },

  deregister: {
    flags: [...keyFlags, 'yes', 'other-key'],
    run: async (ctx) => {
      if (!ctx.yes)
        throw new UsageError(
          'De-registration resets the whole PIV area of the key (PIN, PUK, management key, certificates) and removes the pairing. Add --yes to go ahead.',
        );
      return withServices(ctx, async (app) => {
        const key = await app.keys.select(ctx.key, { pairedOnly: true, otherKeyConfirmed: ctx.otherKey });
        const result = unwrap(await app.handlers['deregistration.remove']({ serial: key.serial, confirmOtherKey: ctx.otherKey }));
        return {
          json: result,
          text: `Security key ${key.serial} was reset${key.paired ? ' and the pairing removed' : ''}.${result.revoked ? ' Its certificate was revoked.' : ''}`,
          warnings: result.warnings,
        };
      });
    },
  },

  check: {
    flags: [...keyFlags, 'yes'],
    run: (ctx) =>
      withServices(ctx, async (app) => {
        const pin = text(await ctx.secrets.next('PIN'));
        const result = unwrap(await app.handlers['signin.check']({ pin, lastTryConfirmed: ctx.yes, ...ctx.key }));
        return {
          json: result,
          text: `Sign-in check passed: key ${result.serial}, certificate ${result.certificate.subject}${result.revocationChecked ? ', not revoked' : ' (revocation not checked: the CA publishes no list)'}.`,
        };
      }),
  },
};
