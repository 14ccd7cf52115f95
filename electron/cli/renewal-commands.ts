// `wfa snooze [--days N]` and `wfa renew` (issue 11): the renewal reminder's
// snooze by the same rules as the app, and "Renew now" (stdin: PIN).
import { ServiceError } from '../services/app-error.ts';
import { type AppCommandContext, services, text, unwrap } from './app-commands.ts';
import type { CommandResult } from './key-commands.ts';

export const RENEWAL_COMMANDS: Readonly<Record<string, (ctx: AppCommandContext) => Promise<CommandResult>>> = {
  async snooze(ctx) {
    const app = await services(ctx);
    try {
      const view = unwrap(await app.handlers['renewal.snooze'](ctx.days === undefined ? {} : { days: ctx.days }));
      return { json: view, text: `Renewal reminder snoozed until ${view.snoozedUntil ?? '(not snoozed)'} (${view.stage}, ${view.daysLeft} days left).` };
    } finally {
      await app.close();
    }
  },

  async renew(ctx) {
    const app = await services(ctx);
    const off = app.events.subscribe((e) => {
      if (e.name === 'renewal.progress') ctx.progress(`[${e.payload.index}/${e.payload.total}] ${e.payload.step}`);
    });
    try {
      if (ctx.reader !== undefined) {
        // --reader names the key to renew: it must be the paired one.
        const status = await app.status();
        const paired = status.pairing?.serial;
        const inReader = status.keys.find((k) => k.reader === ctx.reader);
        if (paired !== undefined && inReader === undefined) throw new ServiceError({ code: 'NO_KEY', message: `No security key is plugged into "${ctx.reader}". Plug in key ${paired} and try again.` });
        if (paired !== undefined && inReader !== undefined && inReader.serial !== paired) {
          throw new ServiceError({ code: 'OTHER_KEY', message: `Security key ${inReader.serial} is in "${ctx.reader}", but the key paired on this computer is ${paired}. Plug in key ${paired} and try again.`, detail: String(inReader.serial) });
        }
      }
      const pin = text(await ctx.secrets.next('PIN'));
      const enrollmentPassword = app.pairing.enrollmentPasswordNeeded ? text(await ctx.secrets.next('Enrollment password')) : undefined;
      const view = unwrap(await app.handlers['renewal.renew']({ pin, ...(enrollmentPassword === undefined ? {} : { enrollmentPassword }) }));
      const lines = [`Certificate renewed on key ${view.serial}: serial ${view.certificate.serial} (replaces ${view.previousSerial}), expires ${view.certificate.notAfter}.`, ...view.warnings.map((w) => `Warning: ${w}`)];
      return { json: view, text: lines.join('\n') };
    } finally {
      off();
      await app.close();
    }
  },
};
