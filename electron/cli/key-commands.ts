// `wfa key …`: key-level commands for administrators, support and tests. The
// key is chosen as everywhere (key-selection.ts); a value that cannot be a
// PIN or PUK never reaches the card, and the last try is not spent without
// --yes.
import type { Transport } from '../../native/pcsc/transport.ts';
import type { KeySummary } from '../ipc/contract.ts';
import { resetPiv } from '../../native/piv/reset.ts';
import { PivSession } from '../../native/piv/session.ts';
import { withKey } from '../../native/yubikey/key-access.ts';
import { type KeyInfo, readKeyInfo } from '../../native/yubikey/key-info.ts';
import { readersWithCard } from '../../native/yubikey/key-access.ts';
import { currentSecretProblem, firstPinRuleFailure } from '../ipc/pin-rules.ts';
import { pinRuleError, ServiceError } from '../services/app-error.ts';
import { KeyLock } from '../services/key-lock.ts';
import { KeyService } from '../services/keys/key-service.ts';
import { pairingStore } from '../services/pairing/pairing-store.ts';
import { lastTryError } from '../services/pin/last-try.ts';
import { locateMachinePolicy } from '../services/policy/machine-policy.ts';
import { loadPolicy } from '../services/policy/policy-loader.ts';
import type { CliContext, CommandDef, CommandResult } from './cli-context.ts';
import { UsageError } from './cli-errors.ts';

export function describeKeyText(info: KeyInfo): string {
  const lines = [
    `Reader:          ${info.reader}`,
    `Model:           ${info.model}`,
    `Serial:          ${info.serial}`,
    `Firmware:        ${info.firmware}`,
    `PIN tries left:  ${info.pinRetries ?? 'not shown once the PIN is verified'}`,
    `PUK tries left:  ${info.pukRetries ?? 'not shown by this firmware'}`,
    `Management key:  ${info.managementKey === 'protected' ? 'protected by the PIN (stored on the key)' : info.managementKey}`,
  ];
  const slots = Object.entries(info.slots);
  if (slots.length === 0) lines.push('Certificates:    none');
  for (const [slot, cert] of slots) lines.push(`Slot ${slot}:         ${cert.subject}, expires ${cert.notAfter}, serial ${cert.serial}`);
  return lines.join('\n');
}

/** The serial paired in the data folder, if any; an unreadable record is none here (`wfa status` reports it). */
async function pairedSerial(ctx: CliContext): Promise<number | null> {
  return (
    (
      await pairingStore(ctx.dataDir)
        .read()
        .catch(() => null)
    )?.pairing?.serial ?? null
  );
}

interface ChosenKey {
  readonly transport: Transport;
  readonly keys: KeyService;
  readonly info: KeySummary;
  readonly paired: boolean;
}

/** The key the command works on: --reader, --serial, the paired key, the only key. */
export async function chooseKey(ctx: CliContext): Promise<ChosenKey> {
  const transport = await ctx.transport();
  const paired = await pairedSerial(ctx);
  const keys = new KeyService({ transport, lock: new KeyLock(transport), pairedSerial: async () => paired });
  const key = await keys.select(ctx.key, { pairedOnly: false });
  return { transport, keys, info: key, paired: key.paired };
}

async function onChosen<T>(chosen: ChosenKey, operation: (session: PivSession) => Promise<T>): Promise<T> {
  return withKey(chosen.transport, chosen.info.reader, async (connection) => operation(await PivSession.open(connection)));
}

/** What a command asks for: each prompt's label and whether it is a PIN or a PUK. */
type SecretPrompts = readonly (readonly [label: string, what: 'PIN' | 'PUK'])[];

/** Reads the secrets and checks their form; every buffer is zeroed if one is refused. */
async function readSecrets(ctx: CliContext, wanted: SecretPrompts): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  try {
    for (const [label, what] of wanted) {
      const bytes = await ctx.secrets.next(label);
      out.push(bytes);
      const problem = currentSecretProblem(new TextDecoder().decode(bytes), what);
      if (problem !== null) throw new ServiceError('PIN_FORMAT', problem, {}, { before: `${label}:` });
    }
    return out;
  } catch (e) {
    for (const s of out) s.fill(0);
    throw e;
  }
}

/**
 * A new PIN must pass the app's PIN rules (pin-rules.ts), with the policy's
 * digitsOnly (always on macOS) as the app applies them: checked before the
 * card, so a refused PIN costs no try. On failure every secret is zeroed.
 */
async function checkNewPin(ctx: CliContext, secrets: readonly Uint8Array[], newPin: Uint8Array, currentPin?: Uint8Array): Promise<void> {
  const machinePolicy = await locateMachinePolicy();
  const { policy } = await loadPolicy({ machinePath: machinePolicy?.path, configFlag: ctx.configPath, env: ctx.env });
  const digitsOnly = process.platform === 'darwin' || policy.pin.digitsOnly;
  const text = new TextDecoder().decode(newPin);
  const current = currentPin === undefined ? undefined : new TextDecoder().decode(currentPin);
  const rule = firstPinRuleFailure({ newPin: text, confirmation: text, digitsOnly, ...(current === undefined ? {} : { currentPin: current }) });
  if (rule === null) return;
  for (const s of secrets) s.fill(0);
  throw pinRuleError(rule);
}

function guardLastTry(ctx: CliContext, chosen: ChosenKey, which: 'PIN' | 'PUK'): void {
  const left = which === 'PIN' ? chosen.info.pinRetries : chosen.info.pukRetries;
  if (left === 1 && !ctx.yes) {
    if (which === 'PIN') throw lastTryError(chosen.info.serial);
    throw new ServiceError('LAST_PIN_TRY', { serial: chosen.info.serial, secret: 'PUK' }, { retries: 1 });
  }
}

const keyFlags = ['reader', 'serial'] as const;

/**
 * A command that spends a try of `tried` (PIN or PUK): the key is chosen, the
 * last try kept unless --yes, the secrets read and checked, then `act` runs
 * (the session zeroes the secrets it is given).
 */
function triesCommand(
  tried: 'PIN' | 'PUK',
  prompts: SecretPrompts,
  done: CommandResult,
  act: (ctx: CliContext, chosen: ChosenKey, secrets: Uint8Array[]) => Promise<void>,
): CommandDef {
  return {
    flags: [...keyFlags, 'yes'],
    async run(ctx) {
      const chosen = await chooseKey(ctx);
      guardLastTry(ctx, chosen, tried);
      await act(ctx, chosen, await readSecrets(ctx, prompts));
      return done;
    },
  };
}

export const KEY_COMMANDS: Readonly<Record<string, CommandDef>> = {
  list: {
    flags: [],
    async run(ctx) {
      const transport = await ctx.transport();
      const infos: KeyInfo[] = [];
      for (const reader of await readersWithCard(transport)) infos.push(await withKey(transport, reader, readKeyInfo));
      return { json: { keys: infos }, text: infos.length === 0 ? 'No security key is plugged in.' : infos.map(describeKeyText).join('\n\n') };
    },
  },

  info: {
    flags: keyFlags,
    async run(ctx) {
      const chosen = await chooseKey(ctx);
      // The certificates are read only here, where they are shown.
      const info = await chosen.keys.info(chosen.info.serial);
      if (info === null) throw new ServiceError('NO_KEY', { serial: chosen.info.serial, unplugged: 'while-read' });
      return { json: info, text: describeKeyText(info) };
    },
  },

  'verify-pin': triesCommand('PIN', [['PIN', 'PIN']], { json: { verified: true }, text: 'PIN verified.' }, async (_ctx, chosen, [pin]) => {
    await onChosen(chosen, (s) => s.verifyPin(pin!));
  }),

  'change-pin': triesCommand(
    'PIN',
    [
      ['Current PIN', 'PIN'],
      ['New PIN', 'PIN'],
    ],
    { json: { changed: 'pin' }, text: 'PIN changed.' },
    async (ctx, chosen, [current, next]) => {
      await checkNewPin(ctx, [current!, next!], next!, current!);
      await onChosen(chosen, (s) => s.changeReference('pin', current!, next!));
    },
  ),

  'change-puk': triesCommand(
    'PUK',
    [
      ['Current PUK', 'PUK'],
      ['New PUK', 'PUK'],
    ],
    { json: { changed: 'puk' }, text: 'PUK changed.' },
    async (_ctx, chosen, [current, next]) => {
      await onChosen(chosen, (s) => s.changeReference('puk', current!, next!));
    },
  ),

  'unblock-pin': triesCommand(
    'PUK',
    [
      ['PUK', 'PUK'],
      ['New PIN', 'PIN'],
    ],
    { json: { unblocked: true }, text: 'PIN unblocked and set.' },
    async (ctx, chosen, [puk, next]) => {
      await checkNewPin(ctx, [puk!, next!], next!);
      await onChosen(chosen, (s) => s.unblockPin(puk!, next!));
    },
  ),

  reset: {
    flags: [...keyFlags, 'yes'],
    async run(ctx) {
      const chosen = await chooseKey(ctx);
      const serial = chosen.info.serial;
      const pairedNote = chosen.paired
        ? ` Security key ${serial} is the key paired on this computer: after the reset its pairing no longer works, and it must be paired again (wfa pair).`
        : '';
      if (!ctx.yes) {
        throw new UsageError(
          `A reset erases the PIV application of security key ${serial}: PIN, PUK, management key, keys and certificates.${pairedNote} Add --yes to go ahead.`,
        );
      }
      await onChosen(chosen, resetPiv);
      const done = `The PIV application of security key ${serial} was reset: PIN 123456, PUK 12345678, default management key, no keys or certificates.`;
      return {
        json: { reset: true, serial, pairedKey: chosen.paired },
        text: chosen.paired
          ? `${done}\nThis was the key paired on this computer: pair it again with "wfa pair" (or remove the pairing with "wfa deregister --yes").`
          : done,
      };
    },
  },
};
