// Card answers through every PIV parser in native/ (a card is untrusted input): each
// operation is first run against the in-process virtual YubiKey with its
// answers recorded; fuzz cases then replay those real answers, mutated (bits
// flipped, cut, grown, spliced, status words swapped) or replaced by random
// bytes, APDU by APDU. An operation may succeed or fail with a NativeError
// (the typed error the app maps to words); anything else is a failure.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { NativeError } from '../../native/errors.ts';
import type { CardConnection } from '../../native/pcsc/transport.ts';
import { VirtualTransport } from '../../native/virtual-yubikey/virtual-transport.ts';
import { DEFAULT_MANAGEMENT_KEY, OBJECT_ID, SLOT } from '../../native/piv/constants.ts';
import { attestSlot, decryptWithSlot, ecdhWithSlot, generateKey, signWithSlot, slotMetadata } from '../../native/piv/keys.ts';
import { chuidGuid, getObject, newChuid, putObject, readCertificate, writeCertificate } from '../../native/piv/objects.ts';
import { resetPiv } from '../../native/piv/reset.ts';
import { secretFromText } from '../../native/piv/secrets.ts';
import { PivSession } from '../../native/piv/session.ts';
import { createVirtualYubiKey, type ProfileName } from '../../native/virtual-yubikey/index.ts';
import { readDeviceInfo } from '../../native/yubikey/device-info.ts';
import { describeCertificate, readKeyInfo } from '../../native/yubikey/key-info.ts';
import { authenticateManagementKey, managementKeyAlgorithm, managementKeyMetadata } from '../../native/yubikey/management-key.ts';
import { authenticateWithKnownKey, managementKeyState, protectManagementKey, readPivmanData, readProtectedManagementKey } from '../../native/yubikey/pivman.ts';
import * as x509 from '../../native/x509.ts';
import { describeError, type FuzzOptions, type FuzzResult, runFuzz } from './fuzz-run.ts';

const READER = 'Virtual PCD 00 00';
const PIN = '123456';
const pin = (): Uint8Array => secretFromText(PIN);

type Operation = (connection: CardConnection) => Promise<unknown>;

const open = (c: CardConnection): Promise<PivSession> => PivSession.open(c);

/** Every native/ entry point that reads a card's answer, as the app calls them. */
const OPERATIONS: Readonly<Record<string, Operation>> = {
  'read key info (device info, certificates, tries, management key)': (c) => readKeyInfo(c),
  'device info': (c) => readDeviceInfo(c),
  'serial, PIN and PUK tries': async (c) => {
    const s = await open(c);
    await s.serial();
    await s.pinRetries();
    await s.pukRetries();
  },
  'PIN metadata': async (c) => (await open(c)).referenceMetadata('pin'),
  'slot 9a metadata': async (c) => slotMetadata(await open(c), SLOT.AUTHENTICATION),
  'attest slot 9a': async (c) => attestSlot(await open(c), SLOT.AUTHENTICATION),
  'certificate in 9a': async (c) => {
    const der = await readCertificate(await open(c), SLOT.AUTHENTICATION);
    return der === null ? null : describeCertificate(der);
  },
  CHUID: async (c) => {
    const chuid = await getObject(await open(c), OBJECT_ID.CHUID);
    return chuid === null ? null : chuidGuid(chuid);
  },
  'pivman data and protected management key': async (c) => {
    const s = await open(c);
    await readPivmanData(s);
    await s.verifyPin(pin());
    return readProtectedManagementKey(s);
  },
  'management key metadata and state': async (c) => {
    const s = await open(c);
    await managementKeyMetadata(s);
    await managementKeyAlgorithm(s);
    return managementKeyState(s);
  },
  'authenticate with the known management key': async (c) => {
    const s = await open(c);
    await s.verifyPin(pin());
    await authenticateWithKnownKey(s);
  },
  'generate an ECC key in 9c': async (c) => {
    const s = await open(c);
    await s.verifyPin(pin());
    await authenticateWithKnownKey(s);
    return generateKey(s, { slot: SLOT.SIGNATURE, algorithm: 'ECCP256' });
  },
  'sign with 9a': async (c) => {
    const s = await open(c);
    await s.verifyPin(pin());
    return signWithSlot(s, SLOT.AUTHENTICATION, 'ECCP256', createHash('sha256').update('fuzz').digest());
  },
  'ECDH with 9a': async (c) => {
    const s = await open(c);
    await s.verifyPin(pin());
    return ecdhWithSlot(s, SLOT.AUTHENTICATION, 'ECCP256', PEER_POINT);
  },
  'decrypt with 9d (RSA)': async (c) => {
    const s = await open(c);
    await s.verifyPin(pin());
    return decryptWithSlot(s, SLOT.KEY_MANAGEMENT, 'RSA2048', new Uint8Array(256).fill(7, 1));
  },
  'change the PIN': async (c) => {
    const s = await open(c);
    await s.changeReference('pin', pin(), pin());
  },
  'unblock the PIN with a wrong PUK': async (c) => (await open(c)).unblockPin(secretFromText('87654321'), pin()),
  // Last: it resets the card the others were recorded on.
  'reset PIV (block PIN and PUK, reset)': async (c) => resetPiv(await open(c)),
};

/** An uncompressed P-256 point (the generator), for ECDH. */
const PEER_POINT = Uint8Array.from(
  Buffer.from('046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c2964fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5', 'hex'),
);

interface Recording {
  readonly profile: ProfileName;
  readonly operation: string;
  readonly answers: readonly Uint8Array[];
}

/** A card prepared as a paired key looks: keys in 9a (ECC) and 9d (RSA), a certificate, a CHUID, the management key protected. */
async function preparedCard(profile: ProfileName): Promise<VirtualTransport> {
  const transport = new VirtualTransport();
  transport.insert(READER, createVirtualYubiKey({ profile, serial: 30000001 }));
  const c = await transport.connect(READER, 'exclusive');
  try {
    const s = await open(c);
    await authenticateManagementKey(s, await managementKeyAlgorithm(s), Uint8Array.from(DEFAULT_MANAGEMENT_KEY));
    await generateKey(s, { slot: SLOT.AUTHENTICATION, algorithm: 'ECCP256' });
    await generateKey(s, { slot: SLOT.KEY_MANAGEMENT, algorithm: 'RSA2048' });
    const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
    const cert = await x509.X509CertificateGenerator.createSelfSigned({ name: 'CN=fuzz', keys, signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } });
    await writeCertificate(s, SLOT.AUTHENTICATION, new Uint8Array(cert.rawData));
    await putObject(s, OBJECT_ID.CHUID, newChuid());
    await s.verifyPin(pin());
    await protectManagementKey(s);
  } finally {
    await c.disconnect('unpower');
  }
  return transport;
}

/** Records each operation's answers, APDU by APDU, on a prepared card of each profile. */
export async function recordCardAnswers(profiles: readonly ProfileName[]): Promise<Recording[]> {
  const recordings: Recording[] = [];
  for (const profile of profiles) {
    const transport = await preparedCard(profile);
    for (const [operation, run] of Object.entries(OPERATIONS)) {
      const real = await transport.connect(READER, 'exclusive');
      const answers: Uint8Array[] = [];
      const recording: CardConnection = {
        reader: real.reader,
        atr: real.atr,
        insertion: real.insertion,
        transmit: async (apdu) => {
          const answer = await real.transmit(apdu);
          answers.push(answer);
          return answer;
        },
        disconnect: (d) => real.disconnect(d),
      };
      // A firmware that lacks a feature refuses it: that too is a real answer sequence.
      await run(recording).catch((e: unknown) => {
        if (!(e instanceof NativeError)) throw e;
      });
      await real.disconnect('unpower');
      recordings.push({ profile, operation, answers });
    }
  }
  return recordings;
}

/** What one APDU's answer becomes. */
type Mutation =
  | { readonly kind: 'real' }
  | { readonly kind: 'flip'; readonly at: readonly number[]; readonly mask: number }
  | { readonly kind: 'cut'; readonly keep: number }
  | { readonly kind: 'grow'; readonly at: number; readonly extra: Uint8Array }
  | { readonly kind: 'status'; readonly sw: number; readonly dropData: boolean }
  | { readonly kind: 'random'; readonly bytes: Uint8Array };

/** Status words that steer parsers: chaining, tries, not found, wrong length, success. */
const STATUS_WORDS = [
  0x9000, 0x6100, 0x6101, 0x61ff, 0x63c0, 0x63c1, 0x63c3, 0x63cf, 0x6300, 0x6983, 0x6982, 0x6a82, 0x6a80, 0x6a88, 0x6a86, 0x6d00, 0x6e00, 0x6700, 0x6c10,
  0x6581, 0x6f00, 0x0000, 0xffff,
];

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ kind: 'real' } as const) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('flip' as const),
      at: fc.array(fc.nat({ max: 400 }), { minLength: 1, maxLength: 4 }),
      mask: fc.integer({ min: 1, max: 255 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cut' as const), keep: fc.nat({ max: 400 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('grow' as const), at: fc.nat({ max: 400 }), extra: fc.uint8Array({ minLength: 1, maxLength: 300 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('status' as const),
      sw: fc.oneof(fc.constantFrom(...STATUS_WORDS), fc.integer({ min: 0, max: 0xffff })),
      dropData: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('random' as const), bytes: fc.uint8Array({ maxLength: 300 }) }) },
);

function apply(m: Mutation, real: Uint8Array): Uint8Array {
  switch (m.kind) {
    case 'real':
      return real;
    case 'flip': {
      const copy = Uint8Array.from(real);
      for (const at of m.at) if (copy.length > 0) copy[at % copy.length] = copy[at % copy.length]! ^ m.mask;
      return copy;
    }
    case 'cut':
      return real.slice(0, m.keep % (real.length + 1));
    case 'grow': {
      const at = m.at % (real.length + 1);
      return Uint8Array.from([...real.slice(0, at), ...m.extra, ...real.slice(at)]);
    }
    case 'status': {
      const data = m.dropData ? new Uint8Array(0) : real.slice(0, Math.max(0, real.length - 2));
      return Uint8Array.from([...data, m.sw >> 8, m.sw & 0xff]);
    }
    case 'random':
      return m.bytes;
  }
}

/** Replays a recording's answers through the mutations; past the recording, answers 9000 (or the mutation of it). */
function replaying(answers: readonly Uint8Array[], mutations: readonly Mutation[]): CardConnection {
  let i = 0;
  return {
    reader: READER,
    atr: new Uint8Array([0x3b, 0xf8]),
    insertion: null,
    transmit: async () => {
      const real = answers[i] ?? Uint8Array.from([0x90, 0x00]);
      const m = mutations[i] ?? { kind: 'real' };
      i++;
      return apply(m, real);
    },
    disconnect: async () => undefined,
  };
}

const CASE_LIMIT_MS = 10_000;

export async function fuzzCardAnswers(options: FuzzOptions & { readonly recordings: readonly Recording[] }): Promise<FuzzResult> {
  const { recordings } = options;
  const arbitrary = fc.tuple(fc.nat({ max: recordings.length - 1 }), fc.array(mutation, { maxLength: 40 }), fc.boolean());
  return runFuzz(
    'card answers',
    arbitrary,
    async ([which, mutations, allRandom]) => {
      const recording = recordings[which]!;
      // A tenth of the cases answer every APDU with random bytes (real answers of no operation).
      const plan =
        allRandom && which % 10 === 0 ? mutations.map((m) => (m.kind === 'random' ? m : ({ kind: 'random', bytes: new Uint8Array(0) } as const))) : mutations;
      const run = OPERATIONS[recording.operation]!;
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          run(replaying(recording.answers, plan)),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer after ${CASE_LIMIT_MS} ms`)), CASE_LIMIT_MS);
          }),
        ]);
        return { outcome: 'ok' };
      } catch (e) {
        return e instanceof NativeError ? { outcome: e.code } : { problem: `${recording.profile} "${recording.operation}": ${describeError(e)}` };
      } finally {
        clearTimeout(timer);
      }
    },
    options,
  );
}

export const CARD_PROFILES: readonly ProfileName[] = ['yk5.4.3', 'yk5.7.1', 'yk4.3.7'];
