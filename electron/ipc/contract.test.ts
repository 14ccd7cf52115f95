// Property-based tests of the contract's gate (`dispatch`): for every
// channel, malformed input of every kind — wrong types, missing and extra
// fields, over-long strings, PINs outside printable ASCII, out-of-range and
// non-integer numbers, arrays, null, objects that are not plain data — is
// answered INVALID_REQUEST and never reaches a handler; valid input does, as
// parsed; unknown channels are refused; and no log line repeats a PIN.
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { isChannel } from './contract-names.ts';
import { channels, dispatch, ok, type Channel, type Handlers } from './contract.ts';

/** At least 1,000 malformed inputs per channel: the page is untrusted input. */
const RUNS = 1_200;

type FieldKind = 'pin' | 'serial' | 'boolean' | 'optionalReader' | 'optionalDays';
const OPTIONAL_KINDS: readonly FieldKind[] = ['optionalReader', 'optionalDays'];

/**
 * Each channel's fields, as the test knows them. A channel added to the
 * contract does not compile here until it is described; a description that
 * disagrees with the schema fails "valid input reaches its handler".
 */
const FIELDS: { readonly [C in Channel]: Readonly<Record<string, FieldKind>> } = {
  'status.get': {},
  'pairing.precheck': { reader: 'optionalReader' },
  'pairing.pair': { serial: 'serial', temporaryPin: 'pin', newPin: 'pin', confirmation: 'pin' },
  'pairing.resume': { serial: 'serial', pin: 'pin' },
  'pin.change': { currentPin: 'pin', newPin: 'pin', confirmation: 'pin' },
  'deregistration.remove': { serial: 'serial', confirmOtherKey: 'boolean' },
  'signin.check': { pin: 'pin' },
  'renewal.renew': { pin: 'pin' },
  'renewal.snooze': { days: 'optionalDays' },
  'tray.get': {},
};

const CHANNELS = Object.keys(channels) as Channel[];

const printableAscii = fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c));
/** A character a PIN may not hold (control characters, DEL, é, 中, emoji): the service refuses it by name, past the gate. */
const notPrintableAscii = fc
  .oneof(fc.integer({ min: 0x00, max: 0x1f }), fc.constant(0x7f), fc.integer({ min: 0x80, max: 0xd7ff }), fc.integer({ min: 0xe000, max: 0x10ffff }))
  .map((c) => String.fromCodePoint(c));

const validValue: Record<FieldKind, fc.Arbitrary<unknown>> = {
  // Any text up to 64: the service names the PIN rule a value breaks, the gate only bounds the size.
  pin: fc.oneof(
    fc.string({ unit: printableAscii, maxLength: 8 }),
    fc
      .tuple(fc.string({ unit: printableAscii, maxLength: 4 }), notPrintableAscii, fc.string({ unit: printableAscii, maxLength: 3 }))
      .map(([a, c, b]) => a + c + b),
  ),
  serial: fc.integer({ min: 0, max: 0xffffffff }),
  boolean: fc.boolean(),
  optionalReader: fc.string({ maxLength: 200 }),
  optionalDays: fc.integer({ min: 1, max: 30 }),
};

const notA = (type: string): fc.Arbitrary<unknown> =>
  fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true }).filter((v) => typeof v !== type);

const invalidValue: Record<FieldKind, fc.Arbitrary<unknown>> = {
  pin: fc.oneof(
    notA('string'),
    // Far longer than any PIN.
    fc.string({ unit: printableAscii, minLength: 65, maxLength: 300 }),
  ),
  serial: fc.oneof(
    notA('number'),
    fc.integer({ max: -1 }),
    fc.double({ min: 0x1_0000_0000, noNaN: true }),
    fc.double({ noNaN: false }).filter((n) => !Number.isInteger(n) || n < 0 || n > 0xffffffff),
    fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2 ** 53, Number.MAX_VALUE, 1e308, -0.5, 0.1),
    fc.integer({ min: 0, max: 0xffffffff }).map(String),
  ),
  boolean: fc.oneof(notA('boolean'), fc.constantFrom('true', 'false', 0, 1, 'yes')),
  optionalReader: fc.oneof(
    notA('string').filter((v) => v !== undefined),
    fc.string({ minLength: 201, maxLength: 1000 }),
  ),
  optionalDays: fc.oneof(
    notA('number').filter((v) => v !== undefined),
    fc.integer({ max: 0 }),
    fc.integer({ min: 31 }),
    fc.double({ noNaN: false }).filter((n) => !Number.isInteger(n)),
    fc.integer({ min: 1, max: 30 }).map(String),
  ),
};

/** A valid input for a channel; optional fields are sometimes left out. */
function validInput(channel: Channel): fc.Arbitrary<Record<string, unknown>> {
  const fields = FIELDS[channel];
  const model = Object.fromEntries(Object.entries(fields).map(([name, kind]) => [name, validValue[kind]]));
  const requiredKeys = Object.entries(fields)
    .filter(([, kind]) => !OPTIONAL_KINDS.includes(kind))
    .map(([name]) => name);
  return fc.record(model, { requiredKeys });
}

/** Sets an own property, even one named __proto__ (plain assignment would change the prototype instead). */
function withField(input: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const copy = { ...input };
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** A valid input broken in one or more ways, each enough to make it invalid. */
function malformedInput(channel: Channel): fc.Arbitrary<unknown> {
  const fields = FIELDS[channel];
  const names = Object.keys(fields);
  const required = names.filter((n) => !OPTIONAL_KINDS.includes(fields[n] ?? 'pin'));
  const mutations: fc.Arbitrary<(input: Record<string, unknown>) => Record<string, unknown>>[] = [
    // An extra field: strict objects refuse unknown keys, whatever their value.
    fc
      .tuple(
        fc.string({ minLength: 0, maxLength: 30 }).filter((k) => !names.includes(k)),
        fc.anything(),
      )
      .map(
        ([key, value]) =>
          (input) =>
            withField(input, key, value),
      ),
    fc.constantFrom('__proto__', 'constructor', 'toString', 'prototype').map((key) => (input) => withField(input, key, { polluted: true })),
  ];
  if (names.length > 0) {
    mutations.push(
      fc.constantFrom(...names).chain((name) => invalidValue[fields[name]!].map((value) => (input: Record<string, unknown>) => withField(input, name, value))),
    );
  }
  if (required.length > 0) {
    mutations.push(
      fc.constantFrom(...required).map((name) => (input: Record<string, unknown>) => Object.fromEntries(Object.entries(input).filter(([key]) => key !== name))),
    );
  }
  const mutated = fc
    .tuple(validInput(channel), fc.array(fc.oneof(...mutations), { minLength: 1, maxLength: 3 }))
    .map(([input, steps]) => steps.reduce((acc, step) => step(acc), input));
  const notAnObject = fc.oneof(
    fc.constantFrom(null, undefined, true, 0, -1, Number.NaN, '', '{}', 'status.get'),
    fc.string({ maxLength: 100 }),
    fc.double(),
    fc.bigInt(),
    // Arrays, including an array around a valid input.
    fc.array(fc.anything(), { maxLength: 5 }),
    validInput(channel).map((input) => [input]),
  );
  return fc.oneof({ weight: 3, arbitrary: mutated }, { weight: 1, arbitrary: notAnObject });
}

/** Handlers that record their calls and answer ok. */
function spyHandlers(): { handlers: Handlers; calls: () => number } {
  const spies = CHANNELS.map((channel) => [channel, vi.fn(() => Promise.resolve(ok({})))] as const);
  return {
    handlers: Object.fromEntries(spies) as unknown as Handlers,
    calls: () => spies.reduce((sum, [, spy]) => sum + spy.mock.calls.length, 0),
  };
}

describe('dispatch: the contract gate', () => {
  it('describes every channel of the contract (and only those)', () => {
    expect(Object.keys(FIELDS).sort()).toEqual([...CHANNELS].sort());
  });

  describe.each(CHANNELS)('%s', (channel) => {
    it(`refuses ${RUNS} malformed inputs with INVALID_REQUEST, and the handler is never called`, async () => {
      await fc.assert(
        fc.asyncProperty(malformedInput(channel), async (input) => {
          const { handlers, calls } = spyHandlers();
          const result = await dispatch(handlers, channel, input);
          expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
          expect(calls()).toBe(0);
        }),
        { numRuns: RUNS },
      );
    });

    it('passes valid input to its handler, parsed, and to no other', async () => {
      await fc.assert(
        fc.asyncProperty(validInput(channel), async (input) => {
          const { handlers, calls } = spyHandlers();
          const result = await dispatch(handlers, channel, input);
          expect(result).toEqual({ ok: true, value: {} });
          expect(calls()).toBe(1);
          expect(handlers[channel]).toHaveBeenCalledWith(input);
        }),
        { numRuns: 300 },
      );
    });

    it('never writes a PIN-like value of the input into the log', async () => {
      const secret = fc.stringMatching(/^[0-9]{6,8}$/);
      const placed = fc.tuple(secret, malformedInput(channel), fc.constantFrom(...Object.keys(FIELDS[channel]), 'extra', 'pin')).map(([pin, input, key]) => {
        // The secret as a value, as a key, and inside an array: wherever a careless log might print it.
        const base = input !== null && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
        return { pin, input: withField(withField(base, key, [pin, { [pin]: pin }]), pin, pin) };
      });
      const inputs = fc.oneof(
        placed,
        secret.chain((pin) =>
          validInput(channel).map((input) => ({
            pin,
            input: Object.keys(FIELDS[channel]).reduce((acc, name) => (FIELDS[channel][name] === 'pin' ? withField(acc, name, pin) : acc), input),
          })),
        ),
      );
      await fc.assert(
        fc.asyncProperty(inputs, async ({ pin, input }) => {
          const lines: string[] = [];
          await dispatch(spyHandlers().handlers, channel, input, (line) => lines.push(line));
          expect(lines.join('\n')).not.toContain(pin);
        }),
        { numRuns: 500 },
      );
    });
  });

  it('refuses objects that are not plain data (as Electron’s structured clone delivers a Date, Map, Set, RegExp or Error)', async () => {
    const notPlain = [
      new Date(0),
      new Map(),
      new Set(),
      /x/,
      new Error('x'),
      new Uint8Array(2),
      new (class Input {
        describe(): string {
          return 'an instance with no own fields';
        }
      })(),
    ];
    for (const channel of CHANNELS) {
      for (const input of notPlain) {
        const { handlers, calls } = spyHandlers();
        expect(await dispatch(handlers, channel, input), `${channel} with ${Object.prototype.toString.call(input)}`).toMatchObject({
          ok: false,
          error: { code: 'INVALID_REQUEST' },
        });
        expect(calls()).toBe(0);
      }
    }
  });

  it('refuses unknown channels, whatever their input, without calling a handler or logging the name', async () => {
    const nearMisses = fc.constantFrom(
      'status.GET',
      ' status.get',
      'status.get ',
      'status',
      'status.get.',
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
      'valueOf',
      '',
    );
    const unknownName = fc.oneof(
      nearMisses,
      fc.string({ maxLength: 60 }).filter((name) => !isChannel(name)),
      fc.stringMatching(/^[0-9]{6,8}$/),
    );
    const notAName = fc.anything({ withBigInt: true }).filter((value) => typeof value !== 'string');
    await fc.assert(
      fc.asyncProperty(fc.oneof(unknownName, notAName), fc.anything(), async (name, input) => {
        const { handlers, calls } = spyHandlers();
        const lines: string[] = [];
        const result = await dispatch(handlers, name, input, (line) => lines.push(line));
        expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
        expect(calls()).toBe(0);
        expect(lines).toHaveLength(1);
        // A PIN-like name (a PIN sent as the channel by mistake) must not be echoed.
        if (typeof name === 'string' && /^[0-9]{6,8}$/.test(name)) expect(lines[0]).not.toContain(name);
      }),
      { numRuns: RUNS },
    );
  });
});
