import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../lib/paths.ts';
import { BUILDER_CONFIG_FILE, fuseProblems, readBuilderConfig, REQUIRED_FUSES } from './builder-config.ts';

describe('electron-builder.yml', () => {
  const config = readBuilderConfig();

  it('names the app', () => {
    expect(config.productName).toBe('Workforce Access');
    expect(config.appId).not.toMatch(/example/);
  });

  it('sets exactly the required fuses', () => {
    expect(fuseProblems(config.electronFuses)).toEqual([]);
    expect(config.electronFuses).toEqual(REQUIRED_FUSES);
  });

  it('keeps the PC/SC addon out of the asar', () => {
    expect(config.asarUnpack).toContain('node_modules/smartcard/**');
  });
});

describe('electron-builder.yml resources', () => {
  // Only what these tests read; the rest of the file is electron-builder's business.
  const raw = load(readFileSync(BUILDER_CONFIG_FILE, 'utf8')) as Record<string, Record<string, unknown>>;
  const resource = (path: unknown): string => join(REPO_ROOT, 'assets', String(path));

  it('points at icons that exist, for every platform (relative to buildResources, assets/)', () => {
    expect(raw['directories']?.['buildResources']).toBe('assets');
    for (const path of [raw['win']?.['icon'], raw['nsis']?.['installerIcon'], raw['nsis']?.['uninstallerIcon'], raw['mac']?.['icon']])
      expect(existsSync(resource(path)), String(path)).toBe(true);
    for (const size of [16, 32, 48, 64, 128, 256, 512]) expect(existsSync(join(resource(raw['linux']?.['icon']), `${size}x${size}.png`))).toBe(true);
  });

  it('points at the installer scripts and entitlements it names', () => {
    expect(existsSync(join(REPO_ROOT, String(raw['nsis']?.['include'])))).toBe(true);
    expect(existsSync(join(REPO_ROOT, String(raw['msiProjectCreated'])))).toBe(true);
    const entitlements = readFileSync(join(REPO_ROOT, String(raw['mac']?.['entitlements'])), 'utf8');
    expect(entitlements).toMatch(/<key>com\.apple\.security\.smartcard<\/key>\s*<true\/>/);
    expect(raw['mac']?.['hardenedRuntime']).toBe(true);
  });

  it('installs per machine on Windows, and the deb needs pcscd', () => {
    expect(raw['nsis']?.['perMachine']).toBe(true);
    expect(raw['msi']?.['perMachine']).toBe(true);
    expect(raw['deb']?.['depends']).toContain('pcscd');
  });
});

describe('fuseProblems', () => {
  it('names each fuse that is missing, wrong or extra', () => {
    expect(fuseProblems(null)).toEqual(['electronFuses is missing: no fuse would be flipped']);
    expect(fuseProblems({ ...REQUIRED_FUSES, runAsNode: true, grantFileProtocolExtraPrivileges: true })).toEqual([
      'runAsNode is true, should be false',
      'grantFileProtocolExtraPrivileges is set, but is not one of the required fuses',
    ]);
    const withoutOne = Object.fromEntries(Object.entries(REQUIRED_FUSES).filter(([name]) => name !== 'onlyLoadAppFromAsar'));
    expect(fuseProblems(withoutOne)).toEqual(['onlyLoadAppFromAsar is undefined, should be true']);
  });
});
