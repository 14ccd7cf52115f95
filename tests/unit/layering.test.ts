// The import-boundary rule of style.md ("Who may import whom") is enforced by
// ESLint: a deliberate violation in each layer must fail `npm run lint`.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

// The layer rules (no-restricted-imports) and the test-code rule, a rule of its own so no layer replaces it.
const IMPORT_RULES = new Set(['no-restricted-imports', '@typescript-eslint/no-restricted-imports']);

async function layeringErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId !== null && IMPORT_RULES.has(m.ruleId)).map((m) => m.message);
}

const importing = (spec: string): string => `import { a } from '${spec}';\nexport const f = a;\n`;

describe('import boundaries', () => {
  it.each([
    ['renderer/src/x.ts', "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n", /Node built-ins/],
    ['renderer/src/x.ts', "import { readFileSync } from 'fs';\nexport const f = readFileSync;\n", /Node built-ins/],
    ['renderer/src/x.ts', "import { a } from '../../native/errors.ts';\nexport const f = a;\n", /may not import native/],
    ['renderer/src/x.ts', "import { a } from '../../electron/main/app.ts';\nexport const f = a;\n", /may import from electron\/ipc only/],
    ['native/piv/x.ts', "import { a } from '../../electron/services/pairing.ts';\nexport const f = a;\n", /may import only native\//],
    ['native/piv/x.ts', "import { a } from '../../renderer/src/api.ts';\nexport const f = a;\n", /may not import the renderer/],
    ['native/piv/x.ts', "import pcsclite from 'pcsclite';\nexport const f = pcsclite;\n", /Only native\/pcsc\/smartcard-transport.ts/],
    ['electron/services/x.ts', "import { app } from 'electron';\nexport const f = app;\n", /services run without Electron/],
  ])('%s: %s is refused', async (file, code, message) => {
    const errors = await layeringErrors(file, code);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.join('\n')).toMatch(message);
  });

  it.each([
    ['native/piv/x.ts', "import { NativeError } from '../errors.ts';\nexport const f = NativeError;\n"],
    ['electron/services/x.ts', "import { NativeError } from '../../native/errors.ts';\nexport const f = NativeError;\n"],
    ['native/piv/x.ts', "import { createHash } from 'node:crypto';\nexport const f = createHash;\n"],
  ])('%s: an allowed import passes', async (file, code) => {
    expect(await layeringErrors(file, code)).toEqual([]);
  });
});

describe('electron/ipc is shared with the renderer', () => {
  it('may not import Node built-ins', async () => {
    expect(await layeringErrors('electron/ipc/x.ts', "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n")).not.toEqual([]);
  });

  it('may import types, but not values, from native/', async () => {
    expect(
      await layeringErrors('electron/ipc/x.ts', "import type { NativeErrorCode } from '../../native/errors.ts';\nexport type C = NativeErrorCode;\n"),
    ).toEqual([]);
    expect(await layeringErrors('electron/ipc/x.ts', "import { NativeError } from '../../native/errors.ts';\nexport const f = NativeError;\n")).not.toEqual([]);
  });
});

describe('services sit below the shells, the CLI and the composition root', () => {
  it.each([
    ['electron/services/x.ts', '../shell/csp.ts', /may not import electron\/shell or electron\/cli/],
    ['electron/services/pairing/x.ts', '../../cli/cli-errors.ts', /may not import electron\/shell or electron\/cli/],
    ['electron/services/x.ts', '../app/app-services.ts', /electron\/app is the composition root/],
    ['electron/services/x.ts', '../web-shell/server.ts', /web-shell is a development tool/],
    ['electron/services/x.ts', '../main/app.ts', /may not import electron\/main or preload/],
    ['electron/services/x.ts', '../../native/pcsc/smartcard-transport.ts', /only the composition root \(electron\/app\) makes the PC\/SC transport/],
  ])('%s importing %s is refused', async (file, spec, message) => {
    expect((await layeringErrors(file, importing(spec))).join('\n')).toMatch(message);
  });

  it("a services test may drive the whole app through the composition root's fixture", async () => {
    expect(await layeringErrors('electron/services/pairing/x.test.ts', importing('../../app/test-support/app-fixture.ts'))).toEqual([]);
  });

  it('a services test still may not import a shell', async () => {
    expect((await layeringErrors('electron/services/x.test.ts', importing('../shell/csp.ts'))).join('\n')).toMatch(/may not import electron\/shell/);
  });
});

describe('electron/app, the composition root, is started only by the shells and the CLI', () => {
  it.each([['electron/shell/x.ts'], ['electron/ipc/x.ts'], ['electron/preload/x.ts'], ['scripts/x.ts']])('%s may not import it', async (file) => {
    expect((await layeringErrors(file, importing('../app/app-services.ts'))).join('\n')).toMatch(
      /electron\/app is the composition root|may import only native types and electron\/ipc/,
    );
  });

  it('the renderer may not import it', async () => {
    expect((await layeringErrors('renderer/src/x.ts', importing('../../electron/app/app-services.ts'))).join('\n')).toMatch(
      /may import from electron\/ipc only/,
    );
  });

  it.each([['electron/main/x.ts'], ['electron/web-shell/x.ts'], ['electron/cli/x.ts']])('%s may', async (file) => {
    expect(await layeringErrors(file, importing('../app/app-services.ts'))).toEqual([]);
  });

  it.each([['reliability/x.ts'], ['bench/x.ts'], ['tests/x.ts']])('%s (a suite driving the app) may', async (file) => {
    expect(await layeringErrors(file, importing('../electron/app/app-services.ts'))).toEqual([]);
  });

  it('may not import the shells or the CLI above it', async () => {
    expect((await layeringErrors('electron/app/x.ts', importing('../cli/main.ts'))).join('\n')).toMatch(/below the shells and the CLI/);
    expect((await layeringErrors('electron/app/x.ts', importing('../shell/csp.ts'))).join('\n')).toMatch(/below the shells and the CLI/);
  });

  it.each([['electron/cli/x.ts'], ['electron/main/x.ts'], ['electron/web-shell/x.ts'], ['electron/shell/x.ts']])(
    '%s may not make the PC/SC transport itself',
    async (file) => {
      expect((await layeringErrors(file, importing('../../native/pcsc/smartcard-transport.ts'))).join('\n')).toMatch(/only the composition root/);
    },
  );
});

describe('the PC/SC, PIV and YubiKey layers know nothing of the emulator', () => {
  it.each([
    ['native/pcsc/x.ts', '../virtual-yubikey/virtual-transport.ts'],
    ['native/piv/x.ts', '../virtual-yubikey/index.ts'],
    ['native/yubikey/x.ts', '../virtual-yubikey/card-interface.ts'],
    ['native/x.ts', './virtual-yubikey/index.ts'],
    ['native/pcsc/smartcard-transport.ts', '../virtual-yubikey/index.ts'],
    ['electron/services/x.ts', '../../native/virtual-yubikey/index.ts'],
    ['electron/app/x.ts', '../../native/virtual-yubikey/virtual-transport.ts'],
    ['electron/main/x.ts', '../../native/virtual-yubikey/index.ts'],
    ['electron/cli/x.ts', '../../native/virtual-yubikey/index.ts'],
  ])('%s importing %s is refused', async (file, spec) => {
    expect((await layeringErrors(file, importing(spec))).join('\n')).toMatch(/knows nothing of the emulator/);
  });

  it.each([
    ['native/piv/x.test.ts', '../virtual-yubikey/virtual-transport.ts'],
    ['native/virtual-yubikey/x.ts', './virtual-transport.ts'],
    ['electron/cli/x.test.ts', '../../native/virtual-yubikey/virtual-transport.ts'],
    ['electron/app/test-support/x.ts', '../../../native/virtual-yubikey/index.ts'],
  ])('%s importing %s (a test, or the emulator itself) is allowed', async (file, spec) => {
    expect(await layeringErrors(file, importing(spec))).toEqual([]);
  });
});

describe('production code does not import test code', () => {
  it.each([
    ['electron/services/x.ts', './enrollment/test-support.ts'],
    ['electron/cli/x.ts', './cli-test-support.ts'],
    ['electron/cli/x.ts', '../app/test-support/app-fixture.ts'],
    ['native/piv/x.ts', '../virtual-yubikey/piv/test-support.ts'],
    ['electron/web-shell/x.ts', './test-fixtures/fake-web-shell.ts'],
    ['renderer/src/x.ts', './test/fake-wfa.ts'],
    ['electron/main/x.ts', '../../tests/support/rsa-key-pool.ts'],
  ])('%s importing %s is refused', async (file, spec) => {
    expect((await layeringErrors(file, importing(spec))).join('\n')).toMatch(/production code may not import test code/);
  });

  it.each([
    ['electron/cli/x.test.ts', './cli-test-support.ts'],
    ['electron/services/enrollment/scep/card-csr-test-support.ts', '../test-support.ts'],
    ['reliability/lib/x.ts', '../../electron/cli/cli-test-support.ts'],
    ['e2e/x.ts', '../electron/app/test-support/app-fixture.ts'],
    ['bench/x.ts', '../electron/app/test-support/app-fixture.ts'],
    ['scripts/x.ts', '../tests/support/rsa-key-pool.ts'],
  ])('%s importing %s (test code or tooling) is allowed', async (file, spec) => {
    expect(await layeringErrors(file, importing(spec))).toEqual([]);
  });
});
