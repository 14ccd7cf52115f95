// The import-boundary rule of style.md ("Who may import whom") is enforced by
// ESLint: a deliberate violation in each layer must fail `npm run lint`.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function layeringErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import boundaries', () => {
  it.each([
    ['renderer/src/x.ts', "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n", /Node built-ins/],
    ['renderer/src/x.ts', "import { readFileSync } from 'fs';\nexport const f = readFileSync;\n", /Node built-ins/],
    ['renderer/src/x.ts', "import { a } from '../../native/errors.ts';\nexport const f = a;\n", /may not import native/],
    ['renderer/src/x.ts', "import { a } from '../../electron/main/app.ts';\nexport const f = a;\n", /may import from electron\/ipc only/],
    ['native/piv/x.ts', "import { a } from '../../electron/services/pairing.ts';\nexport const f = a;\n", /native\/ may import only native/],
    ['native/piv/x.ts', "import { a } from '../../renderer/src/api.ts';\nexport const f = a;\n", /may not import the renderer/],
    ['native/piv/x.ts', "import pcsclite from 'pcsclite';\nexport const f = pcsclite;\n", /Only native\/pcsc\/pcsclite-transport.ts/],
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
    expect(await layeringErrors('electron/ipc/x.ts', "import type { NativeErrorCode } from '../../native/errors.ts';\nexport type C = NativeErrorCode;\n")).toEqual([]);
    expect(await layeringErrors('electron/ipc/x.ts', "import { NativeError } from '../../native/errors.ts';\nexport const f = NativeError;\n")).not.toEqual([]);
  });
});
