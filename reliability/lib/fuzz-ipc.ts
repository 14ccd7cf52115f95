// IPC payloads through every channel of the contract (the page is untrusted), the
// way both shells take them: dispatchSafely (the contract's validation, then
// the handler) over the real services on an in-process virtual YubiKey and a
// temporary data folder. Payloads are anything at all, or a channel's own
// fields with values of every kind (valid, wrong type, too long, the key's
// real serial and PINs). Every call must answer with a Result whose error
// code is in the table and is not INTERNAL, and a refused request changes no
// file of the data folder.
import { createHash } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { channels, type Result } from '../../electron/ipc/contract.ts';
import { dispatchSafely } from '../../electron/shell/dispatch-safely.ts';
import { appFixture } from '../../electron/app/test-support/app-fixture.ts';
import { ERROR_MESSAGES } from '../../renderer/src/errors/messages.ts';
import { describeError, type FuzzOptions, type FuzzResult, runFuzz } from './fuzz-run.ts';

const SERIAL = 21000001;
const KNOWN_CODES: ReadonlySet<string> = new Set(Object.keys(ERROR_MESSAGES));

/** Values of every kind for one field: mostly what the field takes, often what it does not. */
const anyValue = fc.anything({
  withBigInt: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withTypedArray: true,
  withNullPrototype: true,
  withSparseArray: true,
  maxDepth: 2,
});
const pinValue = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('123456', '583920', '000000', '12345678', '', '1234567890') },
  { weight: 2, arbitrary: fc.stringMatching(/^\d{6,8}$/) },
  { weight: 1, arbitrary: fc.string({ maxLength: 10 }) },
  { weight: 1, arbitrary: fc.string({ minLength: 60, maxLength: 70 }) },
);
const FIELD: Readonly<Record<string, fc.Arbitrary<unknown>>> = {
  serial: fc.oneof(
    { weight: 6, arbitrary: fc.constant(SERIAL) },
    { weight: 1, arbitrary: fc.integer() },
    { weight: 1, arbitrary: fc.constantFrom(-1, 2 ** 32, 0.5, Number.NaN) },
  ),
  temporaryPin: pinValue,
  newPin: pinValue,
  confirmation: pinValue,
  currentPin: pinValue,
  pin: pinValue,
  enrollmentPassword: fc.oneof(
    { weight: 4, arbitrary: fc.string({ minLength: 1, maxLength: 20 }) },
    { weight: 1, arbitrary: fc.string({ minLength: 250, maxLength: 260 }) },
  ),
  lastTryConfirmed: fc.boolean(),
  confirmOtherKey: fc.boolean(),
  reader: fc.oneof(fc.constantFrom('Virtual PCD 00 00', 'Virtual PCD 00 01', 'No such reader'), fc.string({ maxLength: 210 })),
  days: fc.oneof(fc.integer({ min: -2, max: 40 }), fc.double()),
};

/** The field names a channel's schema knows (zod strict objects expose their shape). */
function fieldsOf(channel: keyof typeof channels): string[] {
  const schema = channels[channel].input as unknown as { shape?: Record<string, unknown> };
  return Object.keys(schema.shape ?? {});
}

const CHANNELS = Object.keys(channels) as (keyof typeof channels)[];

interface IpcCase {
  readonly channel: unknown;
  readonly input: unknown;
}

const ipcCases: fc.Arbitrary<IpcCase> = fc.oneof(
  // A channel's own fields, each present or not, with values of every kind; sometimes one field too many.
  {
    weight: 6,
    arbitrary: fc.constantFrom(...CHANNELS).chain((channel) =>
      fc.record({
        channel: fc.constant<unknown>(channel),
        input: fc
          .tuple(
            fc
              .boolean()
              .chain((all) =>
                fc.record(
                  Object.fromEntries(
                    fieldsOf(channel).map((f) => [f, fc.oneof({ weight: 12, arbitrary: FIELD[f] ?? anyValue }, { weight: 1, arbitrary: anyValue })]),
                  ),
                  all ? {} : { requiredKeys: [] },
                ),
              ),
            fc.oneof({ weight: 12, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 12 }), anyValue) }),
          )
          .map(([fields, extra]) => (extra === null ? fields : { ...fields, [extra[0]]: extra[1] })),
      }),
    ),
  },
  // Anything at all, on a real channel or not.
  {
    weight: 3,
    arbitrary: fc.record({
      channel: fc.oneof(fc.constantFrom<unknown>(...CHANNELS), anyValue, fc.constantFrom('__proto__', 'constructor', 'toString', 'status.get ')),
      input: anyValue,
    }),
  },
);

async function snapshot(dir: string): Promise<string> {
  const names = (await readdir(dir, { recursive: true })).sort();
  const parts: string[] = [];
  for (const name of names) {
    const content = await readFile(join(dir, name)).catch(() => null);
    parts.push(`${name}:${content === null ? 'dir' : createHash('sha256').update(content).digest('hex')}`);
  }
  return parts.join('\n');
}

function wellFormed(result: unknown): string | null {
  const r = result as Result<unknown> | null;
  if (r === null || typeof r !== 'object' || typeof r.ok !== 'boolean') return 'the answer is not a Result';
  if (r.ok) return null;
  if (!KNOWN_CODES.has(r.error.code)) return `error code ${String(r.error.code)} is not in the table`;
  if (r.error.code === 'INTERNAL') return `INTERNAL: ${r.error.message}`;
  if (typeof r.error.message !== 'string' || r.error.message === '') return `${r.error.code} without a message`;
  return null;
}

const CASE_LIMIT_MS = 60_000;

export async function fuzzIpc(options: FuzzOptions): Promise<FuzzResult> {
  // ECC keys: a pairing that gets through (temporary PIN 123456 on a factory key) takes milliseconds, not seconds.
  const f = await appFixture({ serial: SERIAL, policy: JSON.stringify({ key: { algorithm: 'ECCP256' } }) });
  const logs: string[] = [];
  try {
    return await runFuzz(
      'IPC payloads',
      ipcCases,
      async ({ channel, input }) => {
        const before = await snapshot(f.dataDir);
        let timer: NodeJS.Timeout | undefined;
        let result: unknown;
        try {
          result = await Promise.race([
            dispatchSafely(f.app.handlers, channel, input, (line) => logs.push(line)),
            new Promise((_, reject) => {
              timer = setTimeout(() => reject(new Error(`no answer after ${CASE_LIMIT_MS} ms`)), CASE_LIMIT_MS);
            }),
          ]);
        } catch (e) {
          return { problem: `${String(channel)}: ${describeError(e)}` };
        } finally {
          clearTimeout(timer);
        }
        const problem = wellFormed(result);
        if (problem !== null) return { problem: `${typeof channel === 'string' ? channel : typeof channel}: ${problem}` };
        const r = result as Result<unknown>;
        if (!r.ok && r.error.code === 'INVALID_REQUEST' && (await snapshot(f.dataDir)) !== before)
          return { problem: `${String(channel)}: a refused request changed the data folder` };
        return { outcome: r.ok ? `${String(channel)} ok` : r.error.code };
      },
      options,
    );
  } finally {
    await f.app.close();
    await rm(f.dataDir, { recursive: true, force: true });
  }
}
