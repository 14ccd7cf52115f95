// Policy files and stores through their loaders (files anyone may have edited): random
// bytes, truncated and mutated real files, wrong types at every field, a
// byte-order mark, and huge or deeply nested ones. A loader may accept the
// file or fail with its typed error (an AppError code other than INTERNAL),
// and nothing is overwritten: the file is as it was, or (a store's corrupt
// file) moved aside whole, byte for byte, and reported.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { toAppError } from '../../electron/services/app-error.ts';
import { readRevocations, REVOCATIONS_FILE } from '../../electron/services/enrollment/local-ca-revocations.ts';
import { pairingStore } from '../../electron/services/pairing/pairing-store.ts';
import { DEFAULT_POLICY, loadPolicy } from '../../electron/services/policy/policy-loader.ts';
import { SETTINGS_FILE, SettingsService } from '../../electron/services/settings/settings-store.ts';
import { describeError, type FuzzOptions, type FuzzResult, runFuzz, type Verdict } from './fuzz-run.ts';

/** Real files of each kind, as the app and administrators write them. */
const REAL: Readonly<Record<Target, unknown>> = {
  // Every field written out: the defaults, a SCEP CA and a UPN suffix.
  policy: {
    ...DEFAULT_POLICY,
    enrollment: {
      backend: 'scep',
      scepUrl: 'https://ca.example.com/certsrv/mscep/mscep.dll',
      caPin: `sha256:${'ab'.repeat(32)}`,
      raPin: `sha256:${'cd'.repeat(32)}`,
      timeoutSeconds: 20,
    },
    identity: { upnSuffix: 'example.com' },
  },
  'pairing store': {
    schemaVersion: 1,
    data: {
      pairing: {
        serial: 21000001,
        model: 'YubiKey 5 NFC',
        firmware: '5.4.3',
        algorithm: 'ECCP256',
        certificate: { serial: '0a1b', subject: 'CN=alice', notAfter: '2027-11-26T00:00:00.000Z', thumbprint: 'ab'.repeat(32), derBase64: 'MIIB' },
        pairedAt: '2026-11-26T00:00:00.000Z',
      },
      pending: { serial: 21000002, completed: 'creating-key', started: 'requesting-certificate', startedAt: '2026-11-26T00:00:00.000Z', publicKey: 'MFkw' },
      reminder: { snoozedUntil: null, lastShownStage: 'none', lastShownAt: null },
    },
  },
  settings: { schemaVersion: 1, data: { startAtLogin: true, lastSnoozeDays: 3 } },
  'local CA revocation list': { schemaVersion: 1, crlNumber: 4, revoked: [{ serial: '0A1B', revokedAt: '2026-11-26T00:00:00.000Z', reason: 'superseded' }] },
};

type Target = 'policy' | 'pairing store' | 'settings' | 'local CA revocation list';
const TARGETS = Object.keys(REAL) as Target[];

/** Every path to a leaf of a JSON value. */
function leafPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.length === 0 ? [path] : value.flatMap((v, i) => leafPaths(v, [...path, i]));
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    return entries.length === 0 ? [path] : entries.flatMap(([k, v]) => leafPaths(v, [...path, k]));
  }
  return [path];
}

function withValueAt(value: unknown, path: readonly (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value)) return value.map((v, i) => (i === head ? withValueAt(v, rest, replacement) : v));
  if (value !== null && typeof value === 'object')
    return { ...value, [String(head)]: withValueAt((value as Record<string, unknown>)[String(head)], rest, replacement) };
  return value;
}

/** The file contents a case writes, for a target. */
function contents(target: Target): fc.Arbitrary<Uint8Array> {
  const real = REAL[target];
  const text = JSON.stringify(real, null, 2);
  const paths = leafPaths(real);
  const utf8 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(utf8(text)) },
    { weight: 3, arbitrary: fc.uint8Array({ maxLength: 600 }) },
    { weight: 3, arbitrary: fc.nat({ max: text.length }).map((n) => utf8(text.slice(0, n))) },
    {
      weight: 5,
      arbitrary: fc
        .tuple(fc.nat({ max: paths.length - 1 }), fc.jsonValue({ maxDepth: 3 }))
        .map(([i, v]) => utf8(JSON.stringify(withValueAt(real, paths[i]!, v)))),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.nat({ max: paths.length - 1 }), fc.constantFrom<unknown>(undefined, null, '', 0, -1, 1e308, true, [], {}, 'x'.repeat(10_000)))
        .map(([i, v]) => utf8(JSON.stringify(withValueAt(real, paths[i]!, v)) ?? 'null')),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(fc.nat({ max: text.length - 1 }), fc.integer({ min: 1, max: 255 })).map(([at, mask]) => {
        const b = utf8(text);
        b[at] = b[at]! ^ mask;
        return b;
      }),
    },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => utf8(JSON.stringify(v))) },
    { weight: 1, arbitrary: fc.constantFrom('\uFEFF', '\r\n', '\0', '\uFFFE').map((prefix) => utf8(prefix + text.replace(/\n/g, '\r\n'))) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom<() => Uint8Array>(
          () => utf8(`${'['.repeat(100_000)}${']'.repeat(100_000)}`),
          () => utf8(`${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`),
          () => utf8(JSON.stringify({ ...(real as object), padding: 'x'.repeat(4_000_000) })),
          () => utf8(JSON.stringify(Array.from({ length: 200_000 }, (_, i) => i))),
          () => new Uint8Array(3_000_000).fill(0x41),
        )
        .map((make) => make()),
    },
  );
}

const digest = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** Loads the file as the app does; resolves when accepted. */
async function load(target: Target, dir: string): Promise<void> {
  switch (target) {
    case 'policy':
      await loadPolicy({ configFlag: join(dir, 'policy.json') });
      return;
    case 'pairing store': {
      const store = pairingStore(dir);
      await store.read();
      await store.keptAside();
      return;
    }
    case 'settings':
      await new SettingsService(dir).read();
      return;
    case 'local CA revocation list':
      await readRevocations(dir);
  }
}

const FILE: Readonly<Record<Target, string>> = {
  policy: 'policy.json',
  'pairing store': 'pairing.json',
  settings: SETTINGS_FILE,
  'local CA revocation list': REVOCATIONS_FILE,
};

/** The file is as written, or (a store) moved aside whole as FILE.<time>.bak. */
async function nothingOverwritten(dir: string, file: string, written: Uint8Array): Promise<string | null> {
  const names = await readdir(dir);
  const now = names.includes(file) ? new Uint8Array(await readFile(join(dir, file))) : null;
  if (now !== null) return digest(now) === digest(written) ? null : `${file} was changed`;
  const kept = names.filter((n) => n.startsWith(`${file}.`) && n.endsWith('.bak'));
  if (kept.length !== 1) return `${file} is gone and ${kept.length} backups were kept`;
  const backup = new Uint8Array(await readFile(join(dir, kept[0]!)));
  return digest(backup) === digest(written) ? null : `${file} was kept aside changed`;
}

export async function fuzzFiles(options: FuzzOptions): Promise<FuzzResult> {
  const root = await mkdtemp(join(tmpdir(), 'wfa-fuzz-files-'));
  const arbitrary = fc.constantFrom(...TARGETS).chain((target) => fc.tuple(fc.constant(target), contents(target)));
  try {
    return await runFuzz(
      'policy files and stores',
      arbitrary,
      async ([target, bytes], index): Promise<Verdict> => {
        const dir = join(root, String(index));
        await mkdir(dir, { recursive: true });
        await writeFile(join(dir, FILE[target]), bytes);
        let outcome: string;
        try {
          await load(target, dir);
          outcome = `${target} read`;
        } catch (e) {
          const code = toAppError(e).code;
          if (code === 'INTERNAL') return { problem: `${target} (${bytes.length} bytes): ${describeError(e)}` };
          outcome = `${target} ${code}`;
        }
        const overwritten = await nothingOverwritten(dir, FILE[target], bytes);
        await rm(dir, { recursive: true, force: true });
        return overwritten === null ? { outcome } : { problem: `${target} (${bytes.length} bytes): ${overwritten}` };
      },
      options,
    );
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
