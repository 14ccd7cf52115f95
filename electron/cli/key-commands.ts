// `wfa key …`: key-level commands for administrators, support and tests.
import { NativeError } from '../../native/errors.ts';
import type { Transport } from '../../native/pcsc/transport.ts';
import { resetPiv } from '../../native/piv/reset.ts';
import { PivSession } from '../../native/piv/session.ts';
import { chooseReader, readersWithCard, withKey } from '../../native/yubikey/key-access.ts';
import { type KeyInfo, readKeyInfo } from '../../native/yubikey/key-info.ts';
import { UsageError } from './cli-errors.ts';
import type { SecretReader } from './secrets-input.ts';

export interface KeyCommandContext {
  readonly transport: Transport;
  readonly reader: string | undefined;
  readonly secrets: SecretReader;
  readonly yes: boolean;
}

/** What a command returns: data for --json and the sentence for a person. */
export interface CommandResult {
  readonly json: unknown;
  readonly text: string;
}

/** PIV PIN and PUK: 6 to 8 characters on a YubiKey (yubikit/ykman piv access change-pin). */
function checkLength(value: Uint8Array, what: string): void {
  if (value.length < 6 || value.length > 8) {
    value.fill(0);
    throw new NativeError('INVALID_INPUT', `The ${what} must be 6 to 8 characters long. Nothing was sent to the key.`);
  }
}

async function readSecrets(ctx: KeyCommandContext, labels: readonly string[]): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  try {
    for (const label of labels) out.push(await ctx.secrets.next(label));
    return out;
  } catch (e) {
    for (const s of out) s.fill(0);
    throw e;
  }
}

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

async function onKey<T>(ctx: KeyCommandContext, operation: (session: PivSession) => Promise<T>): Promise<T> {
  const reader = await chooseReader(ctx.transport, ctx.reader);
  return withKey(ctx.transport, reader, async (connection) => operation(await PivSession.open(connection)));
}

export const KEY_COMMANDS: Readonly<Record<string, (ctx: KeyCommandContext) => Promise<CommandResult>>> = {
  async list(ctx) {
    const infos: KeyInfo[] = [];
    for (const reader of await readersWithCard(ctx.transport)) infos.push(await withKey(ctx.transport, reader, readKeyInfo));
    return { json: infos, text: infos.length === 0 ? "No security key is plugged in." : infos.map(describeKeyText).join('\n\n') };
  },

  async info(ctx) {
    const reader = await chooseReader(ctx.transport, ctx.reader);
    const info = await withKey(ctx.transport, reader, readKeyInfo);
    return { json: info, text: describeKeyText(info) };
  },

  async 'verify-pin'(ctx) {
    const [pin] = await readSecrets(ctx, ['PIN']);
    checkLength(pin!, 'PIN');
    await onKey(ctx, (s) => s.verifyPin(pin!));
    return { json: { verified: true }, text: 'PIN verified.' };
  },

  async 'change-pin'(ctx) {
    const [current, next] = await readSecrets(ctx, ['Current PIN', 'New PIN']);
    checkLength(current!, 'current PIN');
    checkLength(next!, 'new PIN');
    await onKey(ctx, (s) => s.changeReference('pin', current!, next!));
    return { json: { changed: 'pin' }, text: 'PIN changed.' };
  },

  async 'change-puk'(ctx) {
    const [current, next] = await readSecrets(ctx, ['Current PUK', 'New PUK']);
    checkLength(current!, 'current PUK');
    checkLength(next!, 'new PUK');
    await onKey(ctx, (s) => s.changeReference('puk', current!, next!));
    return { json: { changed: 'puk' }, text: 'PUK changed.' };
  },

  async 'unblock-pin'(ctx) {
    const [puk, next] = await readSecrets(ctx, ['PUK', 'New PIN']);
    checkLength(puk!, 'PUK');
    checkLength(next!, 'new PIN');
    await onKey(ctx, (s) => s.unblockPin(puk!, next!));
    return { json: { unblocked: true }, text: 'PIN unblocked and set.' };
  },

  async reset(ctx) {
    if (!ctx.yes) {
      throw new UsageError('A reset erases the PIV application of the key: PIN, PUK, management key, keys and certificates. Add --yes to go ahead.');
    }
    await onKey(ctx, resetPiv);
    return { json: { reset: true }, text: 'The PIV application was reset: PIN 123456, PUK 12345678, default management key, no keys or certificates.' };
  },
};
