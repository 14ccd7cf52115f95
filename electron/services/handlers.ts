// The channel → service mapping: each IPC channel calls one service. Handlers
// never throw: every failure becomes a Result. The services are made and
// wired by the composition root (electron/app/app-services.ts).
import { type Handlers, fail, ok, type Result, type StatusView, type TrayModel } from '../ipc/contract.ts';
import { toAppError } from './app-error.ts';
import type { DeregistrationService } from './deregistration/deregistration-service.ts';
import type { PairingService } from './pairing/pairing-service.ts';
import type { PinService } from './pin/pin-service.ts';
import type { ReminderScheduler } from './renewal/reminder-scheduler.ts';
import type { RenewalService } from './renewal/renewal-service.ts';
import type { SettingsService } from './settings/settings-store.ts';
import type { SignInCheckService } from './signin/signin-check-service.ts';

export interface HandlerServices {
  readonly status: () => Promise<StatusView>;
  readonly pairing: PairingService;
  readonly pin: PinService;
  readonly deregistration: DeregistrationService;
  readonly signIn: SignInCheckService;
  readonly renewal: RenewalService;
  readonly reminders: ReminderScheduler;
  readonly settings: SettingsService;
  readonly tray: { readonly model: TrayModel };
  readonly log: (line: string) => void;
}

async function guarded<T>(work: () => Promise<T>): Promise<Result<T>> {
  try {
    return ok(await work());
  } catch (e) {
    return fail(toAppError(e));
  }
}

export function createHandlers({ status, pairing, pin, deregistration, signIn, renewal, reminders, settings, tray, log }: HandlerServices): Handlers {
  /** The reminder follows a new or removed pairing, or a renewal, at once. */
  const afterward = async <T>(work: Promise<T>, reason: 'paired' | 'renewed'): Promise<T> => {
    const value = await work;
    await reminders.evaluate(reason);
    return value;
  };

  return {
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
        if (input.days !== undefined)
          await settings.recordSnoozeChoice(input.days).catch((e: unknown) => log(`settings: snooze choice not saved (${String(e)})`));
        return view;
      }),
    'tray.get': () => Promise.resolve(ok(tray.model)),
  };
}
