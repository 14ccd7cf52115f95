// `wfa snooze [--days N]` and `wfa renew`: the renewal reminder's
// snooze by the same rules as the app, and "Renew now" (stdin: PIN).
import { text, unwrap, withServices } from './app-commands.ts';
import type { CommandDef, CommandResult } from './cli-context.ts';

export const RENEWAL_COMMANDS: Readonly<Record<string, CommandDef>> = {
  snooze: {
    flags: ['days'],
    run: (ctx) =>
      withServices(ctx, async (app): Promise<CommandResult> => {
        const view = unwrap(await app.handlers['renewal.snooze'](ctx.days === undefined ? {} : { days: ctx.days }));
        return { json: view, text: `Renewal reminder snoozed until ${view.snoozedUntil ?? '(not snoozed)'} (${view.stage}, ${view.daysLeft} days left).` };
      }),
  },

  renew: {
    // --user: whom the new certificate is for (the OS user by default), as at pairing.
    flags: ['reader', 'serial', 'user'],
    run: (ctx) =>
      withServices(ctx, async (app): Promise<CommandResult> => {
        // The one key selection: --reader / --serial must name the paired key (else OTHER_KEY naming both).
        await app.keys.select(ctx.key, { pairedOnly: true });
        const off = app.events.subscribe((e) => {
          if (e.name === 'renewal.progress') ctx.progress(`[${e.payload.index}/${e.payload.total}] ${e.payload.step}`);
        });
        try {
          const pin = text(await ctx.secrets.next('PIN'));
          const enrollmentPassword = app.pairing.enrollmentPasswordNeeded ? text(await ctx.secrets.next('Enrollment password')) : undefined;
          const view = unwrap(await app.handlers['renewal.renew']({ pin, ...(enrollmentPassword === undefined ? {} : { enrollmentPassword }) }));
          const line = `Certificate renewed on key ${view.serial}: serial ${view.certificate.serial} (replaces ${view.previousSerial}), expires ${view.certificate.notAfter}.`;
          return { json: view, text: line, warnings: view.warnings };
        } finally {
          off();
        }
      }),
  },
};
