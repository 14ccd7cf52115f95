// The installed `smartcard` addon, read with nm: N-API only, so it needs no
// rebuild per Electron version (README, "PC/SC binding").
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../lib/paths.ts';
import { addonSymbols } from './napi-check.ts';

const addon = join(REPO_ROOT, 'node_modules', 'smartcard', 'build', 'Release', 'smartcard_napi.node');

describe('addonSymbols', () => {
  it('finds the N-API entry point of smartcard and no V8 or Node C++ import', () => {
    const symbols = addonSymbols(addon);
    expect(symbols.napiEntryPoint).toBe(true);
    expect(symbols.nodeEntryPoint).toBe(false);
    expect(symbols.v8Imports).toBe(0);
    expect(symbols.napiImports).toBeGreaterThan(20);
  });

  it('says which file it could not read', () => {
    expect(() => addonSymbols('/nonexistent/addon.node')).toThrow(/cannot read the symbols of \/nonexistent\/addon\.node/);
  });
});
